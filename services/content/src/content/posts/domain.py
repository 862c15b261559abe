"""Content's rules, free of I/O: who may publish, who may see a post in which state, and the facts
content acts on (moderation's decisions, identity's standing), as plain values."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from enum import StrEnum

from contracts.claims import AccessClaims
from kit.problems import Conflict, DomainError, Forbidden, InvalidInput, QuotaExhausted


class PostStatus(StrEnum):
    PENDING = "pending"  # waiting for moderation: only the author sees it
    HELD = "held"  # held for human review (MB-6.1): only the author sees it
    PUBLISHED = "published"
    STOPPED = "stopped"  # transmission stopped (MB-12.2): served to nobody, kept as a record
    WITHDRAWN = "withdrawn"  # its account was cancelled (PA-9.2): served to nobody, deleted after retention
    DELETED = "deleted"  # its author deleted it: served to nobody, kept as a record until retention ends (MB-16.2)


class PostKind(StrEnum):
    """MB-2: an original post, a repost (转发) keeping its chain, or a comment (跟帖). Moderation checks
    every kind exactly like a post (MB-6.1)."""

    POST = "post"
    REPOST = "repost"
    COMMENT = "comment"
    ARTICLE = "article"  # a public account's article (PA-11): the head, its id the article's
    CORRECTION = "correction"  # a later revision of an article (parent_id: the head)


class Category(StrEnum):
    """A post's, repost's or article's category; ``news`` needs a licence (MB-4, PA-8)."""

    NEWS = "news"
    GOVERNMENT_AFFAIRS = "government_affairs"
    CULTURE = "culture"
    FINANCE = "finance"
    TECHNOLOGY = "technology"
    LIFESTYLE = "lifestyle"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class MediaRef:
    """A media attachment by reference (MB-2): the bytes live in the object store under storage_key."""

    media_id: uuid.UUID
    content_type: str
    size: int
    sha256: str
    storage_key: str


# --- what content acts on ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewPost:
    """A post as accepted, before moderation: what is stored and announced."""

    id: uuid.UUID
    author_id: uuid.UUID
    text: str
    created_at: datetime
    province_code: str = ""  # the author's province of registration, from the token
    registered_at: datetime | None = None
    announcement: int = 1  # 1 when first announced; more when the reconciler announces it again
    kind: PostKind = PostKind.POST
    parent_id: uuid.UUID | None = None  # what a repost reposts or a comment answers
    root_id: uuid.UUID | None = None  # a repost's original post; a comment's thread (the post or repost)
    media: tuple[MediaRef, ...] = ()
    category: str = ""  # MB-4 / PA-8: the declared category ("news" needs a licence); "" none
    title: str = ""  # an article's (or correction's) title


@dataclass(frozen=True, slots=True)
class Published:
    """A post, repost or comment moderation published: fanned out and told to the parent's author."""

    post_id: uuid.UUID
    author_id: uuid.UUID
    kind: PostKind
    parent_id: uuid.UUID | None
    root_id: uuid.UUID | None
    parent_author_id: uuid.UUID | None
    created_at: datetime
    published_at: datetime
    pushed: bool = False  # MB-9: an article pushed to every subscriber's home timeline
    category: str = ""


@dataclass(frozen=True, slots=True)
class Refutation:
    """MB-11: the refutation of the rumour a post spreads, served with it."""

    rumour_id: uuid.UUID
    text: str
    url: str
    authority: str


@dataclass(frozen=True, slots=True)
class Decision:
    """Moderation's decision on a post; what it means (publish, hold, label, stop) is its event type."""

    decision_id: uuid.UUID
    post_id: uuid.UUID
    category: str = ""
    legal_basis: tuple[str, ...] = ()
    reason: str = ""
    decided_at: datetime | None = None
    refutation: Refutation | None = None
    supersedes: uuid.UUID | None = None  # the decision this one replaces (a rumour's label, MB-11)


