"""Articles of public accounts (issue 13 §2: PA-11, MB-6.1, MB-12.2, MB-16.2, MB-9, PA-7.1), end to end
through Traefik: an operator's acting token drafts and publishes, moderation decides the article like a
post (markup cannot hide a phrase), corrections keep their history, a withdrawal is 410 everywhere."""

from __future__ import annotations

import uuid

import httpx
import pytest
from devstack.testing import poll
from journeys import Flow, PublicAccount, assert_quota_refusal, reports_for_post

PROHIBITED = "网络赌博"  # the sample lexicon stops it (MB-12, BJ-10)
HELD = "内部消息称"  # the sample lexicon holds it for review (MB-6.1)


def problem_type(answer: httpx.Response) -> str:
    return answer.json()["type"].rsplit("/", 1)[-1]


def publish(flow: Flow, account: PublicAccount, *, push: bool = False, **fields: object) -> httpx.Response:
    body = {"title": "青朗早报", "format": "markdown", "body": "# 今日\n\n今天天气很好，去公园散步。", **fields}
    draft = flow.gw.post("/v1/articles/drafts", headers=account.auth, json=body)
    assert draft.status_code == 201, draft.text
    return flow.gw.post(
        f"/v1/articles/drafts/{draft.json()['id']}/publication", headers=account.auth, json={"push": push}
    )


def published(flow: Flow, account: PublicAccount, **fields: object) -> dict:
    answer = publish(flow, account, **fields)
    assert answer.status_code == 201, answer.text
    return answer.json()


def article_status(gw: httpx.Client, article_id: str, headers: dict[str, str] | None = None) -> int:
    return gw.get(f"/v1/articles/{article_id}", headers=headers or {}).status_code


@pytest.mark.requirement("PA-11")
@pytest.mark.requirement("MB-6.1")
def test_an_article_is_drafted_published_after_moderation_and_sanitised(flow: Flow) -> None:
    account = flow.public_account(kind="individual", category="culture")
    body = '<p>今天天气很好<script>alert(1)</script><img src="/x.png" onerror="alert(2)" alt="公园"></p>'
    article = published(flow, account, format="html", body=body, author_name="小青")
    assert article["status"] == "pending"
    assert "<script" not in article["body_html"] and "onerror" not in article["body_html"]
    assert article_status(flow.gw, article["id"]) == 404  # under review: the account's only
    assert article_status(flow.gw, article["id"], account.auth) == 200
    shown = poll(
        lambda: (
            (r := flow.gw.get(f"/v1/articles/{article['id']}")).status_code == 200
            and r.json()["account"]["label"]
            and r.json()
        ),
        what="the article published, with the account's kind label (PA-7.1)",
    )
    assert shown["account"]["label"] == "个人"
    assert shown["status"] == "published" and shown["author_name"] == "小青" and shown["editor_id"] == account.owner.id
    listed = flow.gw.get(f"/v1/public-accounts/{account.id}/articles").json()["items"]
    assert [a["id"] for a in listed] == [article["id"]]


@pytest.mark.requirement("PA-7.1")
def test_a_user_token_cannot_draft(flow: Flow) -> None:
    user = flow.verified_user()
    refused = flow.gw.post("/v1/articles/drafts", headers=user.auth, json={"title": "t", "body": "b"})
    assert refused.status_code == 403 and problem_type(refused) == "not-a-public-account"
    assert refused.json()["requirement"] == "PA-7.1"


@pytest.mark.requirement("MB-12.2")
def test_a_phrase_split_by_tags_or_in_an_alt_is_stopped_and_reported_once(
    flow: Flow, national_key: dict[str, str]
) -> None:
    for body in ("<p>网络<b>赌</b>博，注册就送</p>", f'<p>看图</p><img alt="{PROHIBITED}">'):
        account = flow.public_account()
        article = published(flow, account, format="html", body=body)
        stopped = poll(
            lambda article=article: (r := flow.gw.get(f"/v1/articles/{article['id']}")).status_code == 451 and r,
            what="451 for the article",
        )
        assert stopped.json()["requirement"] == "MB-12.2" and "MB-12.2" in stopped.json()["legal_basis"]
        assert article_status(flow.gw, article["id"], account.auth) == 451
        reports = poll(lambda article=article: reports_for_post(flow.gw, national_key, article["id"]), what="report")
        assert len(reports) == 1 and reports[0]["account_id"] == account.id


@pytest.mark.requirement("MB-6.1")
def test_a_held_article_is_shown_after_a_reviewer_approves_it(flow: Flow) -> None:
    reviewer = flow.staff("reviewer")
    account = flow.public_account()
    article = published(flow, account, body=f"{HELD}，明天要涨价")
    decision = poll(
        lambda: (
            (r := flow.gw.get(f"/v1/moderation/posts/{article['id']}/decision", headers=account.auth)).status_code
            == 200
            and r.json()
        ),
        what="a decision on the article",
    )
    assert decision["outcome"] == "hold_for_review"
    # Moderation decided; content applies it when the decision arrives.
    poll(
        lambda: flow.gw.get(f"/v1/articles/{article['id']}", headers=account.auth).json()["status"] == "held",
        what="the article held in content",
    )
    reviewed = flow.gw.post(
        f"/v1/moderation/reviews/{decision['id']}",
        headers=reviewer.auth,
        json={"outcome": "approve", "reason": "a price notice, sourced"},
    )
    assert reviewed.status_code == 201, reviewed.text
    poll(lambda: article_status(flow.gw, article["id"]) == 200, what="shown after review")


