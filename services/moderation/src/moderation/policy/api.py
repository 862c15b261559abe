"""Staff routes for the policy (MB-6.1): changes with the chief editor's approval, the lexicon in force,
the rumour registry (MB-11) and emergency modes (应急处置). Every action is recorded with who took it."""

from __future__ import annotations

import asyncio
import functools
import uuid
from typing import Annotated

import asyncpg
from contracts.categories import Bj10Category
from contracts.staff import EVERY_STAFF_ROLE, StaffRole
from fastapi import APIRouter, Path, Query, Request, Response, status
from fastapi.responses import StreamingResponse
from kit.auth import Principal, staff_with
from kit.bodies import UnsupportedMediaType, read_body
from kit.jobs import job_read
from kit.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from kit.problems import problems

from moderation.dependencies import Db, Holder, Settings
from moderation.policy import handlers, lexicon_tsv
from moderation.policy.schemas import (
    ChangeDecision,
    EmergencyCreate,
    EmergencyRead,
    EntryRead,
    LexiconImportCompleted,
    LexiconImportCreate,
    LexiconImportPartRead,
    LexiconImportRead,
    LexiconRead,
    PolicyChangeCreate,
    PolicyChangeRead,
    RumourCreate,
    RumourEscalation,
    RumourJobRead,
    RumourRead,
    RumourWithdrawal,
    change_read,
    emergency_read,
    entry_read,
    lexicon_import_read,
    lexicon_read,
    rumour_read,
)

router = APIRouter(tags=["moderation staff"])

# Policy history: those who propose changes, the chief editor who decides, auditors.
PolicyReader = Annotated[Principal, staff_with(*EVERY_STAFF_ROLE, requirement="MB-6.1")]
Proposer = Annotated[
    Principal, staff_with(StaffRole.REVIEWER, StaffRole.SENIOR_REVIEWER, StaffRole.CHIEF_EDITOR, StaffRole.OPERATOR)
]
ChiefEditor = Annotated[Principal, staff_with(StaffRole.CHIEF_EDITOR, requirement="MB-6.1")]
RumourKeeper = Annotated[Principal, staff_with(StaffRole.SENIOR_REVIEWER, StaffRole.CHIEF_EDITOR, requirement="MB-11")]
RumourReader = Annotated[
    Principal, staff_with(StaffRole.REVIEWER, StaffRole.SENIOR_REVIEWER, StaffRole.CHIEF_EDITOR, requirement="MB-11")
]
# MB-12: the lexicon file, for those who work with it.
LexiconReader = Annotated[
    Principal, staff_with(StaffRole.REVIEWER, StaffRole.SENIOR_REVIEWER, StaffRole.CHIEF_EDITOR, requirement="MB-12")
]
EmergencyStaff = Annotated[
    Principal, staff_with(StaffRole.SENIOR_REVIEWER, StaffRole.CHIEF_EDITOR, StaffRole.OPERATOR, requirement="MB-6.1")
]


@router.get("/v1/moderation/lexicon", response_model=LexiconRead, tags=["moderation"])
async def read_lexicon(db: Db, holder: Holder) -> LexiconRead:
    """The lexicon release and routing rules in force, as this process holds them."""
    return lexicon_read(*await handlers.lexicon_in_force(db, holder))


# --- policy changes ---------------------------------------------------------------------------


@router.post(
    "/v1/moderation/policy-changes",
    status_code=status.HTTP_201_CREATED,
    response_model=PolicyChangeRead,
)
async def propose_policy_change(body: PolicyChangeCreate, principal: Proposer, db: Db) -> PolicyChangeRead:
    """Propose a lexicon or routing-rule change. Nothing changes until the chief editor approves (MB-6.1)."""
    changes = (
        {"add": [e.model_dump(mode="json") for e in body.add], "remove": body.remove}
        if body.kind == "lexicon"
        else {"routing": body.routing.model_dump(exclude_none=True) if body.routing else {}}
    )
    row, evaluations = await handlers.propose_change(
        db, kind=body.kind, changes=changes, removes=body.remove, reason=body.reason, by=principal.actor
    )
    return change_read(row, evaluations=evaluations)


