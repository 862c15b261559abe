"""Articles on a real PostgreSQL (issue 13 §2, §5, §7): drafts, publication, moderation's decisions applied
to articles and corrections, withdrawal, the news-licence refusal and the grade's quotas, through the
handlers (events applied by calling their handlers, as the broker would)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from content.articles import handlers as articles
from content.articles.domain import LicenceChanged, NotAPublicAccount, PublicAccount, PushNotPermitted
from content.articles.schemas import CorrectionCreate, DraftUpdate, DraftWrite
from content.database import Database
from content.gates import handlers as gates
from content.gates.domain import AssessmentAcknowledged, FeatureNotAssessed
from content.interactions import handlers as interactions
from content.interactions.domain import CommentAction, FeatureLimited, NotShown, OwnerState, TooManyPins
from content.main import deliver_published
from content.notifications import handlers as notify
from content.posts import handlers
from content.posts.domain import (
    Decision,
    NewsLicenceRequired,
    PostDeleted,
    Privileges,
    QuotaReached,
    StandingChanged,
    UnavailableForLegalReasons,
    beijing_day,
)
from content.search import handlers as search
from content.settings import ContentSettings
from content.timelines import handlers as timelines
from contracts.features import GatedFeature
from kit.auth import Principal
from kit.problems import NotFound

from .conftest import Posting, author


def acting(account_id: uuid.UUID) -> Principal:
    """An operator's acting token for the public account (sub: the account, act: the operator)."""
    return Principal(
        str(account_id),
        {"sub": str(account_id), "act": str(uuid.uuid4()), "rnv": True, "tos": True, "prov": "110000"},
    )


async def approved_account(db: Database) -> uuid.UUID:
    account_id = uuid.uuid4()
    async with db.transaction() as stores:
        await articles.note_public_account(
            stores,
            PublicAccount(
                account_id=account_id,
                owner_account_id=uuid.uuid4(),
                name="青朗日报",
                kind="media",
                label="媒体",
                category="news",
                province_code="110000",
                approved_at=datetime.now(UTC),
            ),
        )
    return account_id


async def draft_and_publish(
    db: Database, settings: ContentSettings, principal: Principal, *, push: bool = False, **fields: object
) -> uuid.UUID:
    body = DraftWrite(**{"title": "标题", "body": "# 正文\n\n今天天气很好。", **fields})
    d = await articles.create_draft(db, settings, principal, body)
    published = await articles.publish(db, settings, principal, uuid.UUID(d.id), push=push, idempotency_key=None)
    return published.article_id


async def open_comments_gate(db: Database) -> None:
    """MB-13: the regulator acknowledged the security assessment of comments on public accounts."""
    feature = GatedFeature.PUBLIC_ACCOUNT_COMMENTS
    async with db.transaction() as stores:
        await gates.note_assessment(
            stores,
            AssessmentAcknowledged(
                uuid.uuid4(), feature.key, feature.version, "national", "", "R-1", datetime.now(UTC), ("MB-13",)
            ),
        )


async def grant(db: Database, account_id: uuid.UUID, **privileges: object) -> None:
    async with db.transaction() as stores:
        await handlers.note_standing(
            stores.posts,
            StandingChanged(
                account_id=account_id, version=1, credit_level="good", grade=1, privileges=Privileges(**privileges)
            ),
        )


@pytest.mark.requirement("PA-11")
async def test_an_article_is_moderated_like_a_post_and_sanitised(
    db: Database, settings: ContentSettings, posting: Posting
) -> None:
    account = await approved_account(db)
    me = acting(account)
    article_id = await draft_and_publish(
        db,
        settings,
        me,
        format="html",
        body='<p>正文<script>alert(1)</script><img src="x" onerror="alert(2)" alt="图"></p>',
    )
    mine = await articles.read_article(db, article_id, me)
    assert mine.status == "pending"
    assert "script" not in mine.body_html and "onerror" not in mine.body_html
    assert mine.account.label == "媒体"
    with pytest.raises(NotFound):
        await articles.read_article(db, article_id, None)  # pending: the account only
    async with db.connection() as stores:
        post = await stores.posts.post_by_id(article_id)
    assert post["kind"] == "article" and "图" in post["text"] and "标题" in post["text"]

    await posting.approve(article_id)
    shown = await articles.read_article(db, article_id, None)
    assert (shown.status, shown.revision, shown.title) == ("published", 1, "标题")
    listed = await articles.articles_of(db, account, None, cursor=None, limit=10)
    assert [a.id for a in listed.items] == [str(article_id)]


