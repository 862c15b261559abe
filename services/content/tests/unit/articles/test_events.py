"""Identity's news about public accounts and licences, and articles' announcements, through the contract's types."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from content.articles import events
from content.posts import events as post_events
from content.posts.domain import NewPost, PostKind, Privileges
from google.protobuf.timestamp_pb2 import Timestamp
from qinglang.content.v1 import post_pb2
from qinglang.identity.v1 import public_account_pb2, standing_pb2


def test_a_public_account_approval_maps_to_its_projection() -> None:
    account, owner = uuid.uuid4(), uuid.uuid4()
    approved_at = Timestamp()
    approved_at.FromDatetime(datetime(2026, 3, 1, tzinfo=UTC))
    message = public_account_pb2.PublicAccountApproved(
        public_account_id=str(account),
        owner_account_id=str(owner),
        name="青朗日报",
        kind="media",
        label="媒体",
        category="news",
        province_code="110000",
        approved_at=approved_at,
    )
    projected = events.public_account_approved(message)
    assert (projected.account_id, projected.owner_account_id, projected.label) == (account, owner, "媒体")
    assert projected.approved_at == datetime(2026, 3, 1, tzinfo=UTC)


def test_a_licence_change_maps_dates_scopes_and_revocation() -> None:
    message = public_account_pb2.NewsLicenceChanged(
        licence_id=str(uuid.uuid4()),
        account_id=str(uuid.uuid4()),
        number="10120170001",
        scopes=["original", "repost"],
        valid_from="2026-01-01",
        valid_until="2026-12-31",
        version=3,
    )
    licence = events.news_licence_changed(message)
    assert (licence.valid_from, licence.valid_until, licence.scopes, licence.version) == (
        date(2026, 1, 1),
        date(2026, 12, 31),
        ("original", "repost"),
        3,
    )
    assert licence.revoked_at is None


def test_an_article_is_announced_with_its_kind_title_and_category() -> None:
    post = NewPost(
        uuid.uuid4(),
        uuid.uuid4(),
        "标题\n正文",
        datetime.now(UTC),
        kind=PostKind.ARTICLE,
        category="news",
        title="标题",
    )
    message = post_pb2.PostCreated.FromString(post_events.post_created(post).payload)
    assert (message.kind, message.title, message.category) == (post_pb2.POST_KIND_ARTICLE, "标题", "news")


def test_a_standing_carries_the_grades_privileges_or_none() -> None:
    bare = standing_pb2.AccountStandingChanged(account_id=str(uuid.uuid4()), version=1, credit_level="good")
    assert post_events.standing_changed(bare).privileges is None  # identity said nothing: grade-1 defaults
    graded = standing_pb2.AccountStandingChanged(
        account_id=str(uuid.uuid4()),
        version=2,
        grade=0,
        account_kind="public",
        privileges=standing_pb2.GradePrivileges(review="hold", daily_posts=20),
    )
    standing = post_events.standing_changed(graded)
    assert standing.privileges == Privileges(
        review="hold", daily_posts=20, daily_articles=0, daily_pushes=0, push_to_subscribers=False, features=()
    )
    assert standing.account_kind == "public"
