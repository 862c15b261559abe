"""Credit, sanctions and the blacklist (MB-9, MB-15, PA-6.2, PA-13): moderation's stops cost credit and
climb the sanctions ladder; content enforces each step at once (same token); an appeal reverses an
entry; closure blacklists the subject, refuses its re-registration and is filed with the regulator."""

from __future__ import annotations

import uuid

import httpx
import pytest
from devstack.cli import create_regulator_office
from devstack.stack import StackInfo
from devstack.testing import poll
from journeys import Flow, PublicAccount, Staff, User, register_rumour, regulator_filings, resident_id

PROHIBITED = "网络赌博，私聊"  # a sample-lexicon stop term
STOPS = ("stop_transmission", "rumour")  # the ledger's causes of a stop of transmission


def stopped(gateway: httpx.Client, post_id: str) -> bool:
    return gateway.get(f"/v1/posts/{post_id}").status_code == 451


def credit(gateway: httpx.Client, user: User) -> dict:
    response = gateway.get("/v1/accounts/me/credit", headers=user.auth)
    if response.status_code == 403 and response.json()["type"].endswith("/token-revoked"):
        # A suspension ends every session (PA-13.1); a suspended account may sign in again.
        signed_in = gateway.post("/v1/tokens", json={"username": user.username, "password": "a long enough password"})
        assert signed_in.status_code == 200, signed_in.text
        user.token = signed_in.json()["access_token"]
        response = gateway.get("/v1/accounts/me/credit", headers=user.auth)
    assert response.status_code == 200, response.text
    return response.json()


def staff_standing(flow: Flow, user: User | PublicAccount, staff: Staff | None = None) -> dict:
    staff = staff or flow.staff("senior_reviewer")
    response = flow.gw.get(f"/v1/identity/staff/accounts/{user.id}/standing", headers=staff.auth)
    assert response.status_code == 200, response.text
    return response.json()


def violate(flow: Flow, user: User, expected_stops: int) -> dict:
    """Post prohibited content; once it is stopped, wait for identity's ledger to count it."""
    post = flow.post(user, f"{PROHIBITED} {uuid.uuid4().hex[:6]}")
    poll(lambda: stopped(flow.gw, post["id"]), what="the stop of transmission")
    return poll(
        lambda: (
            (c := credit(flow.gw, user))
            and sum(1 for e in c["ledger"] if e["cause"] in ("stop_transmission", "rumour")) == expected_stops
            and c
        ),
        what=f"violation {expected_stops} in the ledger",
    )


def post_status(flow: Flow, user: User) -> httpx.Response:
    return flow.gw.post("/v1/posts", headers=user.auth, json={"text": f"普通的一天 {uuid.uuid4().hex[:6]}"})


@pytest.mark.requirement("PA-13.1")
@pytest.mark.requirement("MB-15")
def test_the_sanctions_ladder_is_enforced_at_once_and_an_appeal_reverses_it(flow: Flow) -> None:
    user = flow.verified_user()
    first = violate(flow, user, 1)
    assert first["credit_score"] == 110 and first["credit_level"] == "A"
    entry = next(e for e in first["ledger"] if e["cause"] == "stop_transmission")
    assert entry["delta"] == -10 and {"MB-12.2", "PA-13.1"} <= set(entry["legal_basis"])
    assert [s["kind"] for s in first["sanctions"]] == ["warning"]

    second = violate(flow, user, 2)
    assert second["credit_score"] == 100 and second["credit_level"] == "B"
    assert {"no_reposts", "no_comments"} <= set(second["limits"])
    assert post_status(flow, user).status_code == 201  # restricted features, posting still allowed

    before = User(user.id, user.username, user.mobile, user.token)
    third = violate(flow, user, 3)
    assert "suspend_updates" in [s["kind"] for s in third["sanctions"]] and third["suspended_until"]
    # The suspension ends every session at once, everywhere (PA-13.1): the token held before is refused.
    ended = poll(
        lambda: (
            (r := post_status(flow, before)).status_code == 403 and r.json()["type"].endswith("/token-revoked") and r
        ),
        what="the old session ended in content",
    )
    assert ended.json()["requirement"] == "PA-13.1"
    # A suspended account may sign in again, to read and appeal.
    signed_in = flow.gw.post("/v1/tokens", json={"username": user.username, "password": "a long enough password"})
    assert signed_in.status_code == 200, signed_in.text
    user.token = signed_in.json()["access_token"]
    # Content refuses its posts, with the new token too.
    refused = poll(lambda: (r := post_status(flow, user)).status_code == 403 and r, what="the suspension enforced")
    assert refused.json()["type"].endswith("/updates-suspended") and refused.json()["requirement"] == "PA-13.1"

    # An appeal upheld by a senior reviewer reverses the third penalty and lifts its suspension.
    senior = flow.staff("senior_reviewer")
    penalty = [e for e in third["ledger"] if e["cause"] == "stop_transmission"][-1]
    reviewer = flow.staff("reviewer")
    assert (
        flow.gw.post(
            f"/v1/identity/staff/credit-entries/{penalty['id']}/reversal", headers=reviewer.auth, json={"note": "no"}
        ).status_code
        == 403
    )
    reversed_ = flow.gw.post(
        f"/v1/identity/staff/credit-entries/{penalty['id']}/reversal",
        headers=senior.auth,
        json={"note": "the post quoted a news report"},
    )
    assert reversed_.status_code == 200, reversed_.text
    assert reversed_.json()["credit_score"] == 100 and reversed_.json()["suspended_until"] is None
    poll(lambda: post_status(flow, user).status_code == 201, what="posting allowed again after the appeal")
    ledger = credit(flow.gw, user)["ledger"]
    assert ledger[-1]["cause"] == "appeal_upheld" and ledger[-1]["reverses"] == penalty["id"]
    assert ledger[-1]["created_by"].startswith("staff:")


