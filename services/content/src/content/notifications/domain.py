"""Notifications' rules, free of I/O: which fact tells whom what. Each notice carries a key unique per
recipient, so an event delivered twice, or announced again by a reconciler, notifies once."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from kit.problems import InvalidInput, NotFound

from content.posts.domain import Decision, PostKind, Published, Restoration, StandingChanged


class NotificationKind(StrEnum):
    FOLLOWED = "followed"  # MB-2: someone followed you
    REPOSTED = "reposted"  # someone reposted your post or repost
    COMMENTED = "commented"  # someone commented on your post or repost
    REPLIED = "replied"  # someone replied to your comment
    HELD = "held"  # MB-6.1: your post, repost or comment is held for review
    STOPPED = "stopped"  # MB-12.2: its transmission was stopped, with the statement of reasons
    RESTORED = "restored"  # MB-12.2, MB-6.1: a wrong stop was lifted; it is served again, and why
    LABELLED = "labelled"  # MB-11: it was labelled with the refutation of a rumour it spreads
    REFUTED = "refuted"  # MB-11: a post you reposted or commented on was labelled with a refutation
    SANCTIONED = "sanctioned"  # PA-13.1: a suspension, a closure or features restricted
    CREDIT_CHANGED = "credit_changed"  # PA-6.2: your credit changed (a penalty, an appeal, a new level)
    REAL_NAME_EXPIRED = "real_name_expired"  # MB-7.2: renew your real-name verification
    ARTICLE_PUSHED = "article_pushed"  # MB-9: a public account you subscribe to pushed an article (群发)
    COMPLAINT_OUTCOME = "complaint_outcome"  # MB-14: your complaint was decided (outcome, short reason)


# MB-12.2: a notice about someone else's repost, comment or reply shows only while that item is
# visible to the recipient (content.posts.store.visible_sql, in SQL before the LIMIT).
ABOUT_OTHERS_ITEMS = frozenset({NotificationKind.REPOSTED, NotificationKind.COMMENTED, NotificationKind.REPLIED})
# A notice whose actor is another account shows only while that account's content is served (PA-13.1).
FROM_AN_ACCOUNT = frozenset({NotificationKind.FOLLOWED})
# MB-12.2, MB-16.2: a notice about an article shows only while the article is shown to the recipient (its
# head visible, its revision on show not stopped: content.articles.store.article_shown_sql).
ABOUT_ARTICLES = frozenset({NotificationKind.ARTICLE_PUSHED})

# identity's causes of a standing change that move the holder's credit (its ledger's entries):
# penalties for a stop of transmission or an upheld complaint, and an appeal upheld (PA-6.2).
CREDIT_CAUSES = frozenset({"stop_transmission", "rumour", "complaint_upheld", "appeal_upheld"})


@dataclass(frozen=True, slots=True)
class Notice:
    """One notification to one account (``recipient_id`` None: to each account a store query finds)."""

    recipient_id: uuid.UUID | None
    dedup_key: str
    kind: NotificationKind
    actor_id: uuid.UUID | None = None
    post_id: uuid.UUID | None = None  # the item it is about
    # The statement of reasons, where there is one (MB-12.2, MB-6.1, PA-13.1, MB-7.2).
    category: str = ""
    legal_basis: tuple[str, ...] = ()
    reason: str = ""
    details: dict[str, Any] = field(default_factory=dict)  # a refutation (MB-11), a standing (PA-6.2)


@dataclass(frozen=True, slots=True)
class Followed:
    follower_id: uuid.UUID
    followee_id: uuid.UUID
    followed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class RealNameExpired:
    account_id: uuid.UUID
    expired_at: datetime
    legal_basis: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ComplaintOutcome:
    """Reporting's ComplaintResolved: a complaint's outcome, told to its complainant (MB-14)."""

    complaint_id: uuid.UUID
    complainant_id: uuid.UUID
    case_id: str
    target_type: str
    target_id: str
    upheld: bool
    action: str
    note: str
    legal_basis: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StandingSeen:
    """The last standing of an account the notifier saw (what a change is measured against)."""

    version: int
    credit_score: int
    credit_level: str
    limits: tuple[str, ...] = ()
    suspended_until: datetime | None = None
    closed: bool = False


class NoSuchNotification(NotFound):
    type = "no-such-notification"
    title = "No such notification"


class MarkWhat(InvalidInput):
    type = "mark-read-needs-ids-or-up-to"
    title = "Say which notifications to mark read"


# --- which fact tells whom what ------------------------------------------------------------------


def on_published(published: Published) -> Notice | None:
    """A repost tells the parent's author "reposted"; a comment on a post or repost "commented"; a
    reply to a comment "replied". An original post tells nobody, and nobody is told of their own. A
    pushed article tells every subscriber of its account (MB-9, 群发: the notice without a recipient,
    the store finds them); an article not pushed tells nobody."""
    if published.kind is PostKind.ARTICLE:
        if not published.pushed:
            return None
        return Notice(
            recipient_id=None,
            dedup_key=f"pushed:{published.post_id}",
            kind=NotificationKind.ARTICLE_PUSHED,
            actor_id=published.author_id,
            post_id=published.post_id,
        )
    recipient = published.parent_author_id
    if published.kind is PostKind.POST or recipient is None or recipient == published.author_id:
        return None
    if published.kind is PostKind.REPOST:
        kind = NotificationKind.REPOSTED
    elif published.parent_id is not None and published.parent_id != published.root_id:
        kind = NotificationKind.REPLIED  # its parent is a comment in the thread of root_id
    else:
        kind = NotificationKind.COMMENTED
    return Notice(
        recipient_id=recipient,
        dedup_key=f"published:{published.post_id}",
        kind=kind,
        actor_id=published.author_id,
        post_id=published.post_id,
    )


def on_followed(followed: Followed) -> Notice | None:
    """MB-2: the followee is told once per follower (following again after unfollowing tells nothing new)."""
    if followed.follower_id == followed.followee_id:
        return None
    return Notice(
        recipient_id=followed.followee_id,
        dedup_key=f"followed:{followed.follower_id}",
        kind=NotificationKind.FOLLOWED,
        actor_id=followed.follower_id,
    )


def _about_decision(kind: NotificationKind, decision: Decision, author_id: uuid.UUID, **details: Any) -> Notice:
    return Notice(
        recipient_id=author_id,
        dedup_key=f"{kind}:{decision.decision_id}",
        kind=kind,
        post_id=decision.post_id,
        category=decision.category,
        legal_basis=decision.legal_basis,
        reason=decision.reason,
        details=details,
    )


def on_held(decision: Decision, author_id: uuid.UUID) -> Notice:
    """MB-6.1: the author is told their item waits for a reviewer, and why."""
    return _about_decision(NotificationKind.HELD, decision, author_id)


def on_stopped(decision: Decision, author_id: uuid.UUID) -> Notice:
    """MB-12.2: the author is told transmission stopped, with the statement of reasons (category,
    legal basis, reason)."""
    return _about_decision(NotificationKind.STOPPED, decision, author_id)


def on_restored(restoration: Restoration, author_id: uuid.UUID) -> Notice:
    """MB-12.2, MB-6.1: the author told of a stop is told as well when staff lift it as wrong, and why."""
    return Notice(
        recipient_id=author_id,
        dedup_key=f"{NotificationKind.RESTORED}:{restoration.decision_id}",
        kind=NotificationKind.RESTORED,
        post_id=restoration.post_id,
        legal_basis=restoration.legal_basis,
        reason=restoration.reason,
        details={"stop_decision_id": str(restoration.stop_decision_id)},
    )


def _refutation(decision: Decision) -> dict[str, Any]:
    r = decision.refutation
    assert r is not None
    return {"refutation": {"rumour_id": str(r.rumour_id), "text": r.text, "url": r.url, "authority": r.authority}}


def on_labelled(decision: Decision, author_id: uuid.UUID) -> list[Notice]:
    """MB-11: a post labelled with a refutation tells its author, and everyone who reposted or commented
    on it (the notice without a recipient: the store finds them). A label without a refutation
    shows nothing, so it tells nobody."""
    if decision.refutation is None:
        return []
    details = _refutation(decision)
    return [
        _about_decision(NotificationKind.LABELLED, decision, author_id, **details),
        Notice(
            recipient_id=None,
            dedup_key=f"{NotificationKind.REFUTED}:{decision.decision_id}",
            kind=NotificationKind.REFUTED,
            post_id=decision.post_id,
            legal_basis=decision.legal_basis,
            reason=decision.reason,
            details=details,
        ),
    ]


def on_standing(before: StandingSeen | None, after: StandingChanged) -> Notice | None:
    """PA-13.1, PA-6.2: the holder is told of a change they would care about: a sanction (a closure, a
    suspension, features restricted), a credit level or limits changing, or a penalty or an appeal
    moving their credit. A weekly point of good standing within a level, a regrading or a repeat
    tells nothing. ``before`` is the last standing seen (None: none yet)."""
    if before is not None and after.version <= before.version:
        return None
    limits_before = set(before.limits) if before is not None else set()
    closed = after.closed and not (before is not None and before.closed)
    suspended = after.suspended_until is not None and (
        before is None or before.suspended_until is None or after.suspended_until > before.suspended_until
    )
    restricted = bool(set(after.limits) - limits_before)
    credit_moved = after.cause in CREDIT_CAUSES and (before is None or after.credit_score != before.credit_score)
    if before is None:
        if not credit_moved:  # nothing to compare with: only the ledger's own news is certain
            return None
        kind = NotificationKind.SANCTIONED if closed or suspended or restricted else NotificationKind.CREDIT_CHANGED
    elif closed or suspended or restricted:
        kind = NotificationKind.SANCTIONED
    elif (
        credit_moved
        or after.credit_level != before.credit_level
        or set(after.limits) != limits_before
        or after.suspended_until != before.suspended_until
    ):
        kind = NotificationKind.CREDIT_CHANGED
    else:
        return None
    return Notice(
        recipient_id=after.account_id,
        dedup_key=f"standing:{after.version}",
        kind=kind,
        legal_basis=after.legal_basis or (("PA-13.1",) if kind is NotificationKind.SANCTIONED else ("PA-6.2",)),
        details={
            "standing": {
                "cause": after.cause,
                "credit_score": after.credit_score,
                "credit_level": after.credit_level,
                "limits": sorted(after.limits),
                "suspended_until": after.suspended_until.isoformat() if after.suspended_until else None,
                "closed": after.closed,
            }
        },
    )


def seen(after: StandingChanged) -> StandingSeen:
    return StandingSeen(
        version=after.version,
        credit_score=after.credit_score,
        credit_level=after.credit_level,
        limits=after.limits,
        suspended_until=after.suspended_until,
        closed=after.closed,
    )


def on_real_name_expired(expired: RealNameExpired) -> Notice:
    """MB-7.2: the holder is asked to renew; until then they may read, not publish."""
    return Notice(
        recipient_id=expired.account_id,
        dedup_key=f"real_name_expired:{expired.expired_at.isoformat()}",
        kind=NotificationKind.REAL_NAME_EXPIRED,
        legal_basis=expired.legal_basis or ("MB-7.2",),
        reason="Your real-name verification expired; renew it (POST /v1/accounts/me/real-name) to publish, "
        "comment or repost again.",
        details={"expired_at": expired.expired_at.isoformat()},
    )


def on_complaint_outcome(outcome: ComplaintOutcome) -> Notice:
    """MB-14 (feedback to the reporter): the complainant is told the outcome of their complaint, what was
    done and the short reason, once per complaint."""
    return Notice(
        recipient_id=outcome.complainant_id,
        dedup_key=f"complaint_outcome:{outcome.complaint_id}",
        kind=NotificationKind.COMPLAINT_OUTCOME,
        legal_basis=outcome.legal_basis or ("MB-14",),
        reason=outcome.note,
        details={
            "complaint": {
                "complaint_id": str(outcome.complaint_id),
                "case_id": outcome.case_id or None,
                "target_type": outcome.target_type,
                "target_id": outcome.target_id,
                "outcome": "upheld" if outcome.upheld else "dismissed",
                "action": outcome.action or "none",
            }
        },
    )


def check_mark(ids: list[uuid.UUID] | None, up_to: uuid.UUID | None) -> None:
    """Mark read either the given notifications or everything up to one, not both, not neither."""
    if (ids is None) == (up_to is None):
        raise MarkWhat("Give either `ids` or `up_to`.")
