"""The one pagination style of every list: ``?cursor=&limit=`` in, ``{"items": [...], "next_cursor": ...}``
out, keyset underneath (a cursor names the last item seen, so a page never skips or repeats a row when
rows are added meanwhile, and a deep page costs what the first does).

A cursor is opaque to clients: the keyset values of the last item, as JSON, base64url. A cursor this
API did not give out is a 422 problem, never a 500.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field

from kit.inputs import INT64_MAX, INT64_MIN, Text
from kit.problems import InvalidInput

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 500

CursorQuery = Annotated[
    Text | None,
    Query(max_length=512, description="Where to continue: the `next_cursor` of the previous page; none for the first"),
]
LimitQuery = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page at most")]


class Page(BaseModel, Generic[T]):
    """One page of a list. ``next_cursor`` is null on the last page."""

    items: list[T]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null: this was the last")


class InvalidCursor(InvalidInput):
    type = "invalid-cursor"
    title = "Invalid cursor"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, uuid.UUID):
        return {"u": str(value)}
    return value


def _typed(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        ((kind, raw),) = value.items()
        if kind == "t":
            return datetime.fromisoformat(raw)
        if kind == "u":
            return uuid.UUID(raw)
    return value


def encode_cursor(*keys: Any) -> str:
    """The cursor after an item whose keyset values are ``keys`` (str, int, datetime, UUID)."""
    return base64.urlsafe_b64encode(json.dumps([_plain(k) for k in keys], separators=(",", ":")).encode()).decode()


def decode_cursor(cursor: str, *types: type) -> tuple[Any, ...]:
    """The keyset values in a cursor, checked against the ``types`` this list orders by."""
    try:
        values = tuple(_typed(v) for v in json.loads(base64.urlsafe_b64decode(cursor.encode())))
    except (ValueError, TypeError, binascii.Error, UnicodeError) as exc:
        raise InvalidCursor("The cursor is not one this API gave out.") from exc
    if len(values) != len(types) or not all(_fits(v, t) for v, t in zip(values, types, strict=True)):
        raise InvalidCursor("The cursor is not one this API gave out.")
    return values


def _fits(value: Any, kind: type) -> bool:
    if kind is int:  # a bigint column's range: a larger number was never given out
        return isinstance(value, int) and not isinstance(value, bool) and INT64_MIN <= value <= INT64_MAX
    return isinstance(value, kind)


def page(items: Sequence[T], limit: int, keys: Callable[[T], tuple[Any, ...]]) -> dict[str, Any]:
    """A page from up to ``limit + 1`` fetched items: the extra one only says that more exist."""
    shown = list(items[:limit])
    more = len(items) > limit
    return {"items": shown, "next_cursor": encode_cursor(*keys(shown[-1])) if more and shown else None}