@pytest.mark.requirement("PA-7.1")
async def test_only_a_public_account_drafts(db: Database, settings: ContentSettings) -> None:
    with pytest.raises(NotAPublicAccount):
        await articles.create_draft(db, settings, author(), DraftWrite(title="t", body="b"))


@pytest.mark.requirement("PA-11")
async def test_a_draft_changes_at_its_version_only(db: Database, settings: ContentSettings) -> None:
    me = acting(await approved_account(db))
    d = await articles.create_draft(db, settings, me, DraftWrite(title="t", body="b"))
    changed = await articles.update_draft(
        db, settings, me, uuid.UUID(d.id), DraftUpdate(title="t2", body="b", version=1)
    )
    assert changed.version == 2
    with pytest.raises(Exception) as refused:
        await articles.update_draft(db, settings, me, uuid.UUID(d.id), DraftUpdate(title="t3", body="b", version=1))
    assert getattr(refused.value, "type", "") == "draft-changed"


@pytest.mark.requirement("PA-11")
async def test_a_correction_keeps_the_history_and_a_stopped_one_leaves_the_old_on_show(
    db: Database, settings: ContentSettings, posting: Posting
) -> None:
    me = acting(await approved_account(db))
    article_id = await draft_and_publish(db, settings, me)
    await posting.approve(article_id)

    first = await articles.correct(
        db, settings, me, article_id, CorrectionCreate(body="更正后的正文", correction_note="更正了日期")
    )
    assert first.revision == 2
    assert (await articles.read_article(db, article_id, None)).revision == 1  # until moderation publishes it
    await posting.approve(uuid.UUID(first.post_id))
    shown = await articles.read_article(db, article_id, None)
    assert shown.revision == 2 and "更正后的正文" in shown.body_html and shown.corrected_at is not None
    history = await articles.revisions(db, article_id, None)
    assert [(r.revision, r.correction_note) for r in history] == [(1, None), (2, "更正了日期")]

    illegal = await articles.correct(
        db, settings, me, article_id, CorrectionCreate(body="坏的正文", correction_note="x")
    )
    await posting.stop(uuid.UUID(illegal.post_id))
    assert (await articles.read_article(db, article_id, None)).revision == 2  # the earlier one stays on show

    await posting.stop(uuid.UUID(first.post_id), "MB-12.2")  # the revision on show stopped: the article is 451
    with pytest.raises(UnavailableForLegalReasons):
        await articles.read_article(db, article_id, None)


@pytest.mark.requirement("MB-16.2")
async def test_a_withdrawn_article_is_gone_on_every_path_and_kept(
    db: Database, settings: ContentSettings, posting: Posting
) -> None:
    account = await approved_account(db)
    me = acting(account)
    article_id = await draft_and_publish(db, settings, me)
    await posting.approve(article_id)
    await articles.withdraw(db, settings, me, article_id)
    with pytest.raises(PostDeleted):
        await articles.read_article(db, article_id, None)
    assert (await articles.articles_of(db, account, None, cursor=None, limit=10)).items == []
    async with db.connection() as stores:
        assert (await stores.posts.post_by_id(article_id))["status"] == "deleted"  # the record stays


@pytest.mark.requirement("MB-12.2")
async def test_a_stopped_article_is_451(db: Database, settings: ContentSettings, posting: Posting) -> None:
    me = acting(await approved_account(db))
    article_id = await draft_and_publish(db, settings, me)
    await posting.stop(article_id)
    with pytest.raises(UnavailableForLegalReasons):
        await articles.read_article(db, article_id, None)


