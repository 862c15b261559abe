"""What identity's routes depend on: the ports, the caller's active account, the client's address, and
the staff roles each kind of route admits."""

from __future__ import annotations

import uuid
from typing import Annotated

from contracts.staff import StaffRole
from fastapi import Depends, Request
from kit.auth import CurrentPrincipal, Principal, staff_with

from identity.accounts import handlers
from identity.ports import IdentityPorts
from identity.public_accounts.domain import ActingToken


async def _ports(request: Request) -> IdentityPorts:
    return request.app.state.ports


Ports = Annotated[IdentityPorts, Depends(_ports)]


async def _active_account(principal: CurrentPrincipal, ports: Ports) -> uuid.UUID:
    if principal.access.actor is not None:
        # PA-7.1: an acting token is the public account's, used by an operator to publish; a user's own
        # routes take the operator's own token.
        raise ActingToken(
            "An acting token acts as a public account; use your own token for your account's routes.",
            requirement="PA-7.1",
        )
    return await handlers.active_account(ports, principal)


# A user's own routes: refused for a cancelled (PA-9.2) or closed (PA-13.1) account, and for a token
# issued before the account's sessions were ended, even with a token that is otherwise valid.
ActiveAccount = Annotated[uuid.UUID, Depends(_active_account)]


async def client_address(request: Request) -> str:
    """The client's address: the gateway's X-Forwarded-For as uvicorn applied it (trusted only from
    --forwarded-allow-ips, the gateway's address)."""
    return request.client.host if request.client else "unknown"


ClientAddress = Annotated[str, Depends(client_address)]

AgreementEditor = Annotated[Principal, staff_with(StaffRole.OPERATOR, StaffRole.CHIEF_EDITOR, requirement="MB-6.2")]
AppealReviewer = Annotated[
    Principal, staff_with(StaffRole.SENIOR_REVIEWER, StaffRole.CHIEF_EDITOR, requirement="PA-6.2")
]
ChiefEditor = Annotated[Principal, staff_with(StaffRole.CHIEF_EDITOR, requirement="MB-9")]
ClientRegistrar = Annotated[Principal, staff_with(StaffRole.OPERATOR, StaffRole.CHIEF_EDITOR, requirement="BJ-7(6)")]
Verifier = Annotated[
    Principal, staff_with(StaffRole.SENIOR_REVIEWER, StaffRole.CHIEF_EDITOR, StaffRole.OPERATOR, requirement="MB-8")
]
# Public accounts' review (PA-7.1): the roles that review V accounts.
PublicAccountReviewer = Annotated[
    Principal,
    staff_with(StaffRole.SENIOR_REVIEWER, StaffRole.CHIEF_EDITOR, StaffRole.OPERATOR, requirement="PA-7.1"),
]
# The news licence registry (MB-4, PA-8): operators and the chief editor keep it; auditors read it too.
NewsLicenceKeeper = Annotated[Principal, staff_with(StaffRole.OPERATOR, StaffRole.CHIEF_EDITOR, requirement="PA-8")]
NewsLicenceReader = Annotated[
    Principal, staff_with(StaffRole.OPERATOR, StaffRole.CHIEF_EDITOR, StaffRole.AUDITOR, requirement="PA-8")
]
PersonalDataReader = Annotated[Principal, staff_with(StaffRole.OPERATOR, StaffRole.CHIEF_EDITOR, requirement="PA-9.1")]
# Credit and sanctions: the roles that review complaints, appeals and accounts (not auditors).
StandingReader = Annotated[
    Principal,
    staff_with(
        StaffRole.REVIEWER, StaffRole.SENIOR_REVIEWER, StaffRole.CHIEF_EDITOR, StaffRole.OPERATOR, requirement="PA-6.2"
    ),
]
# Bulk registration cohorts (CM, BJ-9.2): the roles that review accounts list them (auditors too); the ones
# that decide on accounts (senior reviewer, chief editor, operator) clear one.
CohortReader = Annotated[
    Principal,
    staff_with(
        StaffRole.REVIEWER,
        StaffRole.SENIOR_REVIEWER,
        StaffRole.CHIEF_EDITOR,
        StaffRole.OPERATOR,
        StaffRole.AUDITOR,
        requirement="CM",
    ),
]
CohortClearer = Annotated[
    Principal, staff_with(StaffRole.SENIOR_REVIEWER, StaffRole.CHIEF_EDITOR, StaffRole.OPERATOR, requirement="CM")
]

# Manual sanctions (PA-13.1, PA-13.2, MB-6.1): the route admits every reviewer (a warning); the ladder by role
# is checked on the kind (identity.sanctions.domain); lifting: senior reviewer, chief editor.
SanctionImposer = Annotated[
    Principal,
    staff_with(StaffRole.REVIEWER, StaffRole.SENIOR_REVIEWER, StaffRole.CHIEF_EDITOR, requirement="PA-13.1"),
]
SanctionLifter = Annotated[
    Principal, staff_with(StaffRole.SENIOR_REVIEWER, StaffRole.CHIEF_EDITOR, requirement="PA-13.1")
]
# V applications' proof files (MB-7.3): opened, with a reason, by the roles that decide applications; the
# record of openings read by auditors and the chief editor.
ProofOpener = Annotated[
    Principal, staff_with(StaffRole.SENIOR_REVIEWER, StaffRole.CHIEF_EDITOR, StaffRole.OPERATOR, requirement="MB-7.3")
]
ProofAccessAuditor = Annotated[Principal, staff_with(StaffRole.AUDITOR, StaffRole.CHIEF_EDITOR, requirement="MB-7.3")]
# Staff accounts (MB-6.1, PA-5.1): operators list, disable, enable and re-role them.
StaffAdministrator = Annotated[Principal, staff_with(StaffRole.OPERATOR, requirement="MB-6.1")]
