"""identity/verified/schemas.py: the views of rows."""

from __future__ import annotations

import uuid

from identity.verified.schemas import ProfileRead


def test_a_profile_shows_a_badge_only_for_a_verified_account() -> None:
    row = {"id": uuid.uuid4(), "display_name": "小张", "verified_type": None, "verified_display_name": None}
    assert ProfileRead.of(row).verified is None
    badge = ProfileRead.of({**row, "verified_type": "media", "verified_display_name": "某报"}).verified
    assert (badge.type, badge.name) == ("media", "某报")


def test_an_application_shows_its_files_never_its_proof_name() -> None:
    from datetime import UTC, datetime

    from identity.verified.schemas import ApplicationRead

    row = {
        "id": uuid.uuid4(),
        "account_id": uuid.uuid4(),
        "v_type": "individual",
        "display_name": "小张",
        "status": "submitted",
        "reason": None,
        "submitted_at": datetime.now(UTC),
        "reviewed_by": None,
        "reviewed_at": None,
        "proof_name_ciphertext": b"sealed",
    }
    files = [{"ordinal": 1, "filename": "id.png", "content_type": "image/png", "sha256": "ab", "size": 2}]
    read = ApplicationRead.of({"application": row, "files": files}).model_dump(mode="json")
    assert read["files"][0]["sha256"] == "ab" and "proof_name" not in str(read)
