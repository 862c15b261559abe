"""identity/verified/schemas.py: the views of rows."""

from __future__ import annotations

import uuid

from identity.verified.schemas import ProfileRead


def test_a_profile_shows_a_badge_only_for_a_verified_account() -> None:
    row = {"id": uuid.uuid4(), "display_name": "小张", "verified_type": None, "verified_display_name": None}
    assert ProfileRead.of(row).verified is None
    badge = ProfileRead.of({**row, "verified_type": "media", "verified_display_name": "某报"}).verified
    assert (badge.type, badge.name) == ("media", "某报")
