"""Content's events: protobuf <-> domain values. The only module that builds or reads a protobuf message;
topics and event types are the contract's (contracts.content, .moderation, .identity)."""

from __future__ import annotations

import uuid
from datetime import UTC

from contracts import content
from contracts.claims import AccessClaims
from contracts.userlog import UserLogKind
from kit.cloudevents import timestamp
from kit.outbox import OutboxRow, announcement
from kit.userlog import RequestLog, UserLog
from qinglang.content.v1 import post_pb2, social_pb2
from qinglang.identity.v1 import account_pb2, standing_pb2
from qinglang.moderation.v1 import decision_pb2
from qinglang.regulator.v1 import report_pb2

from content.posts.domain import (
    Cancellation,
    Decision,
    NewPost,
    PostKind,
    Privileges,
    Published,
    Refutation,
    Restoration,
    StandingChanged,
    StopSnapshot,
    snapshot_sha256,
)

KINDS = {
    PostKind.POST: post_pb2.POST_KIND_POST,
    PostKind.REPOST: post_pb2.POST_KIND_REPOST,
    PostKind.COMMENT: post_pb2.POST_KIND_COMMENT,
    PostKind.ARTICLE: post_pb2.POST_KIND_ARTICLE,
    PostKind.CORRECTION: post_pb2.POST_KIND_CORRECTION,
}

# --- announced --------------------------------------------------------------------------------


def post_created(post: NewPost) -> OutboxRow:
    return announcement(
        content.POST_CREATED,
        key=str(post.author_id),
        subject=str(post.id),
        message=post_pb2.PostCreated(
            post_id=str(post.id),
            author_id=str(post.author_id),
            text=post.text,
            created_at=timestamp(post.created_at),
            announcement=post.announcement,
            author_province_code=post.province_code,
            author_registered_at=timestamp(post.registered_at) if post.registered_at else None,
            kind=KINDS[post.kind],
            parent_id=str(post.parent_id) if post.parent_id else "",
            root_id=str(post.root_id) if post.root_id else "",
            media=[
                post_pb2.Media(sha256=m.sha256, content_type=m.content_type, size=m.size, storage_key=m.storage_key)
                for m in post.media
            ],
            category=post.category,
            title=post.title,
        ),
    )


def post_published(post: Published) -> OutboxRow:
    return announcement(
        content.POST_PUBLISHED,
        key=str(post.author_id),
        subject=str(post.post_id),
        message=social_pb2.PostPublished(
            post_id=str(post.post_id),
            author_id=str(post.author_id),
            kind=KINDS[post.kind],
            parent_id=str(post.parent_id) if post.parent_id else "",
            root_id=str(post.root_id) if post.root_id else "",
            parent_author_id=str(post.parent_author_id) if post.parent_author_id else "",
            created_at=timestamp(post.created_at),
            published_at=timestamp(post.published_at),
            pushed=post.pushed,
            category=post.category,
        ),
    )


def published(message: social_pb2.PostPublished) -> Published:
    return Published(
        post_id=uuid.UUID(message.post_id),
        author_id=uuid.UUID(message.author_id),
        kind={v: k for k, v in KINDS.items()}.get(message.kind, PostKind.POST),
        parent_id=uuid.UUID(message.parent_id) if message.parent_id else None,
        root_id=uuid.UUID(message.root_id) if message.root_id else None,
        parent_author_id=uuid.UUID(message.parent_author_id) if message.parent_author_id else None,
        created_at=message.created_at.ToDatetime(tzinfo=UTC),
        published_at=message.published_at.ToDatetime(tzinfo=UTC),
        pushed=message.pushed,
        category=message.category,
    )


# --- consumed ---------------------------------------------------------------------------------


def decision(message: decision_pb2.DecisionIssued) -> Decision:
    refutation = None
    if message.HasField("refutation"):
        r = message.refutation
        refutation = Refutation(rumour_id=uuid.UUID(r.rumour_id), text=r.text, url=r.url, authority=r.authority)
    return Decision(
        decision_id=uuid.UUID(message.decision_id),
        post_id=uuid.UUID(message.post_id),
        category=message.category,
        legal_basis=tuple(message.legal_basis),
        reason=message.reason,
        decided_at=message.decided_at.ToDatetime(tzinfo=UTC),
        refutation=refutation,
        supersedes=uuid.UUID(message.supersedes_decision_id) if message.supersedes_decision_id else None,
    )


def restoration(message: decision_pb2.DecisionIssued) -> Restoration:
    """moderation's DecisionRestored: the restore decision and the stop it supersedes."""
    return Restoration(
        decision_id=uuid.UUID(message.decision_id),
        post_id=uuid.UUID(message.post_id),
        stop_decision_id=uuid.UUID(message.supersedes_decision_id),
        reason=message.reason,
        legal_basis=tuple(message.legal_basis),
    )


