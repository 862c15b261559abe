"""Routes of credit and sanctions (MB-9, MB-15, PA-6.2, PA-13), grading rules (MB-9) and operator
declarations (PA-7.3)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status
from kit.inputs import RowId
from kit.problems import problems

from identity.dependencies import ActiveAccount, AppealReviewer, ChiefEditor, Ports, StandingReader
from identity.standing import handlers
from identity.standing.domain import GradingRules
from identity.standing.schemas import (
    GradingRulesPublished,
    GradingRulesRead,
    OperatorDeclarationCreate,
    OperatorDeclarationRead,
    ReversalCreate,
    StandingRead,
)

router = APIRouter(tags=["standing"])


@router.get("/v1/accounts/me/credit", response_model=StandingRead, responses=problems(404))
async def read_my_credit(account_id: ActiveAccount, ports: Ports) -> StandingRead:
    """Your credit score, level and the limits in force, your active sanctions with their legal basis,
    and every ledger entry with its cause (MB-9, MB-15, PA-6.2, PA-13.1)."""
    return StandingRead.of(*await handlers.read_standing(ports, account_id))


@router.get("/v1/identity/staff/accounts/{account_id}/standing", response_model=StandingRead, responses=problems(404))
async def read_standing(account_id: uuid.UUID, principal: StandingReader, ports: Ports) -> StandingRead:
    """An account's standing and ledger, for the staff who review complaints, appeals and accounts (PA-6.2)."""
    return StandingRead.of(*await handlers.read_standing(ports, account_id))


@router.post(
    "/v1/identity/staff/credit-entries/{entry_id}/reversal", response_model=StandingRead, responses=problems(404, 409)
)
async def reverse_credit_entry(
    entry_id: RowId, body: ReversalCreate, principal: AppealReviewer, ports: Ports
) -> StandingRead:
    """An appeal upheld (senior reviewer or chief editor): the penalty is reversed by a new entry and
    the sanction it caused is lifted; content enforces the change at once."""
    return StandingRead.of(await handlers.reverse(ports, entry_id, by=principal.actor, note=body.note), [])


@router.get("/v1/identity/grading-rules", response_model=GradingRulesRead)
async def read_grading_rules(ports: Ports) -> GradingRulesRead:
    """The grading rules in force (MB-9): public, and filed with the regulator."""
    version, rules = await handlers.read_grading_rules(ports)
    return GradingRulesRead(version=version, rules=rules)


@router.post("/v1/identity/grading-rules", status_code=status.HTTP_201_CREATED, response_model=GradingRulesPublished)
async def publish_grading_rules(body: GradingRules, principal: ChiefEditor, ports: Ports) -> GradingRulesPublished:
    """Publish new grading rules (chief editor, MB-9): filed with the regulator; every account regraded."""
    return GradingRulesPublished(**await handlers.publish_grading_rules(ports, body, by=principal.actor))


@router.post(
    "/v1/accounts/me/operator-declaration",
    status_code=status.HTTP_201_CREATED,
    response_model=OperatorDeclarationRead,
    responses=problems(404),
)
async def declare_operator(
    body: OperatorDeclarationCreate, account_id: ActiveAccount, ports: Ports
) -> OperatorDeclarationRead:
    """PA-7.3: an organization operating several public accounts declares registrant, business scope
    and account list; filed with the office of its province."""
    declared = await handlers.declare_operator(
        ports,
        account_id,
        registrant=body.registrant,
        business_scope=body.business_scope,
        accounts=list(dict.fromkeys(body.accounts)),
    )
    return OperatorDeclarationRead(**declared)
