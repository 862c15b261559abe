"""The user log (MB-16.2, PA-16.2): every service announces the user log entries it sees on a topic of its
own, ``<owner>.userlog.v1``, one ``UserLogRecorded`` each; regulator-gateway keeps them at least six months
in its hash-chained archive. The kinds of entry are spelled here once."""

from __future__ import annotations

from enum import StrEnum

from qinglang.audit.v1 import user_log_pb2

from contracts.catalogue import CATALOGUE, EventType, Topic

USER_LOG_BASIS = ("MB-16.2", "PA-16.2")  # kept six months at least
STAFF_ACTION_BASIS = ("MB-16.2", "PA-16.2", "MB-6.1")  # a staff audit trail joins the same chain


class UserLogKind(StrEnum):
    """What a user log entry records (MB-16.2: sign-ins and publications, with time and network address)."""

    ACCOUNT_REGISTERED = "account.registered"
    ACCOUNT_CANCELLED = "account.cancelled"
    PROFILE_CHANGED = "profile.changed"
    SIGNED_IN = "session.signed_in"
    SIGN_IN_FAILED = "session.sign_in_failed"
    SIGNED_OUT = "session.signed_out"
    POST_PUBLISHED = "post.published"
    POST_REPOSTED = "post.reposted"
    COMMENT_PUBLISHED = "comment.published"
    ARTICLE_PUBLISHED = "article.published"
    CONTENT_DELETED = "content.deleted"
    STAFF_ACTION = "staff.action"


# The topic prefix of each announcing service (its name as deployed -> <prefix>.userlog.v1).
_PREFIXES = {
    "identity": "identity",
    "content": "content",
    "moderation": "moderation",
    "reporting": "reporting",
    "regulator-gateway": "regulator",
}


def _declare(owner: str, prefix: str) -> tuple[Topic, EventType[user_log_pb2.UserLogRecorded]]:
    topic = CATALOGUE.topic(f"{prefix}.userlog.v1", owner=owner)
    return topic, CATALOGUE.event(f"qinglang.{prefix}.userlog.recorded.v1", topic, user_log_pb2.UserLogRecorded)


_DECLARED = {owner: _declare(owner, prefix) for owner, prefix in _PREFIXES.items()}

# By announcing service: its user log topic and the one event type on it.
USER_LOG_TOPICS: dict[str, Topic] = {owner: topic for owner, (topic, _) in _DECLARED.items()}
USER_LOG_RECORDED: dict[str, EventType[user_log_pb2.UserLogRecorded]] = {
    owner: event for owner, (_, event) in _DECLARED.items()
}
