"""Manual sanctions and appeals, free of I/O (PA-13.1, PA-13.2, PA-6.2, MB-6.1, PA-5.1).

Staff impose a sanction along the ladder by role: a warning any reviewer; a feature restriction or a
suspension a senior reviewer or the chief editor; a closure or a blacklisting (final decisions, MB-6.1,
PA-5.1) the chief editor only. Each has a reason, a legal basis and (a restriction, a suspension) a
bounded duration. An account appeals one of its sanctions or credit penalties once, within the appeal
window (Mastodon: one appeal per strike, 20 days); a senior reviewer or the chief editor decides it, never
the staff member who imposed it (automatic sanctions and penalties have no imposer)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from contracts.staff import StaffRole
from kit.problems import Conflict, Forbidden, InvalidInput

from identity.standing.domain import Limit, SanctionKind

REVIEWERS = frozenset({StaffRole.REVIEWER, StaffRole.SENIOR_REVIEWER, StaffRole.CHIEF_EDITOR})
SENIORS = frozenset({StaffRole.SENIOR_REVIEWER, StaffRole.CHIEF_EDITOR})
CHIEF = frozenset({StaffRole.CHIEF_EDITOR})

MAX_DAYS = 365  # a restriction or a suspension ends within a year; longer is a closure's business


class ManualKind(StrEnum):
    """What staff may impose (the request's vocabulary); stored as the ladder's kinds (SanctionKind)."""

    WARNING = "warning"
    FEATURE_RESTRICTION = "feature_restriction"
    SUSPENSION = "suspension"
    CLOSURE = "closure"
    BLACKLIST = "blacklist"


STORED: dict[ManualKind, SanctionKind] = {
    ManualKind.WARNING: SanctionKind.WARNING,
    ManualKind.FEATURE_RESTRICTION: SanctionKind.RESTRICT,
    ManualKind.SUSPENSION: SanctionKind.SUSPEND,
    ManualKind.CLOSURE: SanctionKind.CLOSE,
    ManualKind.BLACKLIST: SanctionKind.BLACKLIST,
}

# PA-13.1 / PA-13.2, MB-6.1: who may impose each step of the ladder.
IMPOSERS: dict[ManualKind, frozenset[StaffRole]] = {
    ManualKind.WARNING: REVIEWERS,
    ManualKind.FEATURE_RESTRICTION: SENIORS,
    ManualKind.SUSPENSION: SENIORS,
    ManualKind.CLOSURE: CHIEF,
    ManualKind.BLACKLIST: CHIEF,
}

# Sanctions that end every session of the account (PA-13.1) and those that close it (PA-13.2).
ENDS_SESSIONS = frozenset({SanctionKind.SUSPEND, SanctionKind.CLOSE, SanctionKind.BLACKLIST})
CLOSES = frozenset({SanctionKind.CLOSE, SanctionKind.BLACKLIST})


class SanctionNotYours(Forbidden):
    type = "sanction-not-yours"
    title = "Not yours to decide"


def _requirement(kind: SanctionKind) -> str:
    return "MB-6.1" if kind in CLOSES else "PA-13.1"


def check_may_impose(kind: ManualKind, roles: Iterable[str]) -> None:
    """PA-13.1, MB-6.1: the ladder by role; a closure and a blacklisting are the chief editor's final decisions."""
    allowed = IMPOSERS[kind]
    if not {str(r) for r in roles} & {str(r) for r in allowed}:
        raise SanctionNotYours(
            f"A {kind} is imposed by {' or '.join(sorted(allowed))}.", requirement=_requirement(STORED[kind])
        )


def check_may_lift(kind: SanctionKind, roles: Iterable[str]) -> None:
    """Lifting: a senior reviewer or the chief editor; a closure or a blacklisting only the chief editor
    (who alone imposes them, MB-6.1)."""
    allowed = CHIEF if kind in CLOSES else SENIORS
    if not {str(r) for r in roles} & {str(r) for r in allowed}:
        raise SanctionNotYours(f"A {kind} is lifted by {' or '.join(sorted(allowed))}.", requirement=_requirement(kind))


def terms(
    kind: ManualKind, *, duration_days: int | None, features: list[Limit], now: datetime
) -> tuple[SanctionKind, list[Limit], datetime | None]:
    """The stored kind, the features restricted and the end of a manual sanction (PA-13.1): a feature
    restriction names at least one feature and a duration, a suspension a duration (1 to MAX_DAYS days);
    the others take neither (a warning has no end; a closure and a blacklisting last until lifted)."""
    timed = kind in (ManualKind.FEATURE_RESTRICTION, ManualKind.SUSPENSION)
    if timed and duration_days is None:
        raise InvalidInput(f"A {kind} needs duration_days (1 to {MAX_DAYS}).", requirement="PA-13.1")
    if not timed and duration_days is not None:
        raise InvalidInput(f"A {kind} takes no duration_days.", requirement="PA-13.1")
    if duration_days is not None and not 1 <= duration_days <= MAX_DAYS:
        raise InvalidInput(f"duration_days must be 1 to {MAX_DAYS}.", requirement="PA-13.1")
    if kind is ManualKind.FEATURE_RESTRICTION and not features:
        raise InvalidInput("A feature_restriction names the features it restricts.", requirement="PA-13.1")
    if kind is not ManualKind.FEATURE_RESTRICTION and features:
        raise InvalidInput("Only a feature_restriction names features.", requirement="PA-13.1")
    ends_at = now + timedelta(days=duration_days) if duration_days is not None else None
    return STORED[kind], sorted(set(features)), ends_at


def in_force(sanction: Mapping[str, Any], now: datetime) -> bool:
    return sanction["lifted_at"] is None and (sanction["ends_at"] is None or sanction["ends_at"] > now)


# ---- appeals (PA-6.2) --------------------------------------------------------------------------------


class TargetKind(StrEnum):
    SANCTION = "sanction"
    CREDIT_ENTRY = "credit_entry"


class AppealState(StrEnum):
    OPEN = "open"
    UPHELD = "upheld"
    DISMISSED = "dismissed"


class AppealWindowClosed(Conflict):
    type = "appeal-window-closed"
    title = "Appeal window closed"


def appealable_until(imposed_at: datetime, window: timedelta) -> datetime:
    return imposed_at + window


def check_within_window(imposed_at: datetime, window: timedelta, now: datetime) -> None:
    """PA-6.2: an appeal is filed within the window after the sanction or the penalty (20 days by default)."""
    until = appealable_until(imposed_at, window)
    if now > until:
        raise AppealWindowClosed(
            f"The appeal window closed at {until.isoformat()} ({window.days} days after it was imposed).",
            requirement="PA-6.2",
        )


def check_appealable_entry(entry: Mapping[str, Any]) -> None:
    """Only a penalty is appealed (a negative entry that reverses nothing)."""
    if entry["delta"] >= 0 or entry["reverses"] is not None:
        raise Conflict("Only a credit penalty can be appealed.", requirement="PA-6.2")


def imposer(created_by: str) -> str | None:
    """The staff member who imposed a sanction or a penalty (`staff:<id>`); None for an automatic one."""
    return created_by if created_by.startswith("staff:") else None


def check_may_decide(imposed_by: str | None, actor: str) -> None:
    """PA-6.2, MB-6.1: an appeal is decided by someone other than the one who imposed what it appeals."""
    if imposed_by is not None and imposed_by == actor:
        raise SanctionNotYours(
            "You imposed what this appeal contests; another senior reviewer or the chief editor decides it "
            "(PA-6.2, MB-6.1).",
            requirement="PA-6.2",
        )


def check_open(state: str) -> None:
    if state != AppealState.OPEN:
        raise Conflict(f"This appeal was {state} already.", requirement="PA-6.2")
