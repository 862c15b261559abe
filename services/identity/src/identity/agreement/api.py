"""Routes of the service agreement (MB-6.2, PA-5.2). Accepting it is an account's route (accounts/api.py)."""

from __future__ import annotations

from fastapi import APIRouter, status
from kit.problems import problems

from identity.agreement import handlers
from identity.agreement.schemas import AgreementCreate, AgreementRead
from identity.dependencies import AgreementEditor, Ports

router = APIRouter(tags=["agreement"])


@router.get("/v1/identity/agreement", response_model=AgreementRead, responses=problems(404))
async def read_agreement(ports: Ports) -> AgreementRead:
    """The service agreement and platform rules in force (MB-6.2, PA-5.2)."""
    return AgreementRead.of(await handlers.read_current(ports))


@router.post("/v1/identity/agreements", status_code=status.HTTP_201_CREATED, response_model=AgreementRead)
async def publish_agreement(body: AgreementCreate, principal: AgreementEditor, ports: Ports) -> AgreementRead:
    """Publish a new version (operator or chief editor). Every token saying an older version was accepted
    is refused at once, everywhere (MB-6.2): its holder signs in again and accepts the new one before
    publishing again."""
    return AgreementRead.of(await handlers.publish(ports, title=body.title, body=body.body, by=principal.actor))
