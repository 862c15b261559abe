"""Public accounts (公众账号, PA-2, PA-6, PA-7, CM), through the gateway: registration by a verified
subject, the staff review queue and decision with the kind label, the cap per subject and the operator
declaration, names checked for impersonation, operators and their acting tokens."""

from __future__ import annotations

import asyncio
import base64
import json
import uuid

import pytest
from contracts import identity
from devstack.stack import StackInfo
from devstack.testing import poll
from journeys import Flow, confirmed_user, credit_code, find_event
from qinglang.identity.v1 import standing_pb2


def claims_of(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def problem_type(answer) -> str:
    return answer.json()["type"].rsplit("/", 1)[-1]


@pytest.mark.requirement("PA-7.1")
def test_a_public_account_is_reviewed_labelled_and_acted_as_by_its_owner(flow: Flow, platform: StackInfo) -> None:
    owner = flow.verified_user()
    applied = flow.apply_public_account(owner, kind="individual", category="culture", business_scope="读书笔记")
    assert applied.status_code == 201, applied.text
    application = applied.json()
    assert application["status"] == "submitted" and application["label"] == "个人"
    assert application["province_code"] == "110000"

    senior, reviewer = flow.staff("senior_reviewer"), flow.staff("reviewer")
    queue = flow.gw.get("/v1/identity/staff/public-accounts", headers=senior.auth, params={"status": "submitted"})
    assert application["id"] in [a["id"] for a in queue.json()["items"]]
    path = f"/v1/identity/staff/public-accounts/{application['id']}/decision"
    assert flow.gw.post(path, headers=reviewer.auth, json={"outcome": "approve", "reason": "ok"}).status_code == 403
    approved = flow.gw.post(path, headers=senior.auth, json={"outcome": "approve", "reason": "scope reviewed"})
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    public_id = approved.json()["public_account_id"]
    again = flow.gw.post(path, headers=senior.auth, json={"outcome": "refuse", "reason": "again"})
    assert again.status_code == 409 and problem_type(again) == "already-decided"

    shown = flow.gw.get(f"/v1/identity/public-accounts/{public_id}")
    assert shown.status_code == 200, shown.text
    assert shown.json()["label"] == "个人" and shown.json()["kind"] == "individual"
    assert shown.json()["name"] == application["name"] and shown.json()["subscribers"] == 0
    assert flow.gw.get(f"/v1/identity/public-accounts/{uuid.uuid4()}").status_code == 404
    mine = flow.gw.get("/v1/accounts/me/public-accounts", headers=owner.auth).json()
    assert [(a["id"], a["role"]) for a in mine["operated"]] == [(public_id, "owner")]
    assert mine["applications"][0]["status"] == "approved"

    # The first standing says it is a public account (content and moderation learn its kind).
    record = asyncio.run(
        find_event(
            platform.kafka_bootstrap_servers,
            identity.ACCOUNT_TOPIC.name,
            public_id,
            ce_type=identity.STANDING_CHANGED.name,
        )
    )
    assert standing_pb2.AccountStandingChanged.FromString(record.value).account_kind == "public"

    acting = flow.acting_token(owner, public_id)
    assert acting.status_code == 201, acting.text
    token = acting.json()["access_token"]
    claims = claims_of(token)
    assert claims["sub"] == public_id and claims["act"] == owner.id and claims["rnv"] is True
    assert claims["prov"] == "110000" and claims["exp"] - claims["iat"] <= 900 + 1
    headers = {"Authorization": f"Bearer {token}"}
    acting_view = flow.gw.get(f"/v1/identity/public-accounts/{public_id}", headers=headers).json()
    assert acting_view["acting"] == {"operator_id": owner.id, "role": "owner"}
    # An acting token is not the operator's own: identity's /v1/accounts/me routes refuse it.
    me = flow.gw.get("/v1/accounts/me", headers=headers)
    assert me.status_code == 403 and problem_type(me) == "acting-token"
    # A public account has no password: it never signs in.
    signed = flow.gw.post("/v1/tokens", json={"username": f"public-{public_id}", "password": "anything at all"})
    assert signed.status_code == 401


@pytest.mark.requirement("PA-7.1")
def test_a_refusal_has_its_reason_and_a_kind_must_suit_the_subject(flow: Flow) -> None:
    person = flow.verified_user()
    wrong = flow.apply_public_account(person, kind="enterprise")
    assert wrong.status_code == 422 and problem_type(wrong) == "kind-mismatch"
    assert wrong.json()["requirement"] == "PA-7.1"
    company = flow.organization("某某文化传播有限公司")
    media = flow.apply_public_account(company, kind="media", category="news")
    assert media.status_code == 422 and problem_type(media) == "kind-mismatch"  # MB-8: needs a media V account

    applied = flow.apply_public_account(company, kind="enterprise", category="lifestyle")
    assert applied.status_code == 201, applied.text
    assert applied.json()["label"] == "企业"
    refused = flow.decide_public_account(applied.json()["id"], "refuse")
    assert refused.status_code == 200 and refused.json()["status"] == "refused"
    mine = flow.gw.get("/v1/accounts/me/public-accounts", headers=company.auth).json()
    assert mine["applications"][0]["reason"] == "information, qualifications and scope reviewed"
    assert mine["operated"] == []


@pytest.mark.requirement("MB-7.1")
def test_an_unverified_registrant_is_refused(flow: Flow) -> None:
    user = confirmed_user(flow)
    refused = flow.apply_public_account(user)
    assert refused.status_code == 403 and refused.json()["requirement"] == "MB-7.1"


@pytest.mark.requirement("PA-7.3")
def test_an_individual_operates_two_public_accounts_at_most(flow: Flow) -> None:
    owner = flow.verified_user()
    flow.public_account(owner)
    second, third = flow.apply_public_account(owner), flow.apply_public_account(owner)
    assert second.status_code == 201 and third.status_code == 201
    assert flow.decide_public_account(second.json()["id"]).status_code == 200
    # Counted again at approval, under the subject's lock.
    capped = flow.decide_public_account(third.json()["id"])
    assert capped.status_code == 409 and problem_type(capped) == "public-account-cap-reached"
    assert capped.json()["requirement"] == "PA-7.3"
    at_once = flow.apply_public_account(owner)
    assert at_once.status_code == 409 and problem_type(at_once) == "public-account-cap-reached"


@pytest.mark.requirement("PA-7.3")
def test_an_organisations_second_public_account_needs_an_operator_declaration(flow: Flow) -> None:
    company = flow.organization("某某数字科技有限公司", credit_code("330106"))
    first = flow.public_account(company, kind="enterprise", category="technology")
    applied = flow.apply_public_account(company, kind="enterprise", category="technology")
    assert applied.status_code == 201, applied.text
    undeclared = flow.decide_public_account(applied.json()["id"])
    assert undeclared.status_code == 409 and problem_type(undeclared) == "operator-declaration-required"
    declared = flow.gw.post(
        "/v1/accounts/me/operator-declaration",
        headers=company.auth,
        json={"registrant": "某某数字科技有限公司", "business_scope": "科技资讯", "accounts": [company.id, first.id]},
    )
    assert declared.status_code == 201, declared.text
    approved = flow.decide_public_account(applied.json()["id"])
    assert approved.status_code == 200 and approved.json()["status"] == "approved"


@pytest.mark.requirement("CM")
def test_names_imitating_a_government_body_or_another_account_are_refused(flow: Flow) -> None:
    user = flow.verified_user()
    for name in ("人民日报读书", "国務院辦公"):
        refused = flow.apply_public_account(user, name=name)
        assert refused.status_code == 422 and problem_type(refused) == "name-impersonates", (name, refused.text)
        assert refused.json()["requirement"] == "CM"
    existing = flow.public_account()
    taken = flow.apply_public_account(user, name=existing.name)
    assert taken.status_code == 409 and problem_type(taken) == "name-taken"
    copycat = flow.apply_public_account(user, name=existing.name + "粉丝")
    assert copycat.status_code == 422 and problem_type(copycat) == "name-impersonates"


@pytest.mark.requirement("PA-7.1")
def test_an_editor_acts_as_the_account_until_removed(flow: Flow) -> None:
    account = flow.public_account()
    editor, outsider, unverified = flow.verified_user(), flow.verified_user(), confirmed_user(flow)
    operators = f"/v1/identity/public-accounts/{account.id}/operators"
    refused = flow.gw.put(f"{operators}/{unverified.id}", headers=account.owner.auth)
    assert refused.status_code == 422 and refused.json()["requirement"] == "MB-7.1"
    not_owner = flow.gw.put(f"{operators}/{outsider.id}", headers=outsider.auth)
    assert not_owner.status_code == 403 and problem_type(not_owner) == "not-the-owner"
    added = flow.gw.put(f"{operators}/{editor.id}", headers=account.owner.auth)
    assert added.status_code == 200, added.text
    assert {(o["account_id"], o["role"]) for o in added.json()["items"]} == {
        (account.owner.id, "owner"),
        (editor.id, "editor"),
    }
    stranger = flow.acting_token(outsider, account.id)
    assert stranger.status_code == 403 and problem_type(stranger) == "not-an-operator"

    acting = flow.acting_token(editor, account.id)
    assert acting.status_code == 201, acting.text
    headers = {"Authorization": f"Bearer {acting.json()['access_token']}"}
    # The editor publishes as the public account (content takes the acting token like any user's).
    posted = flow.gw.post("/v1/posts", headers=headers, json={"text": "公众号的第一条动态"})
    assert posted.status_code == 201, posted.text
    assert posted.json()["author_id"] == account.id

    owner_removed = flow.gw.delete(f"{operators}/{account.owner.id}", headers=account.owner.auth)
    assert owner_removed.status_code == 409
    assert flow.gw.delete(f"{operators}/{editor.id}", headers=account.owner.auth).status_code == 204
    # Refused at once by identity, and by every service once the revocation (claim "act") arrives.
    mine = flow.gw.get(f"/v1/identity/public-accounts/{account.id}", headers=headers)
    assert mine.status_code == 403 and problem_type(mine) == "token-revoked"
    revoked = poll(
        lambda: (
            answer
            if (answer := flow.gw.post("/v1/posts", headers=headers, json={"text": "移除后的动态"})).status_code == 403
            else None
        ),
        what="the removed editor's acting token refused by content",
    )
    assert problem_type(revoked) == "token-revoked"
    again = flow.acting_token(editor, account.id)
    assert again.status_code == 403 and problem_type(again) == "not-an-operator"
    # The owner's acting token is untouched (another operator).
    assert flow.gw.post("/v1/posts", headers=account.auth, json={"text": "主人的动态"}).status_code == 201
