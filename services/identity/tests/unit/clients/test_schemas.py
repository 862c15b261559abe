"""identity/clients/schemas.py: a registered client as staff read it (never its secret's hash)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from identity.clients.schemas import ApiClientRead


def test_a_client_reads_without_its_secret() -> None:
    row = {
        "id": uuid.uuid4(),
        "name": "某某客户端",
        "icp_number": "京ICP备2021012345号-1",
        "registered_by": "staff:1",
        "registered_at": datetime.now(UTC),
        "revoked_at": None,
        "revoke_reason": None,
        "secret_hash": b"hash",
    }
    read = ApiClientRead.of(row).model_dump(mode="json")
    assert read["revoked_at"] is None and "secret" not in str(read)