@dataclass(frozen=True, slots=True)
class Restoration:
    """Moderation restored a wrongly stopped post (MB-12.2): its decision lifts the stop it supersedes."""

    decision_id: uuid.UUID
    post_id: uuid.UUID
    stop_decision_id: uuid.UUID
    reason: str = ""
    legal_basis: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StopSnapshot:
    """The sealed snapshot of a stopped post (MB-12.2): the evidence its report goes to the regulator with."""

    decision_id: uuid.UUID
    post_id: uuid.UUID
    author_id: uuid.UUID
    author_province_code: str
    kind: PostKind
    text: str
    snapshot_sha256: str
    media: tuple[tuple[str, str, int], ...]  # (sha256, content type, size) of each, in order
    category: str
    created_at: datetime
    was_published: bool
    stopped_at: datetime


@dataclass(frozen=True, slots=True)
class Standing:
    """What identity said of an author (MB-9, PA-13.1, PA-9.2); absent until it said something."""

    closed: bool = False
    suspended_until: datetime | None = None
    limits: tuple[str, ...] = ()
    credit_level: str = ""
    cancelled_at: datetime | None = None
    # Each limit's source: "PA-6.2" (the credit level's) or "PA-13.1" (a sanction's); see limit_basis.
    limit_basis: Mapping[str, str] = field(default_factory=dict)

    def limit_requirement(self, limit: str) -> str:
        return self.limit_basis.get(limit, CREDIT_LIMIT)


@dataclass(frozen=True, slots=True)
class StandingChanged:
    account_id: uuid.UUID
    version: int
    credit_level: str
    credit_score: int = 0
    cause: str = ""  # what changed it, in identity's words ("stop_transmission", "good_standing", ...)
    limits: tuple[str, ...] = field(default_factory=tuple)
    suspended_until: datetime | None = None
    closed: bool = False
    legal_basis: tuple[str, ...] = ()  # why identity changed it
    sanction_limits: tuple[str, ...] = ()  # which of the limits an active sanction imposes (PA-13.1)
    grade: int | None = None  # MB-9: the grade under the filed grading rules
    privileges: Privileges | None = None  # what the grade allows (None: identity did not say)
    account_kind: str = ""  # "user" or "public" (PA-2)

    def standing(self) -> Standing:
        return Standing(
            closed=self.closed, suspended_until=self.suspended_until, limits=self.limits, credit_level=self.credit_level
        )


@dataclass(frozen=True, slots=True)
class Cancellation:
    """PA-9.2: an account was cancelled; its posts go at once and are deleted after retention."""

    account_id: uuid.UUID
    cancelled_at: datetime
    purge_after: datetime

    def standing(self) -> Standing:
        return Standing(cancelled_at=self.cancelled_at)


@dataclass(frozen=True, slots=True)
class Privileges:
    """MB-9 / PA-7.2: what a grade allows, as data in the filed grading rules (identity's GradePrivileges).
    The defaults are grade 1's, which content applies until identity said anything (plan §7)."""

    review: str = "publish_then_check"
    daily_posts: int = 200
    daily_articles: int = 1
    daily_pushes: int = 1
    push_to_subscribers: bool = True
    features: tuple[str, ...] = ("article_comments", "trending_listed")

    def quota(self, what: str) -> int:
        return {"post": self.daily_posts, "article": self.daily_articles, "push": self.daily_pushes}[what]

    def as_json(self) -> dict[str, object]:
        return {
            "review": self.review,
            "daily_posts": self.daily_posts,
            "daily_articles": self.daily_articles,
            "daily_pushes": self.daily_pushes,
            "push_to_subscribers": self.push_to_subscribers,
            "features": list(self.features),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object] | None) -> Privileges:
        """Stored privileges ({} or None: identity said nothing yet, grade-1 defaults)."""
        if not data:
            return cls()
        return cls(
            review=str(data.get("review") or "publish_then_check"),
            daily_posts=int(data.get("daily_posts") or 0),  # type: ignore[call-overload]
            daily_articles=int(data.get("daily_articles") or 0),  # type: ignore[call-overload]
            daily_pushes=int(data.get("daily_pushes") or 0),  # type: ignore[call-overload]
            push_to_subscribers=bool(data.get("push_to_subscribers")),
            features=tuple(str(f) for f in data.get("features") or ()),  # type: ignore[attr-defined]
        )


