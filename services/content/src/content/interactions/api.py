"""HTTP routes of reposts, comments, likes (MB-2), comment management (MB-10.2, PA-12) and staff feature
restrictions (PA-12.2): parse, authorise, call the handler."""

from __future__ import annotations

import uuid
from typing import Annotated

from contracts.staff import StaffRole
from fastapi import APIRouter, Query, Request, Response, status
from kit.auth import CurrentPrincipal, OptionalPrincipal, Principal, staff_with
from kit.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from kit.problems import problems
from kit.userlog import RequestLog

from content.interactions import handlers
from content.interactions.domain import CommentAction, OwnerState
from content.interactions.schemas import (
    CommentCreate,
    CommentSettingsRead,
    CommentSettingsUpdate,
    DelegateRead,
    FeatureRestrictionCreate,
    FeatureRestrictionLift,
    FeatureRestrictionRead,
    RepostCreate,
    RestrictionsRead,
)
from content.posts.api import Db, IdempotencyKey, created_response
from content.posts.schemas import PostRead

router = APIRouter(tags=["interactions"])
staff_router = APIRouter(tags=["staff"])

# PA-12.2: who restricts an account's features, and who reads the record.
Restricter = Annotated[
    Principal,
    staff_with(StaffRole.SENIOR_REVIEWER, StaffRole.CHIEF_EDITOR, StaffRole.OPERATOR, requirement="PA-12.2"),
]
RestrictionReader = Annotated[
    Principal,
    staff_with(
        StaffRole.REVIEWER,
        StaffRole.SENIOR_REVIEWER,
        StaffRole.CHIEF_EDITOR,
        StaffRole.OPERATOR,
        StaffRole.AUDITOR,
        requirement="PA-12.2",
    ),
]

_INTERACTION_REFUSALS = dict(
    s403="Real name, agreement or standing (MB-7.1, MB-7.2, MB-6.2, PA-13.1), a credit level's or sanction's limit "
    "(PA-6.2, PA-13.1), a platform restriction (PA-12.2), a block (MB-2), the thread's settings (MB-10.2), or "
    "a comment or repost over the grade's daily posts (`quota-reached`, MB-9, with Retry-After)",
    s404="No such post visible to the caller",
    s410="Its author deleted it",
    s451="Transmission stopped (MB-12.2), with the legal basis",
)
_CREATED = {200: {"model": PostRead, "description": "The same Idempotency-Key and request again: what it created"}}


@router.post(
    "/v1/posts/{post_id}/reposts",
    status_code=status.HTTP_201_CREATED,
    response_model=PostRead,
    responses={
        **_CREATED,
        **problems(
            403, 404, 410, 451, **_INTERACTION_REFUSALS, s422="A comment (MB-2), too long, or an Idempotency-Key reused"
        ),
    },
)
async def create_repost(
    post_id: uuid.UUID,
    body: RepostCreate,
    principal: CurrentPrincipal,
    request: Request,
    response: Response,
    db: Db,
    idempotency_key: IdempotencyKey = None,
) -> PostRead:
    """Repost a post or a repost (MB-2), with optional text of your own, keeping the chain: `parent_id` is
    what you reposted, `root_id` the original. Moderation checks it like a post (status `pending`)."""
    created = await handlers.repost(
        db,
        request.app.state.settings,
        principal,
        post_id,
        text=body.text,
        idempotency_key=idempotency_key,
        category=body.category,
        log=RequestLog.of(request),
    )
    return created_response(response, created)