@pytest.mark.requirement("MB-9")
async def test_the_grades_article_quota_and_push(db: Database, settings: ContentSettings) -> None:
    account = await approved_account(db)
    me = acting(account)
    await grant(db, account, daily_articles=1, push_to_subscribers=False, daily_pushes=0)
    with pytest.raises(PushNotPermitted):
        await draft_and_publish(db, settings, me, push=True)
    await draft_and_publish(db, settings, me)
    with pytest.raises(QuotaReached) as refused:
        await draft_and_publish(db, settings, me)
    assert refused.value.status == 403  # not 429: the gateway replaces a service's 429 (MB-9)
    assert refused.value.retry_after_s > 0 and refused.value.requirement == "MB-9"


@pytest.mark.requirement("PA-8")
async def test_a_news_article_needs_a_licence_in_scope_valid_today(db: Database, settings: ContentSettings) -> None:
    account = await approved_account(db)
    me = acting(account)
    with pytest.raises(NewsLicenceRequired) as refused:
        await draft_and_publish(db, settings, me, category="news")
    assert refused.value.requirement == "PA-8"
    today = beijing_day(datetime.now(UTC))
    licence = LicenceChanged(
        account_id=account,
        licence_id=uuid.uuid4(),
        number="10120170001",
        scopes=("repost",),
        valid_from=date(2020, 1, 1),
        valid_until=today + timedelta(days=30),
        revoked_at=None,
        version=1,
    )
    async with db.transaction() as stores:
        await articles.note_licence(stores, licence)
    with pytest.raises(NewsLicenceRequired):  # out of scope: an original article needs 采编发布
        await draft_and_publish(db, settings, me, category="news")
    await draft_and_publish(db, settings, me, category="news", original=False, source="新华社")  # 转载 is enough
    lapsed = replace(licence, scopes=("original",), valid_until=today - timedelta(days=1), version=2)
    async with db.transaction() as stores:
        await articles.note_licence(stores, lapsed)
    await grant(db, account, daily_articles=10)
    with pytest.raises(NewsLicenceRequired) as lapse:
        await draft_and_publish(db, settings, me, category="news")
    assert "lapsed" in lapse.value.detail


@pytest.mark.requirement("MB-4")
async def test_a_news_post_and_a_news_repost_with_text_need_a_licence(
    db: Database, settings: ContentSettings, posting: Posting
) -> None:
    writer = author()
    with pytest.raises(NewsLicenceRequired) as refused:
        await handlers.create_post(db, settings, writer, text="快讯", idempotency_key=None, category="news")
    assert refused.value.requirement == "MB-4"
    await handlers.create_post(db, settings, writer, text="随笔", idempotency_key=None, category="culture")
    original = await posting.publish(author())
    with pytest.raises(NewsLicenceRequired):
        await interactions.repost(
            db, settings, writer, original, text="转发评论", idempotency_key=None, category="news"
        )
    await interactions.repost(db, settings, writer, original, text="", idempotency_key=None, category="news")

    async with db.transaction() as stores:
        await articles.note_licence(
            stores,
            LicenceChanged(
                account_id=uuid.UUID(writer.subject),
                licence_id=uuid.uuid4(),
                number="10120170002",
                scopes=("repost",),
                valid_from=date(2020, 1, 1),
                valid_until=date(2099, 1, 1),
                revoked_at=None,
                version=1,
            ),
        )
    await interactions.repost(db, settings, writer, original, text="转发评论", idempotency_key=None, category="news")
    with pytest.raises(NewsLicenceRequired):  # 转载 only: no original news posts
        await handlers.create_post(db, settings, writer, text="快讯", idempotency_key=None, category="news")