@pytest.mark.requirement("PA-11")
def test_a_correction_is_shown_with_its_history_and_an_illegal_one_leaves_the_old_revision(
    flow: Flow, national_key: dict[str, str]
) -> None:
    account = flow.public_account()
    article = published(flow, account)
    poll(lambda: article_status(flow.gw, article["id"]) == 200, what="published")
    path = f"/v1/articles/{article['id']}"
    corrected = flow.gw.post(
        f"{path}/corrections",
        headers=account.auth,
        json={"body": "今天多云，去公园散步。", "correction_note": "天气更正"},
    )
    assert corrected.status_code == 201, corrected.text
    assert corrected.json()["revision"] == 2
    shown = poll(lambda: (r := flow.gw.get(path).json())["revision"] == 2 and r, what="the correction on show")
    assert "多云" in shown["body_html"] and shown["corrected_at"] is not None
    history = flow.gw.get(f"{path}/revisions").json()
    assert [(r["revision"], r["correction_note"]) for r in history] == [(1, None), (2, "天气更正")]
    assert "天气很好" in flow.gw.get(f"{path}/revisions/1").json()["body_html"]  # the old text stays the record

    illegal = flow.gw.post(
        f"{path}/corrections", headers=account.auth, json={"body": f"{PROHIBITED}注册就送", "correction_note": "x"}
    )
    assert illegal.status_code == 201, illegal.text
    reports = poll(lambda: reports_for_post(flow.gw, national_key, illegal.json()["post_id"]), what="the stop reported")
    assert len(reports) == 1
    still = flow.gw.get(path)
    assert still.status_code == 200 and still.json()["revision"] == 2  # the earlier revision stays on show


@pytest.mark.requirement("MB-16.2")
def test_a_withdrawn_article_is_410_on_every_path(flow: Flow) -> None:
    account = flow.public_account()
    article = published(flow, account)
    poll(lambda: article_status(flow.gw, article["id"]) == 200, what="published")
    assert flow.gw.delete(f"/v1/articles/{article['id']}", headers=account.auth).status_code == 204
    for path in (
        f"/v1/articles/{article['id']}",
        f"/v1/posts/{article['id']}",
        f"/v1/articles/{article['id']}/revisions",
    ):
        assert flow.gw.get(path).status_code == 410, path
    assert flow.gw.get(f"/v1/public-accounts/{account.id}/articles").json()["items"] == []
    other = flow.public_account()
    assert flow.gw.delete(f"/v1/articles/{article['id']}", headers=other.auth).status_code == 404


@pytest.mark.requirement("MB-9")
def test_the_daily_article_quota_is_a_403_with_retry_after_through_the_gateway(flow: Flow) -> None:
    account = flow.public_account()
    # The grade's daily articles (the default rules: 1 at grade 1, 5 at grades 2, 3 and 5), as identity graded it.
    reviewer = flow.staff("reviewer")
    standing = flow.gw.get(f"/v1/identity/staff/accounts/{account.id}/standing", headers=reviewer.auth).json()
    limit = standing["privileges"]["daily_articles"]
    assert limit >= 1
    # Content hears the grade by event (grade-1 defaults until then, which may refuse sooner): publish until
    # the grade's number is used, then every further one is refused.
    answers: list[int] = []
    poll(
        lambda: answers.append(publish(flow, account).status_code) or answers.count(201) == limit,
        what="the day's articles used",
    )
    assert set(answers) <= {201, 403}, answers
    for _ in range(2):
        assert_quota_refusal(publish(flow, account))


@pytest.mark.requirement("MB-9")
def test_a_pushed_article_reaches_subscribers_home_timelines(flow: Flow) -> None:
    account = flow.public_account()
    reader = flow.verified_user()
    poll(
        lambda: (
            flow.gw.put(f"/v1/public-accounts/{account.id}/subscription", headers=reader.auth).status_code in (200, 201)
        ),
        what="subscribed (content learned the account)",
    )
    article = published(flow, account, push=True)  # grade 1: one push a day
    assert article["pushed"] is True
    poll(
        lambda: (
            article["id"] in [p["id"] for p in flow.gw.get("/v1/timelines/home", headers=reader.auth).json()["items"]]
        ),
        what="the pushed article in the subscriber's home timeline",
    )


@pytest.mark.requirement("PA-11")
def test_search_finds_the_corrected_text_and_no_longer_the_old(flow: Flow) -> None:
    account = flow.public_account()
    tag = uuid.uuid4().hex[:8]
    article = published(flow, account, body=f"{tag} 春节的地铁很拥挤")
    path = f"/v1/articles/{article['id']}"

    def hits(q: str) -> list[dict]:
        answer = flow.gw.get("/v1/search/posts", params={"q": f"{tag} {q}"})
        assert answer.status_code == 200, answer.text
        return [i for i in answer.json()["items"] if i["id"] == article["id"]]

    poll(lambda: hits("地铁"), what="the article found by its first text")
    corrected = flow.gw.post(
        f"{path}/corrections",
        headers=account.auth,
        json={"body": f"{tag} 春节的高铁很拥挤", "correction_note": "是高铁"},
    )
    assert corrected.status_code == 201, corrected.text
    poll(lambda: flow.gw.get(path).json()["revision"] == 2, what="the correction on show")
    [hit] = hits("高铁")  # a word only in the corrected text
    assert "高铁" in hit["text"] and "地铁" not in hit["text"]  # the hit shows the corrected text
    assert hits("地铁") == []  # a word only in the old text finds it no more
    assert [h["id"] for h in hits("春节")] == [article["id"]]  # once
