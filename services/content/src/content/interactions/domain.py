"""The rules of reposts, comments and likes (MB-2) and of comment management (MB-10.2, PA-12), free of
I/O: where a repost or comment hangs in its chain, which settings apply to a thread, and every refusal
with the requirement that makes it."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from kit.problems import Conflict, Forbidden, InvalidInput

from content.posts.domain import PostKind, Standing, check_length

# --- what interactions act on -------------------------------------------------------------------


class Feature(StrEnum):
    """What staff may take from an account (PA-12.2), and what each interaction needs."""

    COMMENTS = "comments"
    REPOSTS = "reposts"
    LIKES = "likes"


# Identity's limits (its standing domain: a credit level's, PA-6.2, or a sanction's, PA-13.1) per feature.
IDENTITY_LIMITS: dict[Feature, str] = {Feature.COMMENTS: "no_comments", Feature.REPOSTS: "no_reposts"}

# MB-10.2: organisation accounts, responsible for the comments under their content, get approval and
# delegation by default.
ORGANISATION_TYPES = frozenset({"enterprise", "public_institution", "government", "media"})


class OwnerState(StrEnum):
    """A comment under its thread owner's management (MB-10.2, PA-12)."""

    SHOWN = "shown"
    AWAITING = "awaiting"  # held for the owner's approval (精选): its author and the managers see it
    HIDDEN = "hidden"  # hidden by the owner: its author and the managers see it


class CommentAction(StrEnum):
    HIDE = "hide"
    UNHIDE = "unhide"
    APPROVE = "approve"
    DELETE = "delete"
    PIN = "pin"  # PA-12.2: a public account's operators pin comments (issue 13 §4)
    UNPIN = "unpin"


@dataclass(frozen=True, slots=True)
class Target:
    """What a repost, comment or like is about, as stored."""

    id: uuid.UUID
    author_id: uuid.UUID
    kind: PostKind
    parent_id: uuid.UUID | None
    root_id: uuid.UUID | None


@dataclass(frozen=True, slots=True)
class Chain:
    """Where a new repost or comment hangs: what it answers and the post its chain or thread belongs to."""

    parent_id: uuid.UUID
    root_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class CommentSettings:
    """Comment settings as set (None: not set, the level below decides)."""

    closed: bool | None = None
    followers_only: bool | None = None
    approval: bool | None = None


@dataclass(frozen=True, slots=True)
class CommentPolicy:
    """The settings in force on a thread."""

    closed: bool
    followers_only: bool
    approval: bool


@dataclass(frozen=True, slots=True)
class Restriction:
    """PA-12.2: features staff took from an account, until a moment (None: until lifted)."""

    id: uuid.UUID
    account_id: uuid.UUID
    features: tuple[str, ...]
    reason: str
    legal_basis: tuple[str, ...]
    until: datetime | None


@dataclass(frozen=True, slots=True)
class VerifiedAccount:
    """MB-8 / MB-10.2: identity approved an account's verified type."""

    account_id: uuid.UUID
    verified_type: str
    approved_at: datetime


# --- refusals -----------------------------------------------------------------------------------


class Blocked(Forbidden):
    type = "blocked"
    title = "Blocked by the author"


class CommentNotRepostable(InvalidInput):
    type = "comment-not-repostable"
    title = "A comment cannot be reposted"


class NotAThread(InvalidInput):
    type = "not-a-thread"
    title = "Not a post or repost"


class FeatureLimited(Forbidden):
    """PA-6.2 / PA-13.1: the account's credit level or a sanction limits this feature."""

    type = "feature-limited"
    title = "Feature limited by credit level or sanction"


class FeatureRestricted(Forbidden):
    """PA-12.2: staff restricted the feature."""

    type = "feature-restricted"
    title = "Feature restricted by the platform"


class CommentsClosed(Forbidden):
    type = "comments-closed"
    title = "Comments closed"


class CommentsForFollowers(Forbidden):
    type = "comments-followers-only"
    title = "Comments restricted to followers"


class TooManyPins(Conflict):
    type = "too-many-pins"
    title = "Too many pinned comments"


class NotShown(Conflict):
    type = "not-shown"
    title = "Only a shown comment is pinned"


class NotThreadManager(Forbidden):
    type = "not-thread-manager"
    title = "Not the thread's owner or a delegate"


class DelegationForOrganisations(Forbidden):
    type = "delegation-for-organisations"
    title = "Delegation is for organisation accounts"


class CommentHidden(Conflict):
    type = "comment-hidden"
    title = "Comment hidden"


# --- rules --------------------------------------------------------------------------------------


def target(row: Mapping[str, Any]) -> Target:
    """A stored post row (an asyncpg record or a mapping) as a target."""
    return Target(row["id"], row["author_id"], PostKind(row["kind"]), row["parent_id"], row["root_id"])


def repost_chain(parent: Target) -> Chain:
    """MB-2: a repost keeps its chain: its parent is what it reposts, its root the original post (the
    parent's root when the parent is a repost). A comment cannot be reposted."""
    if parent.kind is PostKind.COMMENT:
        raise CommentNotRepostable("A comment cannot be reposted; repost the post it is under.", requirement="MB-2")
    root = parent.root_id if parent.kind is PostKind.REPOST and parent.root_id is not None else parent.id
    return Chain(parent_id=parent.id, root_id=root)


def comment_chain(answered: Target) -> Chain:
    """MB-2: a comment's root is the post or repost whose thread it is in; its parent what it answers.
    One level of replies: a reply to a reply answers the top-level comment."""
    if answered.kind is not PostKind.COMMENT:
        return Chain(parent_id=answered.id, root_id=answered.id)
    root = answered.root_id or answered.id
    top_level = answered.parent_id is None or answered.parent_id == root
    return Chain(parent_id=answered.id if top_level else answered.parent_id, root_id=root)