@pytest.mark.requirement("MB-9")
async def test_a_pushed_article_reaches_subscribers_home_timelines_and_an_unpushed_one_does_not(
    db: Database, settings: ContentSettings
) -> None:
    account = await approved_account(db)
    me = acting(account)
    await grant(db, account, daily_articles=5, daily_pushes=1, push_to_subscribers=True)
    subscriber = uuid.UUID(author().subject)
    async with db.transaction() as stores:
        await stores.conn.execute("INSERT INTO follow (follower_id, followee_id) VALUES ($1, $2)", subscriber, account)
    pushed = await draft_and_publish(db, settings, me, push=True)
    quiet = await draft_and_publish(db, settings, me)
    with pytest.raises(QuotaReached):  # one push a day
        await draft_and_publish(db, settings, me, push=True)
    async with db.transaction() as stores:
        published = await stores.posts.publish_if_pending(
            [Decision(uuid.uuid4(), pushed, decided_at=datetime.now(UTC)), Decision(uuid.uuid4(), quiet)]
        )
        assert {p.post_id: p.pushed for p in published} == {pushed: True, quiet: False}
        await timelines.fan_out(stores, published, settings=settings)
        home = await stores.conn.fetch("SELECT post_id FROM timeline_entry WHERE owner_id = $1", subscriber)
    assert [r["post_id"] for r in home] == [pushed]


async def publish_and_deliver(db: Database, settings: ContentSettings, *post_ids: uuid.UUID, times: int = 1) -> None:
    """Moderation approves the posts; content's consumer delivers their PostPublished ``times`` times (fan-out,
    notifications, trending: content.main.deliver_published), as the broker would."""
    async with db.transaction() as stores:
        published = await stores.posts.publish_if_pending(
            [Decision(uuid.uuid4(), p, decided_at=datetime.now(UTC)) for p in post_ids]
        )
    for _ in range(times):
        async with db.transaction() as stores:
            await deliver_published(stores, published, settings)


async def subscribe(db: Database, account: uuid.UUID, *, followers: int | None = None) -> uuid.UUID:
    """A new subscriber of the account (a follow row as the social feature writes it); ``followers`` sets the
    account's count (at FANOUT_MAX_FOLLOWERS it is merged into home timelines at read time)."""
    subscriber = uuid.UUID(author().subject)
    async with db.transaction() as stores:
        await stores.conn.execute("INSERT INTO follow (follower_id, followee_id) VALUES ($1, $2)", subscriber, account)
        if followers is not None:
            await stores.conn.execute(
                """INSERT INTO follow_count (account_id, followers) VALUES ($1, $2)
                   ON CONFLICT (account_id) DO UPDATE SET followers = EXCLUDED.followers""",
                account,
                followers,
            )
    return subscriber


async def home_ids(db: Database, settings: ContentSettings, reader: uuid.UUID) -> list[str]:
    items, _ = await timelines.home(db, settings, reader, cursor=None, limit=50)
    return [i["id"] for i in items]


@pytest.mark.requirement("MB-9")
async def test_a_large_accounts_pushed_article_is_merged_into_subscribers_home_timelines(
    db: Database, settings: ContentSettings
) -> None:
    account = await approved_account(db)
    me = acting(account)
    await grant(db, account, daily_articles=5, daily_pushes=1, push_to_subscribers=True)
    subscriber = await subscribe(db, account, followers=settings.fanout_max_followers)  # merged at read time
    pushed = await draft_and_publish(db, settings, me, push=True)
    quiet = await draft_and_publish(db, settings, me)
    await publish_and_deliver(db, settings, pushed, quiet)
    async with db.connection() as stores:  # one write: no entry for a large account
        assert await stores.conn.fetchval("SELECT count(*) FROM timeline_entry WHERE post_id = $1", pushed) == 0
    assert await home_ids(db, settings, subscriber) == [str(pushed)]
    await articles.withdraw(db, settings, me, pushed)
    assert await home_ids(db, settings, subscriber) == []