@dataclass(frozen=True, slots=True)
class NewsLicence:
    """MB-4 / PA-8: an internet news information service licence of the account's subject (identity's registry)."""

    licence_id: uuid.UUID
    number: str
    scopes: tuple[str, ...]  # original (采编发布), repost (转载), platform (传播平台)
    valid_from: date
    valid_until: date
    revoked_at: datetime | None = None
    version: int = 0


# --- refusals -----------------------------------------------------------------------------------


class RealNameRequired(Forbidden):
    type = "real-name-required"
    title = "Real-name verification required"


class RealNameExpired(Forbidden):
    type = "real-name-expired"
    title = "Real-name verification expired"


class PostTooLong(InvalidInput):
    type = "post-too-long"
    title = "Post too long"


class IdempotencyKeyReused(InvalidInput):
    type = "idempotency-key-reused"
    title = "Idempotency-Key reused for another request"


class UnavailableForLegalReasons(DomainError):
    """RFC 7725: the post exists but may not be served."""

    status = 451
    type = "unavailable-for-legal-reasons"
    title = "Unavailable for legal reasons"


class AgreementRequired(Forbidden):
    type = "agreement-required"
    title = "Service agreement not accepted"


class AccountCancelled(Forbidden):
    type = "account-cancelled"
    title = "Account cancelled"


class AccountClosed(Forbidden):
    type = "account-closed"
    title = "Account closed"


class UpdatesSuspended(Forbidden):
    type = "updates-suspended"
    title = "Updates suspended"


class StandingChanging(Conflict):
    type = "standing-changing"
    title = "Standing changing"


class CreditTooLow(Forbidden):
    type = "credit-too-low"
    title = "Credit too low to publish"


class NewsLicenceRequired(Forbidden):
    type = "news-licence-required"
    title = "Internet news information service licence required"


class QuotaReached(QuotaExhausted):
    """MB-9: 403 with Retry-After (the gateway replaces a service's 429 body and headers)."""

    type = "quota-reached"
    title = "Daily publishing quota reached"


# --- rules --------------------------------------------------------------------------------------


# Publishing barred for good (a closed or cancelled account, a credit level without posting).
FOR_GOOD = datetime(9999, 12, 31, tzinfo=UTC)


def publishing_barred_until(standing: Standing) -> datetime | None:
    """PA-13.1 / MB-9 / PA-9.2: until when the author may not publish (None: free to). The one place
    this rule lives: content stores the answer with the author's standing when identity's news arrives,
    and the statement inserting a post enforces it (no window between a check and the insert)."""
    if standing.cancelled_at is not None or standing.closed or "no_posting" in standing.limits:
        return FOR_GOOD
    return standing.suspended_until


# Where a limit comes from: the credit level (PA-6.2) or a sanction (PA-13.1, "7 days without reposts and
# comments"). Identity announces the limits in force, and which of them sanctions impose.
CREDIT_LIMIT = "PA-6.2"
SANCTION_LIMIT = "PA-13.1"


def limit_basis(limits: tuple[str, ...], sanction_limits: tuple[str, ...]) -> dict[str, str]:
    """The source of each limit in force, as identity said: a sanction's (PA-13.1), else the credit
    level's (PA-6.2). Refusals name it; a limit both impose is the sanction's (it outlasts the level)."""
    return {limit: SANCTION_LIMIT if limit in sanction_limits else CREDIT_LIMIT for limit in limits}


