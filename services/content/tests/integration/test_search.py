"""Search on a real PostgreSQL (migration 0012: full text over CJK bigrams): recall on Chinese words of
two characters, exact matches, and the read rule (MB-12.2) applied before the LIMIT."""

from __future__ import annotations

import uuid

import pytest
from content.posts.domain import PostKind
from content.posts.handlers import Draft, accept
from content.search import handlers
from content.search.domain import SearchQueryTooShort

WORDS = ["天气", "北京", "手机", "学习", "朋友", "城市", "电影", "足球", "春节", "地铁"]


async def found(db, q: str, viewer=None, **page: object) -> list[str]:
    result = await handlers.search_posts(db, q, viewer, cursor=page.get("cursor"), limit=page.get("limit", 50))
    return [item.text for item in result["items"]]


async def test_every_post_holding_a_two_character_word_is_found(db, posting) -> None:
    tag = uuid.uuid4().hex[:8]  # isolates this test's posts from the others' in the shared search
    alice = posting.author()
    texts = [f"{tag}今天{a}{b}真不错。" for a in WORDS for b in WORDS if a != b]
    for text in texts:
        await posting.publish(alice, text)
    for word in WORDS:
        expected = {t for t in texts if word in t}
        assert set(await found(db, f"{tag} {word}", limit=500)) == expected  # recall 100 %
    # Any substring of two characters or more is found, across the words' boundaries too, and only that.
    for q in ("京手", "天北京", "气真不错"):
        assert set(await found(db, f"{tag} {q}", limit=500)) == {t for t in texts if q in t} != set()


async def test_full_width_and_case_are_folded_and_latin_words_match_whole(db, posting) -> None:
    alice = posting.author()
    tag = uuid.uuid4().hex[:8]
    await posting.publish(alice, f"{tag} 新款ＩＰＨＯＮＥ手机发布")
    assert await found(db, f"{tag} iphone") == [f"{tag} 新款ＩＰＨＯＮＥ手机发布"]
    assert await found(db, f"{tag} 手机发布") == [f"{tag} 新款ＩＰＨＯＮＥ手机发布"]
    assert await found(db, f"{tag} 机发布会") == []


@pytest.mark.requirement("MB-12.2")
async def test_only_what_the_viewer_may_see_is_found(db, posting) -> None:
    alice, bob = posting.author(), posting.author()
    word = "搜" + uuid.uuid4().hex[:6]
    published = await posting.publish(alice, f"{word} 已发布")
    stopped = await posting.publish(alice, f"{word} 被停止")
    await posting.stop(stopped)
    pending = (await accept(db, alice, Draft(f"{word} 待审核"), idempotency_key=None)).post["id"]
    await posting.publish(bob, f"{word} 评论", kind=PostKind.COMMENT, parent_id=published, root_id=published)
    repost = await posting.publish(bob, f"{word} 转发", kind=PostKind.REPOST, parent_id=published, root_id=published)
    # Others see the published post and the repost; the stopped one, the pending one and comments never.
    assert await found(db, word, bob) == [f"{word} 转发", f"{word} 已发布"]
    assert await found(db, word, None) == [f"{word} 转发", f"{word} 已发布"]
    # The author sees their own under review, never the stopped one (MB-12.2).
    assert await found(db, word, alice) == [f"{word} 转发", f"{word} 待审核", f"{word} 已发布"]
    # A stop takes the original out and its reposts show the 451 placeholder.
    await posting.stop(published)
    result = await handlers.search_posts(db, word, None, cursor=None, limit=50)
    assert [i.id for i in result["items"]] == [str(repost)]
    assert result["items"][0].original.status == 451
    assert str(pending) not in [i.id for i in result["items"]]


async def test_pages_are_full_and_neither_skip_nor_repeat(db, posting) -> None:
    alice = posting.author()
    word = "页" + uuid.uuid4().hex[:6]
    ids = [await posting.publish(alice, f"{word} 第{n}条") for n in range(7)]
    for n in (1, 4):
        await posting.stop(ids[n])  # filtered before the LIMIT: pages stay full
    seen, cursor = [], None
    while True:
        result = await handlers.search_posts(db, word, None, cursor=cursor, limit=2)
        seen.append([i.id for i in result["items"]])
        cursor = result["next_cursor"]
        if cursor is None:
            break
    assert [len(p) for p in seen] == [2, 2, 1]
    assert [i for p in seen for i in p] == [str(ids[n]) for n in (6, 5, 3, 2, 0)]


async def test_a_query_with_nothing_to_look_up_is_refused(db) -> None:
    with pytest.raises(SearchQueryTooShort):
        await found(db, "天 气")  # single ideographs cannot be looked up in a bigram index