def standing_changed(message: standing_pb2.AccountStandingChanged) -> StandingChanged:
    return StandingChanged(
        account_id=uuid.UUID(message.account_id),
        version=message.version,
        credit_level=message.credit_level,
        credit_score=message.credit_score,
        cause=message.cause,
        limits=tuple(message.limits),
        suspended_until=message.suspended_until.ToDatetime(tzinfo=UTC) if message.HasField("suspended_until") else None,
        closed=message.closed,
        legal_basis=tuple(message.legal_basis),
        sanction_limits=tuple(message.sanction_limits),
        grade=message.grade,
        privileges=_privileges(message) if message.HasField("privileges") else None,
        account_kind=message.account_kind,
    )


def _privileges(message: standing_pb2.AccountStandingChanged) -> Privileges:
    p = message.privileges
    return Privileges(
        review=p.review or "publish_then_check",
        daily_posts=p.daily_posts,
        daily_articles=p.daily_articles,
        daily_pushes=p.daily_pushes,
        push_to_subscribers=p.push_to_subscribers,
        features=tuple(p.features),
    )


def account_cancelled(message: account_pb2.AccountCancelled) -> Cancellation:
    return Cancellation(
        account_id=uuid.UUID(message.account_id),
        cancelled_at=message.cancelled_at.ToDatetime(tzinfo=UTC),
        purge_after=message.purge_after.ToDatetime(tzinfo=UTC),
    )


def stop_snapshot_sealed(snapshot: StopSnapshot) -> OutboxRow:
    """MB-12.2: a stopped post's sealed snapshot, the evidence of its report (key: the author)."""
    message = post_pb2.StopSnapshotSealed(
        decision_id=str(snapshot.decision_id),
        post_id=str(snapshot.post_id),
        author_id=str(snapshot.author_id),
        author_province_code=snapshot.author_province_code,
        kind=KINDS[snapshot.kind],
        text=snapshot.text,
        snapshot_sha256=snapshot.snapshot_sha256,
        media=[post_pb2.Media(sha256=h, content_type=t, size=n) for h, t, n in snapshot.media],
        category=snapshot.category,
        was_published=snapshot.was_published,
    )
    message.created_at.CopyFrom(timestamp(snapshot.created_at))
    message.stopped_at.CopyFrom(timestamp(snapshot.stopped_at))
    return announcement(content.STOP_SNAPSHOT_SEALED, message, key=str(snapshot.author_id))


def evidence_held(message: report_pb2.ReportFiled) -> uuid.UUID | None:
    """The stop whose evidence the regulator gateway holds, when its ReportFiled says so."""
    return uuid.UUID(message.decision_id) if message.evidence_sha256 else None


# ---- the user log (MB-16.2): publications and deletions -------------------------------------------

_PUBLICATION_KINDS = {
    PostKind.POST: UserLogKind.POST_PUBLISHED,
    PostKind.REPOST: UserLogKind.POST_REPOSTED,
    PostKind.COMMENT: UserLogKind.COMMENT_PUBLISHED,
    PostKind.ARTICLE: UserLogKind.ARTICLE_PUBLISHED,
    PostKind.CORRECTION: UserLogKind.ARTICLE_PUBLISHED,  # a correction republishes the article
}


def publication_logged(log: RequestLog | None, post: NewPost, claims: AccessClaims) -> OutboxRow:
    """The user log entry of a post, repost, comment or article accepted (announced with it, in its statement)."""
    return (log or _NOWHERE).entry(
        _PUBLICATION_KINDS[post.kind],
        client_id=claims.client_id,
        account_id=post.author_id,
        subject_type=str(post.kind),
        subject_id=post.id,
        # The content's hash joins the archive's chain with the entry: the published text, kept by content for
        # the retention period, is checked against a record nobody can change unseen (MB-16.2).
        detail=f"sha256:{snapshot_sha256(post.text)}",
        at=post.created_at,
    )


def deletion_logged(
    log: RequestLog | None, post_id: uuid.UUID, claims: AccessClaims, *, subject_type: str = "post"
) -> OutboxRow:
    """The user log entry of an author deleting a post, repost or comment, or withdrawing an article. The
    account is the content's (an article's: the public account an acting token acts as)."""
    return (log or _NOWHERE).entry(
        UserLogKind.CONTENT_DELETED,
        client_id=claims.client_id,
        account_id=claims.subject,
        subject_type=subject_type,
        subject_id=post_id,
    )


# A handler called without a request (fast tests): entries with no address, never one in clear.
_NOWHERE = RequestLog(UserLog(content.OWNER, None), None)