def hidden_until(standing: Standing) -> datetime | None:
    """PA-13.1 / PA-9.2: until when the author's content is served to nobody but the author (None: it
    is served). A suspension hides it until the suspension ends; a closure or a cancellation for good.
    A credit level without posting bars new posts but hides nothing already published."""
    if standing.cancelled_at is not None or standing.closed:
        return FOR_GOOD
    return standing.suspended_until


def check_standing(standing: Standing | None, now: datetime) -> None:
    """Why the author may not publish now (a refusal naming the rule), or nothing."""
    barred_until = publishing_barred_until(standing) if standing is not None else None
    if standing is None or barred_until is None or barred_until <= now:
        return
    if standing.cancelled_at is not None:
        raise AccountCancelled("This account was cancelled.", requirement="PA-9.2")
    if standing.closed:
        raise AccountClosed("This account was closed for serious violations.", requirement="PA-13.1")
    if standing.suspended_until is not None and standing.suspended_until > now:
        raise UpdatesSuspended(
            f"Updates are suspended until {standing.suspended_until.isoformat()}.",
            requirement="PA-13.1",
            suspended_until=standing.suspended_until.isoformat(),
        )
    raise CreditTooLow(  # the only bar left: a credit level without posting
        f"Your credit level ({standing.credit_level}) does not allow publishing (GET /v1/accounts/me/credit).",
        requirement="MB-9",
    )


def check_may_publish(claims: AccessClaims, now: datetime) -> None:
    """What the bearer's token says about publishing (contracts.claims)."""
    # MB-7.2: a verification expires; the token says when, so an older token stops working at once.
    expires = claims.real_name_expires_at
    if expires is not None and expires <= now:
        raise RealNameExpired(
            "Your real-name verification has expired; renew it (POST /v1/accounts/me/real-name) to publish.",
            requirement="MB-7.2",
        )
    # MB-7.1 / PA-6.1 / BJ-9: back-end real name before publishing; reading stays open.
    if not claims.real_name_verified:
        raise RealNameRequired(
            "Complete real-name verification before publishing (POST /v1/accounts/me/real-name).",
            requirement="MB-7.1",
        )
    # MB-6.2 / PA-5.2: the service agreement in force, accepted.
    if not claims.accepted_agreement:
        raise AgreementRequired(
            "Accept the service agreement in force before publishing (GET /v1/identity/agreement, then "
            "POST /v1/accounts/me/agreement).",
            requirement="MB-6.2",
        )


def check_length(text: str, max_chars: int) -> str:
    stripped = text.strip()
    if not stripped:
        raise InvalidInput("A post needs some text.")
    if len(stripped) > max_chars:
        raise PostTooLong(f"A post has at most {max_chars} characters; this one has {len(stripped)}.")
    return stripped


def request_sha256(**request: object) -> str:
    """The hash of a request in canonical form (sorted keys, no whitespace), kept with its Idempotency-Key."""
    canonical = json.dumps(request, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_same_request(stored_sha256: str | None, sha256: str) -> None:
    """An Idempotency-Key replays the first result only for the same request (a key stored before
    the hash was kept replays as it did)."""
    if stored_sha256 is not None and stored_sha256 != sha256:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was already used for a different request; use a new key for a new post."
        )


class PostDeleted(DomainError):
    status = 410
    type = "post-deleted"
    title = "Post deleted"


def visible_to(
    status: PostStatus,
    author_id: str,
    viewer_id: str | None,
    *,
    author_hidden: bool = False,
    owner_state: str = "shown",
    manages_thread: bool = False,
) -> bool:
    """Who may see a post in which state (MB-12.2, MB-6.1, PA-13.1, PA-12): everyone sees a published
    post of an author in good standing that its thread's owner has not hidden or not yet approved; the
    author sees their own under review, held, or hidden by a sanction; the thread's owner and their
    delegates see its published comments they hid or have not approved yet (MB-10.2). Nobody sees a
    stopped, withdrawn or deleted one. The stores' SQL (content.posts.store.visible_sql) is this rule on
    every list."""
    if status in (PostStatus.PENDING, PostStatus.HELD, PostStatus.PUBLISHED) and viewer_id == author_id:
        return True
    if status is not PostStatus.PUBLISHED or author_hidden:
        return False
    return owner_state == "shown" or manages_thread