@pytest.mark.requirement("PA-13.2")
def test_closure_blacklists_the_subject_refuses_it_again_and_tells_the_regulator(
    flow: Flow, platform: StackInfo
) -> None:
    number = resident_id(region="110108")
    user = flow.register()
    flow.confirm_phone(user)
    verified = flow.verify_real_name(user, number)
    user.token = verified.json()["access_token"]
    chief = flow.staff("chief_editor")
    marker = uuid.uuid4().hex[:6]
    rumour = f"网传本市明天起全面停电一周，各单位停工停课，请互相转告{marker}"
    early = flow.post(user, rumour)  # published now; a rumour registered later stops it (the fourth stop)
    poll(lambda: flow.gw.get(f"/v1/posts/{early['id']}").status_code == 200, what="the early post published")
    for count in (1, 2, 3):
        violate(flow, user, count)
    registered = flow.gw.post(
        "/v1/moderation/rumours",
        headers=chief.auth,
        json={
            "canonical_text": rumour,
            "refutation_text": "供电公司：无任何停电计划。",
            "refutation_url": "https://example.gov.cn/piyao/power",
            "authority": "供电公司",
            "action": "stop",
            "reason": "fabricated, disturbing public order",
        },
    )
    assert registered.status_code == 201
    poll(lambda: stopped(flow.gw, early["id"]), what="the retro-scan's stop")
    closed = poll(lambda: (c := staff_standing(flow, user))["closed"] and c, what="the account closed")
    assert "close" in [s["kind"] for s in closed["sanctions"]]

    # The closure ends every session at once, everywhere (PA-13.1), even the one begun after the suspension.
    refused = poll(
        lambda: (r := post_status(flow, user)).status_code == 403 and r.json()["type"].endswith("/token-revoked") and r,
        what="closure enforced",
    )
    assert refused.json()["requirement"] == "PA-13.1"
    mine = flow.gw.get("/v1/accounts/me/credit", headers=user.auth)
    assert mine.status_code == 403 and mine.json()["requirement"] == "PA-13.1"
    sign_in = flow.gw.post("/v1/tokens", json={"username": user.username, "password": "a long enough password"})
    assert sign_in.status_code == 403 and sign_in.json()["requirement"] == "PA-13.1"

    again = flow.register()
    flow.confirm_phone(again)
    blocked = flow.verify_real_name(again, number)
    assert blocked.status_code == 403
    assert blocked.json()["type"].endswith("/subject-blacklisted") and blocked.json()["requirement"] == "PA-13.2"

    beijing = create_regulator_office(
        platform.database_urls["regulator-gateway"], name="Beijing", jurisdiction="110000"
    )
    filings = poll(
        lambda: [
            f
            for f in regulator_filings(flow.gw, {"Authorization": f"Bearer {beijing['api_key']}"}, "blacklist")
            if f["account_id"] == user.id
        ],
        what="the blacklist filing in Beijing",
    )
    assert filings[0]["province_code"] == "110000" and "PA-13.2" in filings[0]["legal_basis"]
    assert number not in str(filings)  # no personal data in the filing


