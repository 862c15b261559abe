"""Keyset cursors of the gateway's listings: a page ends at (filed_at, id); the next starts after it."""

from __future__ import annotations

import base64
import uuid
from datetime import datetime

from kit.problems import InvalidInput


def cursor_after(filed_at: datetime, row_id: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(f"{filed_at.isoformat()}|{row_id}".encode()).decode()


def parse_cursor(cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
    if not cursor:
        return None
    try:
        filed_at, row_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        return datetime.fromisoformat(filed_at), uuid.UUID(row_id)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("The cursor is not one this API gave out.") from exc