@pytest.mark.requirement("MB-9")
@pytest.mark.requirement("MB-12.2")
async def test_a_pushed_article_notifies_each_subscriber_once_while_it_is_shown(
    db: Database, settings: ContentSettings, posting: Posting
) -> None:
    account = await approved_account(db)
    me = acting(account)
    await grant(db, account, daily_articles=5, daily_pushes=3, push_to_subscribers=True)
    readers = [await subscribe(db, account) for _ in range(2)]
    stranger = uuid.UUID(author().subject)
    pushed = [await draft_and_publish(db, settings, me, push=True) for _ in range(2)]
    quiet = await draft_and_publish(db, settings, me)
    await publish_and_deliver(db, settings, *pushed, quiet, times=2)  # delivered twice: told once

    async def told(reader: uuid.UUID) -> list[tuple[str, str | None, str | None]]:
        listed = await notify.list_notifications(db, reader, cursor=None, limit=50, unread_only=False)
        return sorted((str(n.kind), n.post_id, n.actor_id) for n in listed.items)

    expected = sorted(("article_pushed", str(a), str(account)) for a in pushed)
    assert [await told(r) for r in readers] == [expected, expected]
    assert await told(stranger) == [] and await told(account) == []
    assert await notify.unread_count(db, readers[0]) == 2
    async with db.connection() as stores:
        keys = await stores.conn.fetch(
            "SELECT DISTINCT dedup_key FROM notification WHERE recipient_id = $1", readers[0]
        )
    assert sorted(r["dedup_key"] for r in keys) == sorted(f"pushed:{a}" for a in pushed)

    # Stopped (MB-12.2): the notice leaves the list and the unread count; the other stays.
    await posting.stop(pushed[0])
    assert await told(readers[0]) == [("article_pushed", str(pushed[1]), str(account))]
    assert await notify.unread_count(db, readers[0]) == 1
    # A correction on show stopped later (the article is 451): gone too.
    corrected = await articles.correct(
        db, settings, me, pushed[1], CorrectionCreate(body="今天多云。", correction_note="更正")
    )
    await posting.approve(uuid.UUID(corrected.post_id))
    assert await told(readers[1]) == [("article_pushed", str(pushed[1]), str(account))]  # corrected, still shown
    await posting.stop(uuid.UUID(corrected.post_id))
    assert await told(readers[0]) == [] and await told(readers[1]) == []
    assert await notify.unread_count(db, readers[1]) == 0


@pytest.mark.requirement("PA-12.2")
async def test_comments_on_an_article_await_the_operators_approval_and_pinned_ones_come_first(
    db: Database, settings: ContentSettings, posting: Posting
) -> None:
    account = await approved_account(db)
    me = acting(account)
    article_id = await draft_and_publish(db, settings, me)
    await posting.approve(article_id)
    with pytest.raises(FeatureNotAssessed) as gated:  # MB-13: before the security assessment is acknowledged
        await interactions.comment(db, settings, author(), article_id, text="写得好", idempotency_key=None)
    assert gated.value.requirement == "MB-13"
    await open_comments_gate(db)
    readers = [author() for _ in range(5)]
    comments = []
    for reader in readers:
        created = await interactions.comment(db, settings, reader, article_id, text="写得好", idempotency_key=None)
        assert created.post["owner_state"] == "awaiting"  # PA-12.2: held for the operator by default
        await posting.approve(created.post["id"])
        comments.append(created.post["id"])
    listed = await interactions.comments(db, article_id, None, state=OwnerState.SHOWN, cursor=None, limit=10)
    assert listed.items == []  # awaiting: invisible to others
    with pytest.raises(NotShown):
        await interactions.pin_comment(db, settings, me, article_id, comments[0], pin=True)
    for c in comments:
        await interactions.manage_comment(db, settings, me, article_id, c, CommentAction.APPROVE)
    for c in comments[:3]:
        await interactions.pin_comment(db, settings, me, article_id, c, pin=True)
    with pytest.raises(TooManyPins):
        await interactions.pin_comment(db, settings, me, article_id, comments[3], pin=True)
    with pytest.raises(Exception) as not_manager:
        await interactions.pin_comment(db, settings, readers[0], article_id, comments[3], pin=True)
    assert getattr(not_manager.value, "status", 0) == 403
    listed = await interactions.comments(db, article_id, None, state=OwnerState.SHOWN, cursor=None, limit=10)
    ids = [uuid.UUID(c.id) for c in listed.items]
    assert ids[:3] == list(reversed(comments[:3])) and set(ids[3:]) == set(comments[3:]) and len(ids) == 5
    await interactions.pin_comment(db, settings, me, article_id, comments[0], pin=False)
    await interactions.pin_comment(db, settings, me, article_id, comments[3], pin=True)  # a pin freed