def snapshot_sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# --- the news licence (MB-4, PA-8) and daily quotas (MB-9) ----------------------------------------------

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")
NEWS = "news"


def beijing_day(now: datetime) -> date:
    """The Beijing calendar day ``now`` falls on (licences lapse and quotas reset on it)."""
    return now.astimezone(BEIJING).date()


def seconds_to_next_beijing_day(now: datetime) -> float:
    local = now.astimezone(BEIJING)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return (start + timedelta(days=1) - local).total_seconds()


def licence_scope_needed(kind: PostKind, *, original: bool = True) -> tuple[str, ...]:
    """MB-4 / PA-8: the licence scopes, any of which allows publishing news of this kind: 采编发布
    (original) always; 转载 (repost) for a repost, or for an article declared not original (with a source)."""
    if kind is PostKind.REPOST or (kind in (PostKind.ARTICLE, PostKind.CORRECTION) and not original):
        return ("original", "repost")
    return ("original",)


def news_licence_covers(
    category: str | None, kind: PostKind, original: bool, licences: Sequence[NewsLicence], today: date
) -> bool:
    """MB-4 / PA-8: may an account holding ``licences`` publish this in this category on the Beijing day
    ``today``? Anything not news needs none; news needs a licence in scope, valid today, not revoked."""
    if category != NEWS:
        return True
    needed = licence_scope_needed(kind, original=original)
    return any(
        lic.revoked_at is None
        and lic.valid_from <= today <= lic.valid_until
        and any(scope in lic.scopes for scope in needed)
        for lic in licences
    )


def check_news_licence(
    category: str | None,
    kind: PostKind,
    licences: Sequence[NewsLicence],
    now: datetime,
    *,
    original: bool = True,
) -> None:
    """The MB-4 / PA-8 refusal (403 news-licence-required): ``requirement`` MB-4 for posts and reposts,
    PA-8 for articles; the detail names a lapse or a revocation."""
    today = beijing_day(now)
    if news_licence_covers(category, kind, original, licences, today):
        return
    article = kind in (PostKind.ARTICLE, PostKind.CORRECTION)
    needed = licence_scope_needed(kind, original=original)
    why = "no internet news information service licence"
    lapsed = sorted((lic for lic in licences if lic.valid_until < today), key=lambda lic: lic.valid_until)
    revoked = [lic for lic in licences if lic.revoked_at is not None]
    if revoked:
        why = f"the licence {revoked[0].number} was revoked on {beijing_day(revoked[0].revoked_at).isoformat()}"  # type: ignore[arg-type]
    elif lapsed:
        why = f"the licence {lapsed[-1].number} lapsed after {lapsed[-1].valid_until.isoformat()} (Beijing date)"
    elif licences:
        why = f"no licence valid today in scope ({' or '.join(needed)})"
    raise NewsLicenceRequired(
        f"Publishing in the news category needs a valid internet news information service licence in scope: {why}.",
        requirement="PA-8" if article else "MB-4",
        legal_basis=["MB-4", "PA-8"],
    )


def quota_reached(what: str, quota: int, now: datetime) -> QuotaReached:
    """MB-9: the refusal of a publication over the grade's daily quota, retry when the Beijing day ends."""
    return QuotaReached(
        f"Your grade allows {quota} {what}(s) a day (Beijing time); retry after Retry-After seconds.",
        retry_after_s=seconds_to_next_beijing_day(now),
        requirement="MB-9",
    )
