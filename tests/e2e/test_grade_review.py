"""MB-9, PA-7.2: a grade decides how strictly its publications are reviewed, as data in the filed grading
rules. The chief editor publishes rules whose grade says `review: hold`; identity announces the author's
standing with that privilege; moderation then holds the author's next post (rule `grade.hold`), lexicon
stops still first."""

from __future__ import annotations

import httpx
import pytest
from devstack.testing import poll
from journeys import Flow, User

HOLD = {"review": "hold"}  # the other privileges as grade 1's


def _status(gateway: httpx.Client, post_id: str, author: User) -> str | None:
    answer = gateway.get(f"/v1/posts/{post_id}", headers=author.auth)
    if answer.status_code == 451:
        return "stopped"
    status = answer.json().get("status")
    return None if status == "pending" else status


@pytest.mark.requirement("MB-9")
@pytest.mark.requirement("PA-7.2")
@pytest.mark.requirement("MB-6.1")
def test_a_grade_whose_review_is_hold_holds_its_authors_posts(flow: Flow, gateway: httpx.Client) -> None:
    author = flow.verified_user()
    chief = flow.staff("chief_editor")
    before = gateway.get("/v1/identity/grading-rules").json()
    rules = [*before["rules"]["rules"], {"grade": 9, "name": "审核从严", "min_credit": 120, "privileges": HOLD}]
    published = gateway.post("/v1/identity/grading-rules", headers=chief.auth, json={"rules": rules})
    assert published.status_code == 201, published.text
    try:

        def held_post() -> dict | None:
            post = flow.post(author, "今天天气很好，出门走走")
            status = poll(lambda: _status(gateway, post["id"], author), what=f"a decision on {post['id']}")
            return post if status == "held" else None

        post = poll(held_post, interval_s=0.2, what="the grade's review mode reaching moderation")
        decision = gateway.get(f"/v1/moderation/posts/{post['id']}/decision", headers=author.auth).json()
        assert (decision["outcome"], decision["rule"]) == ("hold_for_review", "grade.hold")
        assert decision["legal_basis"] == ["MB-9", "PA-7.2", "MB-6.1"]
        assert gateway.get(f"/v1/posts/{post['id']}").status_code == 404  # the author's alone until reviewed
        stopped = flow.post(author, "网络赌博来了")  # a prohibited term is stopped, grade or not
        assert poll(lambda: _status(gateway, stopped["id"], author), what="the stop") == "stopped"
    finally:
        restored = gateway.post(
            "/v1/identity/grading-rules", headers=chief.auth, json={"rules": before["rules"]["rules"]}
        )
        assert restored.status_code == 201, restored.text
