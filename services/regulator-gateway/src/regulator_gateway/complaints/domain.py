"""Complaint handling statistics: rules without I/O (PA-15.2, MB-16.1)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from regulator_gateway.offices.domain import Office


@dataclass(frozen=True, slots=True)
class CaseSeen:
    """A complaint case as reporting announced it (opened or changed; a newer version replaces an older)."""

    case_id: uuid.UUID
    target_type: str
    author_id: uuid.UUID | None
    category: str
    opened_at: datetime
    deadline: datetime
    version: int
    complaints: int


@dataclass(frozen=True, slots=True)
class CaseResolved:
    case_id: uuid.UUID
    target_type: str
    author_id: uuid.UUID | None
    category: str
    upheld: bool
    action: str
    decided_at: datetime


def province_of(office: Office) -> str | None:
    """MB-16.1: the national office sees every province's cases (None), a provincial office its own."""
    return None if office.national else office.jurisdiction