@router.get("/v1/moderation/policy-changes", response_model=Page[PolicyChangeRead])
async def list_policy_changes(
    principal: PolicyReader,
    db: Db,
    state: Annotated[str | None, Query(alias="status", pattern="^(proposed|approved|rejected)$")] = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> Page[PolicyChangeRead]:
    """Policy changes, newest first: the policy's history (MB-6.1)."""
    rows, evaluations, next_cursor = await handlers.list_changes(db, status=state, cursor=cursor, limit=limit)
    items = [change_read(r, evaluations=evaluations.get(r["id"], []), whole=False) for r in rows]  # previews only
    return Page[PolicyChangeRead](items=items, next_cursor=next_cursor)


@router.get(
    "/v1/moderation/policy-changes/{change_id}",
    response_model=PolicyChangeRead,
    responses=problems(404, s404="No such policy change"),
)
async def read_policy_change(change_id: uuid.UUID, principal: PolicyReader, db: Db) -> PolicyChangeRead:
    # A big change (an imported lexicon) is megabytes of JSON: mapped off the event loop.
    row, evaluations = await handlers.read_change(db, change_id)
    return await asyncio.to_thread(functools.partial(change_read, row, evaluations=evaluations))


@router.post(
    "/v1/moderation/policy-changes/{change_id}/decision",
    response_model=PolicyChangeRead,
    responses=problems(
        404, 409, s404="No such policy change", s409="Decided already, or its evaluation is pending (MB-6.1)"
    ),
)
async def decide_policy_change(
    change_id: uuid.UUID, body: ChangeDecision, principal: ChiefEditor, db: Db, holder: Holder
) -> PolicyChangeRead:
    """The chief editor approves or rejects a proposed change (MB-6.1). An approved change is the
    next release and reaches every moderation process at once (an event)."""
    row, job_id, evaluations = await handlers.decide_change(
        db, holder, change_id, approve=body.approve, note=body.note, by=principal.actor
    )
    return await asyncio.to_thread(functools.partial(change_read, row, job_id=job_id, evaluations=evaluations))


@router.get("/v1/moderation/lexicon/entries", response_model=Page[EntryRead])
async def list_lexicon_entries(
    principal: Proposer,
    db: Db,
    category: Bj10Category | None = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> Page[EntryRead]:
    """Live lexicon entries, by id."""
    rows, next_cursor = await handlers.list_entries(db, category=category, cursor=cursor, limit=limit)
    return Page[EntryRead](items=[entry_read(r) for r in rows], next_cursor=next_cursor)


# --- rumours (MB-11) --------------------------------------------------------------------------


@router.post(
    "/v1/moderation/rumours",
    status_code=status.HTTP_201_CREATED,
    response_model=RumourRead,
)
async def register_rumour(body: RumourCreate, principal: RumourKeeper, db: Db, holder: Holder) -> RumourRead:
    """Register a refuted rumour: new posts spreading it are labelled (or stopped), and the posts
    published before it are searched in the background (see `scan_status`)."""
    row = await handlers.register_rumour(
        db,
        holder,
        canonical_text=body.canonical_text,
        refutation_text=body.refutation_text,
        refutation_url=str(body.refutation_url),
        authority=body.authority,
        action=body.action,
        legal_basis=body.legal_basis,
        reason=body.reason,
        by=principal.actor,
    )
    return rumour_read(row)


@router.get("/v1/moderation/rumours", response_model=Page[RumourRead])
async def list_rumours(
    principal: RumourReader, db: Db, cursor: CursorQuery = None, limit: LimitQuery = DEFAULT_LIMIT
) -> Page[RumourRead]:
    """Refuted rumours, in the order they were registered, with their retro-scans' progress (MB-11)."""
    rows, next_cursor = await handlers.list_rumours(db, cursor=cursor, limit=limit)
    return Page[RumourRead](items=[rumour_read(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/v1/moderation/rumours/{rumour_id}", response_model=RumourRead, responses=problems(404, s404="No such rumour")
)
async def read_rumour(rumour_id: uuid.UUID, principal: RumourReader, db: Db) -> RumourRead:
    return rumour_read(await handlers.read_rumour(db, rumour_id))


def _job_answer(response: Response, rumour: asyncpg.Record, job: asyncpg.Record) -> RumourJobRead:
    response.headers["Location"] = f"/v1/moderation/jobs/{job['id']}"
    return RumourJobRead(job_id=str(job["id"]), job=job_read(job), rumour=rumour_read(rumour))


@router.post(
    "/v1/moderation/rumours/{rumour_id}/withdrawal",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=RumourJobRead,
    responses=problems(404, 409, s404="No such rumour", s409="Withdrawn already (MB-11)"),
)
async def withdraw_rumour(
    rumour_id: uuid.UUID, body: RumourWithdrawal, principal: ChiefEditor, db: Db, holder: Holder, response: Response
) -> RumourJobRead:
    """The chief editor withdraws a rumour (MB-11, MB-6.1): it matches no new post, and the labels it put
    go, as a job (`Location`)."""
    row, job = await handlers.withdraw_rumour(db, holder, rumour_id, reason=body.reason, by=principal.actor)
    return _job_answer(response, row, job)


@router.post(
    "/v1/moderation/rumours/{rumour_id}/escalation",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=RumourJobRead,
    responses=problems(404, 409, s404="No such rumour", s409="Withdrawn, or stopping already (MB-11)"),
)
async def escalate_rumour(
    rumour_id: uuid.UUID, body: RumourEscalation, principal: ChiefEditor, db: Db, holder: Holder, response: Response
) -> RumourJobRead:
    """The chief editor raises a rumour from label to stop (MB-11, MB-12.2, MB-6.1): new posts spreading it
    are stopped, and its cluster (the posts its label stands on, and those its retro-scan finds) is stopped
    as a job (`Location`); each stop is reported once."""
    row, job = await handlers.escalate_rumour(
        db,
        holder,
        rumour_id,
        reason=body.reason,
        category=body.category,
        legal_basis=body.legal_basis,
        by=principal.actor,
    )
    return _job_answer(response, row, job)


# --- the lexicon as TSV (MB-12, BJ-10) ---------------------------------------------------------


@router.get(
    "/v1/moderation/lexicon/entries.tsv",
    response_class=StreamingResponse,
    responses={200: {"content": {lexicon_tsv.MEDIA_TYPE: {"schema": {"type": "string"}}}, "description": "TSV"}},
)
async def export_lexicon(principal: LexiconReader, db: Db, settings: Settings) -> StreamingResponse:
    """The live lexicon as a TSV file (IANA text/tab-separated-values; a header row; term, category, action,
    legal_basis as comma-separated requirement IDs, id, added_in), streamed from one snapshot."""
    return StreamingResponse(
        handlers.export_lexicon(db, settings.lexicon_export_chunk),
        media_type=f"{lexicon_tsv.MEDIA_TYPE}; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="lexicon.tsv"'},
    )


@router.post(
    "/v1/moderation/lexicon-imports",
    status_code=status.HTTP_201_CREATED,
    response_model=LexiconImportRead,
)
async def start_lexicon_import(
    body: LexiconImportCreate, principal: Proposer, db: Db, response: Response
) -> LexiconImportRead:
    """A lexicon TSV file of any size, uploaded in parts (each within the gateway's 1 MiB body limit), then
    completed: validated whole and proposed as one change the chief editor approves (MB-12, MB-6.1)."""
    row = await handlers.start_import(db, reason=body.reason, mode=body.mode, by=principal.actor)
    response.headers["Location"] = f"/v1/moderation/lexicon-imports/{row['id']}"
    return lexicon_import_read(row)


@router.get(
    "/v1/moderation/lexicon-imports/{import_id}",
    response_model=LexiconImportRead,
    responses=problems(404, s404="No such lexicon import"),
)
async def read_lexicon_import(import_id: uuid.UUID, principal: Proposer, db: Db) -> LexiconImportRead:
    return lexicon_import_read(await handlers.read_import(db, import_id))


@router.put(
    "/v1/moderation/lexicon-imports/{import_id}/parts/{n}",
    response_model=LexiconImportPartRead,
    responses=problems(404, 409, 413, 415, s404="No such lexicon import", s409="Completed already"),
    openapi_extra={
        "requestBody": {"required": True, "content": {lexicon_tsv.MEDIA_TYPE: {"schema": {"type": "string"}}}}
    },
)
async def put_lexicon_import_part(
    import_id: uuid.UUID,
    n: Annotated[int, Path(ge=1, le=100_000)],
    request: Request,
    principal: Proposer,
    db: Db,
    settings: Settings,
) -> LexiconImportPartRead:
    """Part `n` (from 1) of the file, as text/tab-separated-values bytes; the file is the parts joined in
    order (a part may end anywhere, even inside a line). The same part again replaces it."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != lexicon_tsv.MEDIA_TYPE:
        raise UnsupportedMediaType(f"A part is {lexicon_tsv.MEDIA_TYPE}.", requirement="MB-12")
    body = await read_body(
        request, lambda size: lexicon_tsv.check_part_size(size, settings.lexicon_import_part_max_bytes)
    )
    await handlers.put_import_part(db, import_id, n, body, max_parts=settings.lexicon_import_max_parts)
    return LexiconImportPartRead(import_id=str(import_id), n=n, bytes=len(body))


@router.post(
    "/v1/moderation/lexicon-imports/{import_id}/completion",
    status_code=status.HTTP_201_CREATED,
    response_model=LexiconImportCompleted,
    responses=problems(404, 409, s404="No such lexicon import", s409="Completed already"),
)
async def complete_lexicon_import(
    import_id: uuid.UUID, principal: Proposer, db: Db, response: Response
) -> LexiconImportCompleted:
    """The file, whole, validated (a 422 lists the errors by line: unknown category, bad action, duplicate or
    empty term, ...) and proposed as ONE lexicon change (`Location`) that only the chief editor approves."""
    change, entries, add, remove = await handlers.complete_import(db, import_id, by=principal.actor)
    response.headers["Location"] = f"/v1/moderation/policy-changes/{change['id']}"
    return LexiconImportCompleted(
        import_id=str(import_id), change_id=str(change["id"]), entries=entries, add=add, remove=remove
    )


# --- emergency modes (MB-6.1 应急处置) ----------------------------------------------------------


@router.post("/v1/moderation/emergencies", status_code=status.HTTP_201_CREATED, response_model=EmergencyRead)
async def start_emergency(body: EmergencyCreate, principal: EmergencyStaff, db: Db, holder: Holder) -> EmergencyRead:
    """Hold every new post in scope (the platform, a topic, a province) for review until ended."""
    row = await handlers.start_emergency(
        db, holder, scope=body.scope, value=body.value, reason=body.reason, by=principal.actor
    )
    return emergency_read(row)


@router.post(
    "/v1/moderation/emergencies/{emergency_id}/end",
    response_model=EmergencyRead,
    responses=problems(404, s404="No such emergency mode in force"),
)
async def end_emergency(emergency_id: uuid.UUID, principal: EmergencyStaff, db: Db, holder: Holder) -> EmergencyRead:
    return emergency_read(await handlers.end_emergency(db, holder, emergency_id, by=principal.actor))


@router.get("/v1/moderation/emergencies", response_model=Page[EmergencyRead])
async def list_emergencies(
    principal: EmergencyStaff, db: Db, cursor: CursorQuery = None, limit: LimitQuery = DEFAULT_LIMIT
) -> Page[EmergencyRead]:
    """The emergency modes in force, in the order they started."""
    rows, next_cursor = await handlers.list_emergencies(db, cursor=cursor, limit=limit)
    return Page[EmergencyRead](items=[emergency_read(r) for r in rows], next_cursor=next_cursor)