def repost_text(text: str, max_chars: int) -> str:
    """A repost's own text is optional (empty is fine); the length limit of a post applies."""
    return check_length(text, max_chars) if text.strip() else ""


def thread_policy(
    account: CommentSettings, post: CommentSettings, *, organisation: bool, public_account: bool = False
) -> CommentPolicy:
    """The settings in force on a thread: the post's own, else its owner's account's, else the default
    (MB-10.2: approval on by default for organisation accounts; PA-12.2: for public accounts' threads, 留言
    wait for the operator's approval)."""

    def pick(name: str, default: bool) -> bool:
        for value in (getattr(post, name), getattr(account, name)):
            if value is not None:
                return value
        return default

    return CommentPolicy(
        closed=pick("closed", False),
        followers_only=pick("followers_only", False),
        approval=pick("approval", organisation or public_account),
    )


def is_organisation(verified_type: str | None) -> bool:
    return verified_type in ORGANISATION_TYPES


def check_not_blocked(blocked: bool) -> None:
    """MB-2: an account the author blocked may not comment on, repost or like the author's content."""
    if blocked:
        raise Blocked("The author of this post blocked you.", requirement="MB-2")


def check_limits(feature: Feature, standing: Standing | None) -> None:
    """PA-6.2 / PA-13.1: identity's limits bite: a credit level without reposts or comments, or a sanction
    ("7 days without reposts and comments")."""
    limit = IDENTITY_LIMITS.get(feature)
    if standing is None or limit is None or limit not in standing.limits:
        return
    requirement = standing.limit_requirement(limit)
    why = "a sanction in force" if requirement == "PA-13.1" else f"your credit level ({standing.credit_level})"
    raise FeatureLimited(
        f"{feature.capitalize()} are not allowed: {why} (GET /v1/accounts/me/restrictions).",
        requirement=requirement,
        limit=limit,
        credit_level=standing.credit_level,
    )


def check_restrictions(feature: Feature, own: list[Restriction], owners: list[Restriction]) -> None:
    """PA-12.2: staff took the feature from the caller (``own``), or from the account whose content it is
    (``owners``: its content takes none of it)."""
    for restrictions, whose in ((own, "your account"), (owners, "the author's account")):
        for r in restrictions:
            if str(feature) in r.features:
                raise FeatureRestricted(
                    f"The platform restricted {feature} for {whose}: {r.reason}",
                    requirement="PA-12.2",
                    until=r.until.isoformat() if r.until else None,
                    legal_basis=list(r.legal_basis),
                    restriction_id=str(r.id),
                )


def check_may_comment(policy: CommentPolicy, *, manager: bool, follows_owner: bool) -> None:
    """MB-10.2 / PA-12: a closed thread takes no comments; a followers-only one only its owner's
    followers'. The owner and their delegates always may."""
    if manager:
        return
    if policy.closed:
        raise CommentsClosed("Comments on this post are closed by its owner.", requirement="MB-10.2")
    if policy.followers_only and not follows_owner:
        raise CommentsForFollowers("Only the owner's followers may comment on this post.", requirement="MB-10.2")


def new_comment_state(policy: CommentPolicy, *, manager: bool) -> OwnerState:
    """MB-10.2 (精选): with approval on, a new comment awaits the owner's approval; the owner's and
    delegates' own are shown."""
    return OwnerState.AWAITING if policy.approval and not manager else OwnerState.SHOWN


def check_manager(manager: bool) -> None:
    if not manager:
        raise NotThreadManager(
            "Only the thread's owner (the author of the post) or a delegate they named manages its comments.",
            requirement="MB-10.2",
        )


def check_may_delegate(verified_type: str | None) -> None:
    """MB-10.2: organisation accounts delegate comment management to operators they name."""
    if not is_organisation(verified_type):
        raise DelegationForOrganisations(
            "Naming comment delegates is for verified organisation accounts (enterprise, public institution, "
            "government, media).",
            requirement="MB-10.2",
        )


def next_state(current: OwnerState, action: CommentAction) -> OwnerState:
    """What a management action makes of a comment's state (hide and unhide, approve)."""
    if action is CommentAction.HIDE:
        return OwnerState.HIDDEN
    if action is CommentAction.UNHIDE:
        return OwnerState.SHOWN if current is OwnerState.HIDDEN else current
    if action is CommentAction.APPROVE:
        if current is OwnerState.HIDDEN:
            raise CommentHidden("This comment is hidden; unhide it to show it.", requirement="MB-10.2")
        return OwnerState.SHOWN
    raise ValueError(action)


def check_may_pin(*, shown: bool, pinned: int, max_pins: int) -> None:
    """PA-12.2: a thread's managers pin at most ``max_pins`` comments, each one everyone may see."""
    if not shown:
        raise NotShown("Only a published comment everyone may see is pinned (approve or unhide it first).")
    if pinned >= max_pins:
        raise TooManyPins(f"A thread has at most {max_pins} pinned comments; unpin one first.", requirement="PA-12.2")


def check_grade_feature(features: tuple[str, ...], feature: str = "article_comments") -> None:
    """MB-9 / PA-7.2: the public account's grade decides whether its threads take comments."""
    if feature not in features:
        raise FeatureLimited(
            f"The account's grade does not include the feature {feature}.",
            requirement="MB-9",
            legal_basis=["MB-9", "PA-7.2"],
        )
