"""The audited staff read of an account's personal data (MB-7.3, PA-9.1), and the rewrap after a key
rotation (MB-7.3)."""

from __future__ import annotations

import uuid
from typing import Any

from kit.problems import NotFound

from identity.personal_data.store import SEALED_COLUMNS
from identity.pii import ID_NUMBER, LEGAL_NAME, PHONE, PROOF_NAME, PersonalDataVault
from identity.ports import Database, IdentityPorts

BATCH = 500


async def read(ports: IdentityPorts, account_id: uuid.UUID) -> dict[str, Any]:
    """The decrypted personal data of an account and the names on its V applications' proofs: only for
    the audited staff route, which recorded the read before calling this."""
    async with ports.db.connection() as tx:
        row = await tx.personal_data.of_account(account_id)
        if row is None:
            raise NotFound("No such account.")
        proofs = await tx.personal_data.proof_names(account_id)
    vault = ports.vault
    real = row["legal_name_ciphertext"] is not None
    return {
        "account_id": account_id,
        "mobile": vault.open(row["phone_ciphertext"], purpose=PHONE),
        "legal_name": vault.open(row["legal_name_ciphertext"], purpose=LEGAL_NAME) if real else None,
        "id_number": vault.open(row["id_number_ciphertext"], purpose=ID_NUMBER) if real else None,
        "subject_type": row["subject_type"],
        # MB-7.3: the names on the proofs of its V applications are read here only, audited.
        "verified_applications": [
            {
                "id": p["id"],
                "v_type": p["v_type"],
                "status": p["status"],
                "display_name": p["display_name"],
                "proof_name": vault.open(p["proof_name_ciphertext"], purpose=PROOF_NAME),
            }
            for p in proofs
        ],
    }


async def rewrap(db: Database, vault: PersonalDataVault) -> int:
    """After a key rotation: move every sealed value to the current key (data keys re-wrapped, data
    untouched), in batches, each in its own transaction. How many values moved."""
    moved = 0
    for table, key, column, purpose in SEALED_COLUMNS:
        async with db.connection() as tx:
            values = await tx.personal_data.sealed_values(table, key, column)
        stale = [(k, v) for k, v in values if not vault.sealed_with_current_key(v)]
        for start in range(0, len(stale), BATCH):
            async with db.transaction() as tx:
                await tx.personal_data.replace_sealed(
                    table, key, column, [(k, vault.rewrap(v, purpose=purpose)) for k, v in stale[start : start + BATCH]]
                )
        moved += len(stale)
    return moved
