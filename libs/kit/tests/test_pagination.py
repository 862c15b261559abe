"""Cursors round-trip their keyset values; anything else is a 422 problem."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from kit.pagination import InvalidCursor, decode_cursor, encode_cursor, page


def test_a_cursor_carries_the_keyset_of_the_last_item() -> None:
    moment, row = datetime(2026, 11, 29, 12, 0, tzinfo=UTC), uuid.uuid4()
    assert decode_cursor(encode_cursor(moment, row, 7), datetime, uuid.UUID, int) == (moment, row, 7)


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "not base64!",
        "bm90IGpzb24=",
        encode_cursor("text"),
        encode_cursor(1, 2),
        encode_cursor(2**70),
        encode_cursor(True),
    ],
)
def test_a_cursor_this_api_did_not_give_out_is_refused(cursor: str) -> None:
    with pytest.raises(InvalidCursor):
        decode_cursor(cursor, int)


def test_a_page_has_a_next_cursor_only_when_more_rows_exist() -> None:
    rows = [{"id": i} for i in range(1, 5)]
    assert page(rows, 4, lambda r: (r["id"],))["next_cursor"] is None
    first = page(rows, 3, lambda r: (r["id"],))
    assert [r["id"] for r in first["items"]] == [1, 2, 3]
    assert decode_cursor(first["next_cursor"], int) == (3,)
