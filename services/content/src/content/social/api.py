"""HTTP routes of the social graph (MB-2): follows, followers and following, blocks. Under identity's
/v1/accounts (the gateway routes these paths to content)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status
from kit.auth import CurrentPrincipal, OptionalPrincipal
from kit.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from kit.problems import problems

from content.posts.api import Db
from content.social import handlers
from content.social.schemas import BlockRead, FollowRead, RelationshipRead, SubscribedRead, SubscriptionRead

router = APIRouter(tags=["follows"])


@router.put(
    "/v1/accounts/{account_id}/follow",
    status_code=status.HTTP_201_CREATED,
    response_model=RelationshipRead,
    responses={
        200: {"model": RelationshipRead, "description": "Already following: nothing changed"},
        **problems(
            403,
            404,
            409,
            s403="The account blocked the caller (MB-2), or the caller's account is closed or cancelled (PA-13.1)",
            s404="No such account (cancelled or closed)",
            s409="The caller blocks this account: unblock it first (MB-2)",
            s422="Following oneself",
        ),
    },
)
async def follow(account_id: uuid.UUID, principal: CurrentPrincipal, response: Response, db: Db) -> RelationshipRead:
    """Follow an account (MB-2): 201 the first time, 200 when already following. No real name is needed
    to follow (reading is open, MB-7.1)."""
    if not await handlers.follow(db, principal, account_id):
        response.status_code = status.HTTP_200_OK
    return await handlers.relationship(db, account_id, principal)


@router.delete("/v1/accounts/{account_id}/follow", status_code=status.HTTP_204_NO_CONTENT)
async def unfollow(account_id: uuid.UUID, principal: CurrentPrincipal, db: Db) -> Response:
    """Stop following an account; not following it already changes nothing."""
    await handlers.unfollow(db, principal, account_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/v1/accounts/{account_id}/follow",
    response_model=RelationshipRead,
    responses=problems(404, s404="No such account (cancelled or closed)"),
)
async def read_relationship(account_id: uuid.UUID, viewer: OptionalPrincipal, db: Db) -> RelationshipRead:
    """An account's follower and following counts, and how the caller stands to it."""
    return await handlers.relationship(db, account_id, viewer)


@router.get(
    "/v1/accounts/{account_id}/followers",
    response_model=Page[FollowRead],
    responses=problems(404, s404="No such account (cancelled or closed)"),
)
async def read_followers(
    account_id: uuid.UUID, db: Db, cursor: CursorQuery = None, limit: LimitQuery = DEFAULT_LIMIT
) -> dict:
    """Who follows the account, newest first; suspended, closed and cancelled accounts are left out."""
    return await handlers.followers(db, account_id, cursor, limit)


@router.get(
    "/v1/accounts/{account_id}/following",
    response_model=Page[FollowRead],
    responses=problems(404, s404="No such account (cancelled or closed)"),
)
async def read_following(
    account_id: uuid.UUID, db: Db, cursor: CursorQuery = None, limit: LimitQuery = DEFAULT_LIMIT
) -> dict:
    """Whom the account follows, newest first; suspended, closed and cancelled accounts are left out."""
    return await handlers.following(db, account_id, cursor, limit)


@router.put(
    "/v1/accounts/{account_id}/block",
    status_code=status.HTTP_201_CREATED,
    response_model=RelationshipRead,
    responses={
        200: {"model": RelationshipRead, "description": "Already blocked: nothing changed"},
        **problems(404, s404="No such account (cancelled or closed)", s422="Blocking oneself"),
    },
)
async def block(account_id: uuid.UUID, principal: CurrentPrincipal, response: Response, db: Db) -> RelationshipRead:
    """Block an account (MB-2): the follows between you go both ways, and it can no longer follow you,
    comment on or repost your posts. 201 the first time, 200 when already blocked."""
    if not await handlers.block(db, principal, account_id):
        response.status_code = status.HTTP_200_OK
    return await handlers.relationship(db, account_id, principal)