@router.get(
    "/v1/posts/{post_id}/reposts",
    response_model=Page[PostRead],
    responses=problems(404, 410, 451, **{k: v for k, v in _INTERACTION_REFUSALS.items() if k != "s403"}),
)
async def list_reposts(
    post_id: uuid.UUID,
    viewer: OptionalPrincipal,
    db: Db,
    cursor: CursorQuery = None,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> Page[PostRead]:
    """The reposts of a post (its whole chain) or of a repost, newest first; only what the caller may see."""
    return await handlers.reposts(db, post_id, viewer, cursor=cursor, limit=limit)


@router.post(
    "/v1/posts/{post_id}/comments",
    status_code=status.HTTP_201_CREATED,
    response_model=PostRead,
    responses={
        **_CREATED,
        **problems(403, 404, 410, 451, **_INTERACTION_REFUSALS, s422="No text, too long, or an Idempotency-Key reused"),
    },
)
async def create_comment(
    post_id: uuid.UUID,
    body: CommentCreate,
    principal: CurrentPrincipal,
    request: Request,
    response: Response,
    db: Db,
    idempotency_key: IdempotencyKey = None,
) -> PostRead:
    """Comment on a post or repost, or reply to a comment (one level of replies: a reply to a reply
    answers its top-level comment). Moderation checks it like a post (MB-6.1); where the owner approves
    comments (精选, MB-10.2) it waits for approval too (`owner_state` `awaiting`)."""
    created = await handlers.comment(
        db,
        request.app.state.settings,
        principal,
        post_id,
        text=body.text,
        idempotency_key=idempotency_key,
        log=RequestLog.of(request),
    )
    return created_response(response, created)


@router.get(
    "/v1/posts/{post_id}/comments",
    response_model=Page[PostRead],
    responses=problems(
        403,
        404,
        410,
        451,
        s403="Only the thread's owner or a delegate lists awaiting or hidden comments (MB-10.2)",
        s404="No such post visible to the caller",
        s410="Its author deleted it",
        s451="Transmission stopped (MB-12.2), with the legal basis",
    ),
)
async def list_comments(
    post_id: uuid.UUID,
    viewer: OptionalPrincipal,
    db: Db,
    state: Annotated[
        OwnerState, Query(description="shown (everyone); awaiting or hidden: the thread's managers, whole thread")
    ] = OwnerState.SHOWN,
    cursor: CursorQuery = None,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> Page[PostRead]:
    """A post's or repost's top-level comments, or a comment's replies, newest first; only what the caller
    may see (your own awaiting or hidden comments included)."""
    return await handlers.comments(db, post_id, viewer, state=state, cursor=cursor, limit=limit)


@router.put(
    "/v1/posts/{post_id}/like",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(403, 404, 410, 451, **_INTERACTION_REFUSALS),
)
async def like(post_id: uuid.UUID, principal: CurrentPrincipal, db: Db) -> Response:
    """Like a post, repost or comment; liking again changes nothing."""
    await handlers.like(db, principal, post_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete("/v1/posts/{post_id}/like", status_code=status.HTTP_204_NO_CONTENT)
async def unlike(post_id: uuid.UUID, principal: CurrentPrincipal, db: Db) -> Response:
    """Take your like back; without one, nothing changes."""
    await handlers.unlike(db, principal, post_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- comment management (MB-10.2, PA-12) ----------------------------------------------------------

_MANAGE = problems(
    403,
    404,
    409,
    s403="Not the thread's owner or a delegate they named (MB-10.2)",
    s404="No such published comment under this post",
    s409="Approving a hidden comment (unhide it)",
)


async def _manage(
    request: Request, db: Db, principal: Principal, post_id: uuid.UUID, comment_id: uuid.UUID, action: CommentAction
) -> Response:
    await handlers.manage_comment(db, request.app.state.settings, principal, post_id, comment_id, action)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put("/v1/posts/{post_id}/comments/{comment_id}/hidden", status_code=204, responses=_MANAGE)
async def hide_comment(
    post_id: uuid.UUID, comment_id: uuid.UUID, principal: CurrentPrincipal, request: Request, db: Db
) -> Response:
    """Hide a comment under your post (or one you manage): only its author and the managers see it."""
    return await _manage(request, db, principal, post_id, comment_id, CommentAction.HIDE)


@router.delete("/v1/posts/{post_id}/comments/{comment_id}/hidden", status_code=204, responses=_MANAGE)
async def unhide_comment(
    post_id: uuid.UUID, comment_id: uuid.UUID, principal: CurrentPrincipal, request: Request, db: Db
) -> Response:
    """Show a comment you hid again."""
    return await _manage(request, db, principal, post_id, comment_id, CommentAction.UNHIDE)


@router.put("/v1/posts/{post_id}/comments/{comment_id}/approval", status_code=204, responses=_MANAGE)
async def approve_comment(
    post_id: uuid.UUID, comment_id: uuid.UUID, principal: CurrentPrincipal, request: Request, db: Db
) -> Response:
    """Approve a comment awaiting approval (精选): everyone sees it, and it is counted."""
    return await _manage(request, db, principal, post_id, comment_id, CommentAction.APPROVE)


@router.delete("/v1/posts/{post_id}/comments/{comment_id}", status_code=204, responses=_MANAGE)
async def delete_comment(
    post_id: uuid.UUID, comment_id: uuid.UUID, principal: CurrentPrincipal, request: Request, db: Db
) -> Response:
    """Delete a comment under your post (or one you manage, or your own): it leaves every read path; the
    platform keeps it as a record for the retention period (MB-16.2)."""
    return await _manage(request, db, principal, post_id, comment_id, CommentAction.DELETE)


_PIN = problems(
    403,
    404,
    409,
    s403="Not the thread's owner or a delegate (MB-10.2, PA-12.2)",
    s404="No such top-level comment under this post",
    s409="Not shown to everyone (not-shown), or the thread's pins are all used (too-many-pins, PA-12.2)",
)


@router.put("/v1/posts/{post_id}/comments/{comment_id}/pin", status_code=204, responses=_PIN)
async def pin_comment(
    post_id: uuid.UUID, comment_id: uuid.UUID, principal: CurrentPrincipal, request: Request, db: Db
) -> Response:
    """Pin a comment under your post or article (PA-12.2): pinned comments come first in the list."""
    await handlers.pin_comment(db, request.app.state.settings, principal, post_id, comment_id, pin=True)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete("/v1/posts/{post_id}/comments/{comment_id}/pin", status_code=204, responses=_PIN)
async def unpin_comment(
    post_id: uuid.UUID, comment_id: uuid.UUID, principal: CurrentPrincipal, request: Request, db: Db
) -> Response:
    """Unpin a comment; unpinning one that is not pinned changes nothing."""
    await handlers.pin_comment(db, request.app.state.settings, principal, post_id, comment_id, pin=False)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/v1/posts/{post_id}/comment-settings",
    response_model=CommentSettingsRead,
    responses=problems(403, 404, 410, 451, s403="Not the post's owner or a delegate (MB-10.2)"),
)
async def read_post_comment_settings(post_id: uuid.UUID, principal: CurrentPrincipal, db: Db) -> CommentSettingsRead:
    """The comment settings of one of your posts or reposts, as set and in force."""
    return await handlers.post_settings(db, principal, post_id)


@router.put(
    "/v1/posts/{post_id}/comment-settings",
    response_model=CommentSettingsRead,
    responses=problems(
        403, 404, 410, 451, s403="Not the post's owner or a delegate (MB-10.2)", s422="A comment, or bad input"
    ),
)
async def set_post_comment_settings(
    post_id: uuid.UUID, body: CommentSettingsUpdate, principal: CurrentPrincipal, db: Db
) -> CommentSettingsRead:
    """Close comments on a post, restrict them to your followers, or hold them for approval (MB-10.2, PA-12);
    a field not set follows your account's settings."""
    return await handlers.set_post_settings(db, principal, post_id, body.settings())


@router.get("/v1/accounts/me/comment-settings", response_model=CommentSettingsRead)
async def read_account_comment_settings(principal: CurrentPrincipal, db: Db) -> CommentSettingsRead:
    """Your account's comment settings, as set and in force."""
    return await handlers.account_settings(db, principal)


@router.put("/v1/accounts/me/comment-settings", response_model=CommentSettingsRead)
async def set_account_comment_settings(
    body: CommentSettingsUpdate, principal: CurrentPrincipal, db: Db
) -> CommentSettingsRead:
    """Close comments on all your posts, restrict them to your followers, or hold them for approval (MB-10.2,
    PA-12); a field not set takes the default (approval: on for organisation accounts)."""
    return await handlers.set_account_settings(db, principal, body.settings())


@router.get("/v1/accounts/me/comment-delegates", response_model=Page[DelegateRead])
async def list_comment_delegates(
    principal: CurrentPrincipal, db: Db, cursor: CursorQuery = None, limit: LimitQuery = DEFAULT_LIMIT
) -> Page[DelegateRead]:
    """The operators you named to manage the comments under your posts, newest first."""
    return await handlers.delegates(db, principal, cursor=cursor, limit=limit)


@router.put(
    "/v1/accounts/me/comment-delegates/{account_id}",
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"description": "Named already"},
        **problems(403, s403="Not a verified organisation account (MB-10.2)", s422="Yourself, or bad input"),
    },
)
async def name_comment_delegate(account_id: uuid.UUID, principal: CurrentPrincipal, db: Db) -> Response:
    """Name an operator to manage the comments under your posts (MB-10.2: organisation accounts)."""
    named = await handlers.name_delegate(db, principal, account_id)
    return Response(status_code=status.HTTP_201_CREATED if named else status.HTTP_200_OK)


@router.delete("/v1/accounts/me/comment-delegates/{account_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_comment_delegate(account_id: uuid.UUID, principal: CurrentPrincipal, db: Db) -> Response:
    """Take an operator's delegation back; without one, nothing changes."""
    await handlers.remove_delegate(db, principal, account_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/v1/accounts/me/restrictions", response_model=RestrictionsRead)
async def read_my_restrictions(principal: CurrentPrincipal, db: Db) -> RestrictionsRead:
    """What limits your features: your credit level's limits (PA-6.2), a sanction's (PA-13.1), and the
    platform's restrictions of your comment, repost or like features (PA-12.2), with their reasons."""
    return await handlers.my_restrictions(db, principal)


# --- staff: feature restrictions (PA-12.2) --------------------------------------------------------


@staff_router.post(
    "/v1/content/staff/feature-restrictions",
    status_code=status.HTTP_201_CREATED,
    response_model=FeatureRestrictionRead,
)
async def create_feature_restriction(
    body: FeatureRestrictionCreate, staff: Restricter, db: Db
) -> FeatureRestrictionRead:
    """Take an account's comment, repost or like features (PA-12.2) until a moment or until lifted, with the
    reason and legal basis; recorded and shown to the account, enforced on every interaction."""
    return await handlers.restrict(db, staff, body)


@staff_router.get("/v1/content/staff/feature-restrictions", response_model=Page[FeatureRestrictionRead])
async def list_feature_restrictions(
    staff: RestrictionReader,
    db: Db,
    account_id: Annotated[uuid.UUID | None, Query(description="One account's only")] = None,
    in_force: Annotated[bool, Query(description="Only those in force")] = False,
    cursor: CursorQuery = None,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> Page[FeatureRestrictionRead]:
    """The record of feature restrictions, newest first."""
    return await handlers.restrictions(db, account_id, in_force=in_force, cursor=cursor, limit=limit)


@staff_router.post(
    "/v1/content/staff/feature-restrictions/{restriction_id}/lift",
    response_model=FeatureRestrictionRead,
    responses=problems(404, s404="No such feature restriction"),
)
async def lift_feature_restriction(
    restriction_id: uuid.UUID, body: FeatureRestrictionLift, staff: Restricter, db: Db
) -> FeatureRestrictionRead:
    """Lift a restriction (recorded on it, with the reason); lifting it again changes nothing."""
    return await handlers.lift(db, staff, restriction_id, body.reason)