@pytest.mark.requirement("PA-13.2")
def test_a_closed_public_account_blacklists_the_subject_behind_it(flow: Flow, platform: StackInfo) -> None:
    """A public account has no real name of its own: its subject is its registrant's. Closing it for
    repeated violations blacklists that subject (re-registration and new public accounts refused) and
    files the blacklisting with the office of the province the account was registered in."""
    number = resident_id(region="440300")  # Shenzhen, Guangdong: the filing goes to its office, not Beijing's
    owner = flow.register()
    flow.confirm_phone(owner)
    verified = flow.verify_real_name(owner, number)
    assert verified.status_code == 201, verified.text
    owner.token = verified.json()["access_token"]
    account = flow.public_account(owner)
    acting = User(account.id, account.name, "", account.token)  # flow.post with the acting token
    senior = flow.staff("senior_reviewer")
    assert staff_standing(flow, account, senior)["subject_accounts"] == 2  # the registrant's account and this one

    marker = uuid.uuid4().hex[:6]
    rumour = f"网传城东水库今晚开闸泄洪，下游三个街道必须连夜撤离，速转{marker}"
    early = flow.post(acting, rumour)  # published now; a rumour registered later stops it (the fourth stop)
    poll(lambda: flow.gw.get(f"/v1/posts/{early['id']}").status_code == 200, what="the early post published")
    for count in (1, 2, 3):
        post = flow.post(acting, f"{PROHIBITED} {uuid.uuid4().hex[:6]}")
        poll(lambda p=post: stopped(flow.gw, p["id"]), what="the stop of transmission")
        poll(
            lambda n=count: sum(1 for e in staff_standing(flow, account, senior)["ledger"] if e["cause"] in STOPS) == n,
            what=f"violation {count} in the public account's ledger",
        )
    registered = register_rumour(
        flow.gw, flow.staff("chief_editor"), rumour, "水务局：今晚无泄洪计划。", "水务局", action="stop"
    )
    assert registered.status_code == 201, registered.text
    poll(lambda: stopped(flow.gw, early["id"]), what="the retro-scan's stop")
    closed = poll(
        lambda: (c := staff_standing(flow, account, senior))["closed"] and c, what="the public account closed"
    )
    assert "close" in [s["kind"] for s in closed["sanctions"]]

    # PA-13.2: the subject behind it may not verify another account, nor register another public account.
    again = flow.register()
    flow.confirm_phone(again)
    blocked = flow.verify_real_name(again, number)
    assert blocked.status_code == 403, blocked.text
    assert blocked.json()["type"].endswith("/subject-blacklisted") and blocked.json()["requirement"] == "PA-13.2"
    refused = flow.apply_public_account(owner)
    assert refused.status_code == 403, refused.text
    assert refused.json()["type"].endswith("/subject-blacklisted") and refused.json()["requirement"] == "PA-13.2"

    guangdong = create_regulator_office(
        platform.database_urls["regulator-gateway"], name="Guangdong", jurisdiction="440000"
    )
    filings = poll(
        lambda: [
            f
            for f in regulator_filings(flow.gw, {"Authorization": f"Bearer {guangdong['api_key']}"}, "blacklist")
            if f["account_id"] == account.id
        ],
        what="the blacklist filing in Guangdong",
    )
    assert filings[0]["province_code"] == "440000" and "PA-13.2" in filings[0]["legal_basis"]
    assert number not in str(filings)  # no personal data in the filing


@pytest.mark.requirement("PA-6.2")
@pytest.mark.requirement("MB-14")
def test_an_upheld_complaint_costs_the_author_of_the_post_credit(flow: Flow) -> None:
    author, complainant = flow.verified_user(), flow.verified_user()
    post = flow.post(author, f"一条被投诉的微博 {uuid.uuid4().hex[:6]}")
    filed = [flow.complain(complainant, post["id"]) for _ in range(2)]
    reviewer = flow.staff("reviewer")
    path = "/v1/reporting/staff/complaints/{}/outcome"
    assert (
        flow.gw.post(path.format(filed[0]["id"]), headers=author.auth, json={"upheld": False, "note": "x" * 3})
    ).status_code == 403
    # The reviewer cannot aim the penalty at another account (here: the complainant).
    elsewhere = flow.gw.post(
        path.format(filed[0]["id"]),
        headers=reviewer.auth,
        json={"upheld": True, "account_id": complainant.id, "note": "aimed elsewhere"},
    )
    assert elsewhere.status_code == 422 and elsewhere.json()["requirement"] == "MB-14"
    assert elsewhere.json()["type"].endswith("/not-the-author")
    upheld = flow.gw.post(
        path.format(filed[0]["id"]), headers=reviewer.auth, json={"upheld": True, "note": "misleading claim confirmed"}
    )
    assert upheld.status_code == 200 and upheld.json()["status"] == "upheld"
    again = flow.gw.post(
        path.format(filed[0]["id"]),
        headers=reviewer.auth,
        json={"upheld": True, "account_id": author.id, "note": "again"},
    )
    assert again.status_code == 409
    # Issue 14: both complaints are about one post, so they are one case, decided once: the second complaint
    # has the case's outcome already, and the author loses credit once for the case (PA-6.2).
    dismissed = flow.gw.post(
        path.format(filed[1]["id"]), headers=reviewer.auth, json={"upheld": False, "note": "not misleading"}
    )
    assert dismissed.status_code == 409, dismissed.text
    second = flow.gw.get(f"/v1/complaints/{filed[1]['id']}", headers=complainant.auth).json()
    assert second["status"] == "upheld" and second["case_id"] == filed[0]["case_id"]
    standing = poll(
        lambda: (c := credit(flow.gw, author))["credit_score"] == 118 and c,
        what="the upheld complaint in the author's ledger",
    )
    [entry] = [e for e in standing["ledger"] if e["cause"] == "complaint_upheld"]
    assert entry["delta"] == -2 and "PA-6.2" in entry["legal_basis"] and entry["created_by"].startswith("staff:")
    assert not [e for e in credit(flow.gw, complainant)["ledger"] if e["cause"] == "complaint_upheld"]