@router.delete("/v1/accounts/{account_id}/block", status_code=status.HTTP_204_NO_CONTENT)
async def unblock(account_id: uuid.UUID, principal: CurrentPrincipal, db: Db) -> Response:
    """Stop blocking an account; not blocking it already changes nothing."""
    await handlers.unblock(db, principal, account_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/v1/accounts/me/blocks", response_model=Page[BlockRead])
async def read_blocks(
    principal: CurrentPrincipal, db: Db, cursor: CursorQuery = None, limit: LimitQuery = DEFAULT_LIMIT
) -> dict:
    """The accounts you block, newest first."""
    return await handlers.blocks(db, principal, cursor, limit)


# --- subscriptions: following a public account (S4, issue 13; MB-2, PA-7.1) -------------------------

subscriptions_router = APIRouter(tags=["subscriptions"])


@subscriptions_router.put(
    "/v1/public-accounts/{public_account_id}/subscription",
    status_code=status.HTTP_201_CREATED,
    response_model=SubscriptionRead,
    responses={
        200: {"model": SubscriptionRead, "description": "Already subscribed: nothing changed"},
        **problems(
            403,
            404,
            409,
            s403="The account blocked the caller (MB-2), or the caller's account is closed or cancelled (PA-13.1)",
            s404="No such public account (not approved, cancelled or closed)",
            s409="The caller blocks this account: unblock it first (MB-2)",
            s422="Subscribing to oneself",
        ),
    },
)
async def subscribe(
    public_account_id: uuid.UUID, principal: CurrentPrincipal, response: Response, db: Db
) -> SubscriptionRead:
    """Subscribe to a public account (follow it, MB-2): 201 the first time, 200 when subscribed already.
    No real name is needed (reading is open, MB-7.1)."""
    if not await handlers.subscribe(db, principal, public_account_id):
        response.status_code = status.HTTP_200_OK
    return await handlers.subscription(db, public_account_id, principal)


@subscriptions_router.delete(
    "/v1/public-accounts/{public_account_id}/subscription",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(404, s404="No such public account"),
)
async def unsubscribe(public_account_id: uuid.UUID, principal: CurrentPrincipal, db: Db) -> Response:
    """Unsubscribe; not subscribed already changes nothing."""
    await handlers.unsubscribe(db, principal, public_account_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@subscriptions_router.get(
    "/v1/public-accounts/{public_account_id}/subscription",
    response_model=SubscriptionRead,
    responses=problems(404, s404="No such public account"),
)
async def read_subscription(public_account_id: uuid.UUID, viewer: OptionalPrincipal, db: Db) -> SubscriptionRead:
    """A public account's subscriber count, and whether the caller subscribes to it."""
    return await handlers.subscription(db, public_account_id, viewer)


@subscriptions_router.get(
    "/v1/public-accounts/{public_account_id}/subscribers",
    response_model=Page[FollowRead],
    responses=problems(
        403,
        404,
        s403="Not an acting token of this public account (PA-7.1)",
        s404="No such public account",
    ),
)
async def read_subscribers(
    public_account_id: uuid.UUID,
    principal: CurrentPrincipal,
    db: Db,
    cursor: CursorQuery = None,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> dict:
    """Who subscribes to the public account, newest first, for its operators (an acting token);
    suspended, closed and cancelled accounts are left out."""
    return await handlers.subscribers(db, principal, public_account_id, cursor, limit)


@subscriptions_router.get("/v1/accounts/me/subscriptions", response_model=Page[SubscribedRead])
async def read_subscriptions(
    principal: CurrentPrincipal, db: Db, cursor: CursorQuery = None, limit: LimitQuery = DEFAULT_LIMIT
) -> dict:
    """The public accounts you subscribe to, newest first."""
    return await handlers.subscriptions(db, principal, cursor, limit)
