"""The social graph's rules, free of I/O (MB-2): who may follow or block whom, and how a change of
follows changes each account's counts (announced so grades and routing use real numbers, MB-9, MB-6.1)."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from kit.problems import Conflict, Forbidden, InvalidInput, NotFound

from content.posts.domain import AccountCancelled, AccountClosed, Standing


@dataclass(frozen=True, slots=True)
class Edge:
    """One account following another."""

    follower_id: uuid.UUID
    followee_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class FollowStarted:
    follower_id: uuid.UUID
    followee_id: uuid.UUID
    followed_at: datetime


@dataclass(frozen=True, slots=True)
class FollowCount:
    """An account's counts after a change; ``version`` orders the announcements of one account."""

    account_id: uuid.UUID
    followers: int
    following: int
    version: int
    changed_at: datetime


@dataclass(frozen=True, slots=True)
class CountChange:
    """How much an account's counts move."""

    followers: int = 0
    following: int = 0


# --- refusals -----------------------------------------------------------------------------------


class CannotFollowYourself(InvalidInput):
    type = "cannot-follow-yourself"
    title = "An account cannot follow itself"


class CannotBlockYourself(InvalidInput):
    type = "cannot-block-yourself"
    title = "An account cannot block itself"


class BlockedByAccount(Forbidden):
    type = "blocked"
    title = "Blocked by this account"


class BlockingAccount(Conflict):
    type = "blocking"
    title = "You block this account"


# --- rules --------------------------------------------------------------------------------------


def gone(standing: Standing | None) -> bool:
    """A cancelled (PA-9.2) or closed (PA-13.1) account is gone from the social graph for good; a
    suspended one is only hidden for a while."""
    return standing is not None and (standing.cancelled_at is not None or standing.closed)


def check_account_shown(standing: Standing | None) -> None:
    """A gone account has no relationship, followers or following to show (404)."""
    if gone(standing):
        raise NotFound("No such account.")


def check_may_follow(
    follower_id: uuid.UUID,
    followee_id: uuid.UUID,
    *,
    follower: Standing | None,
    followee: Standing | None,
    blocked_by_followee: bool,
    blocking_followee: bool,
) -> None:
    """MB-2: following needs no real name (reading is open, MB-7.1), but not oneself, not a gone
    account, not as an account barred for good, and not someone who blocked you."""
    if follower_id == followee_id:
        raise CannotFollowYourself("An account cannot follow itself.")
    if follower is not None and follower.cancelled_at is not None:
        raise AccountCancelled("This account was cancelled.", requirement="PA-9.2")
    if follower is not None and follower.closed:
        raise AccountClosed("This account was closed for serious violations.", requirement="PA-13.1")
    check_account_shown(followee)
    if blocked_by_followee:
        raise BlockedByAccount("This account blocked you: you cannot follow it.", requirement="MB-2")
    if blocking_followee:
        raise BlockingAccount("You block this account: unblock it before following it.", requirement="MB-2")


def check_may_block(blocker_id: uuid.UUID, blocked_id: uuid.UUID) -> None:
    if blocker_id == blocked_id:
        raise CannotBlockYourself("An account cannot block itself.")


def count_changes(added: Iterable[Edge] = (), removed: Iterable[Edge] = ()) -> dict[uuid.UUID, CountChange]:
    """Each account's change of counts for follows added and removed (an account on both ends of
    several edges moves by their sum); accounts that do not move are left out."""
    followers: Counter[uuid.UUID] = Counter()
    following: Counter[uuid.UUID] = Counter()
    for sign, edges in ((1, added), (-1, removed)):
        for edge in edges:
            followers[edge.followee_id] += sign
            following[edge.follower_id] += sign
    return {
        account: CountChange(followers=followers[account], following=following[account])
        for account in sorted(set(followers) | set(following))
        if followers[account] or following[account]
    }


# --- subscriptions: following a public account (S4, issue 13; PA-7.1, MB-2) ---------------------------


class NoSuchPublicAccount(NotFound):
    type = "no-such-public-account"
    title = "No such public account"


class NotAManager(Forbidden):
    type = "not-a-manager"
    title = "Not an operator of this public account"


def check_public_account(is_public_account: bool) -> None:
    """Subscribing is following a *public account* (an approved one, not cancelled): 404 otherwise."""
    if not is_public_account:
        raise NoSuchPublicAccount("No such public account (not approved, or cancelled).", requirement="PA-7.1")


def check_manages(public_account_id: uuid.UUID, subject: uuid.UUID, actor: str | None) -> None:
    """The subscriber list is for the account's operators only: an acting token of this public account
    (``sub`` the account, ``act`` the operator, PA-7.1). Subscribers' identities are not public (MB-2)."""
    if subject != public_account_id or actor is None:
        raise NotAManager(
            "Only the operators of this public account see its subscribers (sign in as it: "
            "POST /v1/identity/public-accounts/{id}/tokens).",
            requirement="PA-7.1",
        )