@pytest.mark.requirement("MB-9")
async def test_a_grade_without_article_comments_refuses_them(
    db: Database, settings: ContentSettings, posting: Posting
) -> None:
    account = await approved_account(db)
    article_id = await draft_and_publish(db, settings, acting(account))
    await posting.approve(article_id)
    await open_comments_gate(db)
    await grant(db, account, daily_articles=1, features=())
    with pytest.raises(FeatureLimited) as refused:
        await interactions.comment(db, settings, author(), article_id, text="留言", idempotency_key=None)
    assert refused.value.requirement == "MB-9"


@pytest.mark.requirement("MB-9")
async def test_the_grades_daily_posts_count_posts_reposts_and_comments(db: Database, settings: ContentSettings) -> None:
    writer = author()
    await grant(db, uuid.UUID(writer.subject), daily_posts=2)
    first = await handlers.create_post(db, settings, writer, text="一", idempotency_key="k1")
    again = await handlers.create_post(db, settings, writer, text="一", idempotency_key="k1")  # a replay
    assert again.post["id"] == first.post["id"] and not again.created
    await interactions.repost(db, settings, writer, first.post["id"], text="", idempotency_key=None)
    with pytest.raises(QuotaReached) as refused:
        await handlers.create_post(db, settings, writer, text="三", idempotency_key=None)
    assert refused.value.requirement == "MB-9" and 0 < refused.value.retry_after_s <= 86_400
    other = author()  # no standing yet: grade 1's 200 a day
    await handlers.create_post(db, settings, other, text="你好", idempotency_key=None)


@pytest.mark.requirement("PA-11")
async def test_search_finds_an_article_by_its_revision_on_show_once(
    db: Database, settings: ContentSettings, posting: Posting
) -> None:
    tag = uuid.uuid4().hex[:8]
    me = acting(await approved_account(db))
    await grant(db, uuid.UUID(me.subject), daily_articles=5)
    article_id = await draft_and_publish(db, settings, me, body=f"{tag} 春节的地铁很拥挤")
    assert await searched(db, f"{tag} 地铁") == []  # under review: not yet
    await posting.approve(article_id)
    assert await searched(db, f"{tag} 地铁") == [str(article_id)]
    corrected = await articles.correct(
        db, settings, me, article_id, CorrectionCreate(body=f"{tag} 春节的高铁很拥挤", correction_note="是高铁")
    )
    assert await searched(db, f"{tag} 高铁") == []  # the correction is not on show yet
    await posting.approve(uuid.UUID(corrected.post_id))
    assert await searched(db, f"{tag} 高铁") == [str(article_id)]
    assert await searched(db, f"{tag} 地铁") == []  # the earlier revision is no longer what is shown
    assert await searched(db, f"{tag} 春节") == [str(article_id)]  # once
    [hit] = (await search.search_posts(db, f"{tag} 高铁", None, cursor=None, limit=50))["items"]
    assert "高铁" in hit.text and "地铁" not in hit.text  # the hit shows the revision on show
    await posting.stop(uuid.UUID(corrected.post_id))
    assert await searched(db, f"{tag} 春节") == []  # MB-12.2: the revision on show stopped


async def searched(db: Database, q: str) -> list[str]:
    result = await search.search_posts(db, q, None, cursor=None, limit=50)
    return [item.id for item in result["items"]]
