"""identity/agreement/schemas.py."""

from __future__ import annotations

from datetime import UTC, datetime

from identity.agreement.schemas import AgreementRead


def test_an_agreement_reads_with_its_hash_and_publication() -> None:
    now = datetime.now(UTC)
    row = {"version": 2, "title": "T", "body": "B", "sha256": "ab", "published_at": now, "published_by": "x"}
    assert AgreementRead.of(row).model_dump() == {
        "version": 2,
        "title": "T",
        "body": "B",
        "sha256": "ab",
        "published_at": now.isoformat(),
    }
