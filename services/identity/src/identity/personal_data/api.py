"""The audited staff read of an account's personal data (MB-7.3, PA-9.1)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request
from kit.auth import record_staff_action
from kit.inputs import VisibleText
from kit.problems import problems

from identity.dependencies import PersonalDataReader, Ports
from identity.personal_data import handlers
from identity.personal_data.schemas import PersonalDataRead

router = APIRouter(tags=["personal data"])


@router.get(
    "/v1/identity/staff/accounts/{account_id}/personal-data", response_model=PersonalDataRead, responses=problems(404)
)
async def read_personal_data(
    account_id: uuid.UUID,
    request: Request,
    principal: PersonalDataReader,
    ports: Ports,
    reason: Annotated[VisibleText, Query(min_length=10, max_length=500, description="why it is read (recorded)")],
) -> PersonalDataRead:
    """The decrypted personal data of an account (MB-7.3, PA-9.1), with the names on the proofs of its
    V applications, for an operator or the chief editor with a stated reason; the read is recorded
    with who, when and why before anything is decrypted. Nothing of it reaches a log."""
    await record_staff_action(request, principal, reason=reason)
    return PersonalDataRead(**await handlers.read(ports, account_id))
