"""The reports listing's cursor: the kit's, and the previous release's still honoured."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime

import pytest
from kit.pagination import InvalidCursor, encode_cursor
from regulator_gateway.reports.api import _after


def test_a_cursor_names_the_last_report_seen_in_either_form() -> None:
    filed_at, report_id = datetime(2026, 3, 1, 8, 30, 0, 123456, tzinfo=UTC), uuid.uuid4()
    assert _after(encode_cursor(filed_at, report_id)) == (filed_at, report_id)
    legacy = base64.urlsafe_b64encode(f"{filed_at.isoformat()}|{report_id}".encode()).decode()
    assert _after(legacy) == (filed_at, report_id)
    assert _after(None) is None and _after("") is None


@pytest.mark.parametrize("cursor", ["nonsense", base64.urlsafe_b64encode(b"x|y").decode(), encode_cursor(1, 2)])
def test_a_cursor_this_api_did_not_give_out_is_refused(cursor: str) -> None:
    with pytest.raises(InvalidCursor):
        _after(cursor)
