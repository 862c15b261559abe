"""The contract's vocabulary the console's pages need, served as JSON (`/console/vocabulary.json`) from
`libs/contracts`, so the JavaScript spells no role, category or claim name of its own (the contract owns its
vocabulary), and which pages each staff role is shown.

The pages a role is shown mirror the services' own checks (`kit.auth.staff_with` on each route): the nav only
spares a reviewer links that would answer 403; the services decide.
"""

from __future__ import annotations

from typing import Any

from contracts.categories import Bj10Category
from contracts.claims import AccessClaims, TokenKind
from contracts.staff import STAFF_AUDITORS, StaffRole

REVIEWERS = (StaffRole.REVIEWER, StaffRole.SENIOR_REVIEWER, StaffRole.CHIEF_EDITOR)

# page -> the roles shown it (each page's API admits these roles; MB-6.1, PA-6.2, MB-7.3).
PAGES: dict[str, tuple[StaffRole, ...]] = {
    "queue": REVIEWERS,  # GET /v1/moderation/reviews (MB-6.1)
    "items": REVIEWERS,  # /v1/moderation/review-items: claim, release, notes, escalate, decide (MB-6.1)
    "complaints": REVIEWERS,  # /v1/reporting/staff/cases and statistics (MB-14, PA-15.2)
    "appeals": (StaffRole.SENIOR_REVIEWER, StaffRole.CHIEF_EDITOR),  # /v1/identity/staff/appeals (PA-6.2)
    "policy": (*REVIEWERS, StaffRole.OPERATOR, StaffRole.AUDITOR),  # the chief editor decides (MB-6.1)
    "audit": STAFF_AUDITORS,  # every service's staff-actions (MB-7.3)
}

# The services whose record of staff actions the audit page reads, by their gateway prefix.
AUDITED_SERVICES = ("identity", "content", "moderation", "reporting", "regulator")


def _claim_names() -> dict[str, str]:
    """The wire names of the claims the console reads, found from the contract's own encoder."""
    sample = AccessClaims(subject="s", kind=TokenKind.STAFF, roles=(StaffRole.REVIEWER,), name="n").to_claims()
    roles = next(k for k, v in sample.items() if v == [str(StaffRole.REVIEWER)])
    name = next(k for k, v in sample.items() if v == "n")
    kind = next(k for k, v in sample.items() if v == str(TokenKind.STAFF))
    return {"roles": roles, "name": name, "kind": kind, "staff_kind": str(TokenKind.STAFF)}


def vocabulary() -> dict[str, Any]:
    return {
        "roles": [str(r) for r in StaffRole],
        "chief_editor": str(StaffRole.CHIEF_EDITOR),
        "categories": [{"code": str(c), "requirement": c.requirement} for c in Bj10Category],
        "claims": _claim_names(),
        "pages": {page: [str(r) for r in roles] for page, roles in PAGES.items()},
        "audited_services": list(AUDITED_SERVICES),
    }
