"""Manual sanctions along the ladder by role (PA-13.1, PA-13.2, MB-6.1) and appeals (PA-6.2), through the
gateway: each sanction has the automatic ones' effects (content enforces it at once, sessions end, the subject
is blacklisted and the regulator told), the account sees it with its legal basis and appeals it once within
the window; someone other than the imposer decides, and an upheld appeal lifts it or reverses the penalty."""

from __future__ import annotations

import uuid

import httpx
import psycopg
import pytest
from devstack.cli import create_regulator_office
from devstack.stack import StackInfo
from devstack.testing import poll
from journeys import Flow, Staff, User, confirmed_user, every_page, regulator_filings, resident_id

PASSWORD = "a long enough password"
PROHIBITED = "网络赌博，私聊"  # a sample-lexicon stop term


def sanction(flow: Flow, staff: Staff, account_id: str, kind: str, **fields: object) -> httpx.Response:
    body = {"kind": kind, "reason": f"{kind} for repeated spam", "legal_basis": ["PA-13.1", "BJ-7(8)"], **fields}
    return flow.gw.post(f"/v1/identity/staff/accounts/{account_id}/sanctions", headers=staff.auth, json=body)


def mine(flow: Flow, user: User, what: str) -> httpx.Response:
    """The user's own list or credit, signing in again when a suspension ended the session (PA-13.1)."""
    answer = flow.gw.get(f"/v1/accounts/me/{what}", headers=user.auth)
    if answer.status_code == 403 and answer.json()["type"].endswith("/token-revoked"):
        signed_in = flow.gw.post("/v1/tokens", json={"username": user.username, "password": PASSWORD})
        assert signed_in.status_code == 200, signed_in.text
        user.token = signed_in.json()["access_token"]
        answer = flow.gw.get(f"/v1/accounts/me/{what}", headers=user.auth)
    return answer


def post_status(flow: Flow, user: User) -> httpx.Response:
    return flow.gw.post("/v1/posts", headers=user.auth, json={"text": f"普通的一天 {uuid.uuid4().hex[:6]}"})


def appeal(flow: Flow, user: User, kind: str, target: object, statement: str = "I did not do this") -> httpx.Response:
    body = {"target_kind": kind, "target_id": str(target), "statement": statement}
    return flow.gw.post("/v1/accounts/me/appeals", headers=user.auth, json=body)


def decide(flow: Flow, staff: Staff, appeal_id: str, upheld: bool, reason: str = "reviewed") -> httpx.Response:
    return flow.gw.post(
        f"/v1/identity/staff/appeals/{appeal_id}/decision",
        headers=staff.auth,
        json={"upheld": upheld, "reason": reason},
    )


@pytest.mark.requirement("PA-13.1")
@pytest.mark.requirement("MB-6.1")
def test_manual_sanctions_climb_the_ladder_by_role_and_bite_at_once(flow: Flow) -> None:
    user = flow.verified_user()
    reviewer, senior = flow.staff("reviewer"), flow.staff("senior_reviewer")

    # The ladder by role: a reviewer warns; a suspension is a senior's; a closure the chief editor's.
    warned = sanction(flow, reviewer, user.id, "warning")
    assert warned.status_code == 201, warned.text
    assert warned.json()["kind"] == "warning" and warned.json()["imposed_by"].startswith("staff:")
    refused = sanction(flow, reviewer, user.id, "suspension", duration_days=3)
    assert refused.status_code == 403 and refused.json()["requirement"] == "PA-13.1", refused.text
    for kind in ("closure", "blacklist"):
        final = sanction(flow, senior, user.id, kind)
        assert final.status_code == 403 and final.json()["requirement"] == "MB-6.1", final.text

    # Terms: a duration where one belongs (bounded), features for a restriction, a legal basis always.
    for kind, fields in [
        ("suspension", {}),
        ("suspension", {"duration_days": 366}),
        ("feature_restriction", {"duration_days": 7}),
        ("warning", {"duration_days": 7}),
        ("warning", {"legal_basis": []}),
        ("warning", {"legal_basis": ["because"]}),
        ("warning", {"reason": " "}),
        ("demotion", {}),
    ]:
        bad = sanction(flow, senior, user.id, kind, **fields)
        assert bad.status_code == 422, (kind, fields, bad.text)
    assert sanction(flow, senior, str(uuid.uuid4()), "warning").status_code == 404

    # A feature restriction: the limits in force at once, in the account's credit and its sanctions.
    restricted = sanction(flow, senior, user.id, "feature_restriction", duration_days=7, features=["no_comments"])
    assert restricted.status_code == 201, restricted.text
    assert restricted.json()["ends_at"] and restricted.json()["features"] == ["no_comments"]
    credit = mine(flow, user, "credit").json()
    assert "no_comments" in credit["limits"] and credit["credit_score"] == 120  # a sanction is no penalty
    listed = every_page(flow.gw, "/v1/accounts/me/sanctions", user.auth, limit=1)
    assert [s["kind"] for s in listed] == ["restrict_features", "warning"]
    assert listed[0]["legal_basis"] == ["PA-13.1", "BJ-7(8)"] and listed[0]["appealable_until"]
    assert listed[0]["appeal_state"] is None and listed[0]["reason"] == "feature_restriction for repeated spam"

    # A suspension ends every session at once (PA-13.1); content refuses posts, with a new token too.
    before = User(user.id, user.username, user.mobile, user.token)
    suspended = sanction(flow, senior, user.id, "suspension", duration_days=3)
    assert suspended.status_code == 201, suspended.text
    ended = poll(
        lambda: (
            (r := post_status(flow, before)).status_code == 403 and r.json()["type"].endswith("/token-revoked") and r
        ),
        what="the old session ended in content",
    )
    assert ended.json()["requirement"] == "PA-13.1"
    assert mine(flow, user, "credit").json()["suspended_until"] == suspended.json()["ends_at"]
    blocked = poll(lambda: (r := post_status(flow, user)).status_code == 403 and r, what="the suspension enforced")
    assert blocked.json()["type"].endswith("/updates-suspended")

    # Lifted by a senior reviewer (not a reviewer), with a reason: posting is allowed again.
    lift = f"/v1/identity/staff/sanctions/{suspended.json()['id']}/lift"
    assert flow.gw.post(lift, headers=reviewer.auth, json={"reason": "mistaken"}).status_code == 403
    lifted = flow.gw.post(lift, headers=senior.auth, json={"reason": "the posts were a friend's, not spam"})
    assert lifted.status_code == 200 and lifted.json()["lifted_at"], lifted.text
    assert flow.gw.post(lift, headers=senior.auth, json={"reason": "again"}).status_code == 409
    poll(lambda: post_status(flow, user).status_code == 201, what="posting allowed again after the lift")
    shown = every_page(flow.gw, "/v1/accounts/me/sanctions", user.auth)
    assert shown[0]["lift_reason"] == "the posts were a friend's, not spam"


@pytest.mark.requirement("PA-13.2")
@pytest.mark.requirement("MB-6.1")
def test_the_chief_editor_blacklists_a_subject_as_the_ladder_would(flow: Flow, platform: StackInfo) -> None:
    number = resident_id(region="320102")  # Nanjing, Jiangsu: the filing goes to its office
    user = confirmed_user(flow)
    verified = flow.verify_real_name(user, number)
    assert verified.status_code == 201, verified.text
    user.token = verified.json()["access_token"]
    chief = flow.staff("chief_editor")
    listed = sanction(flow, chief, user.id, "blacklist", legal_basis=["PA-13.2"])
    assert listed.status_code == 201, listed.text

    refused = poll(
        lambda: (r := post_status(flow, user)).status_code == 403 and r.json()["type"].endswith("/token-revoked") and r,
        what="the closure enforced",
    )
    assert refused.json()["requirement"] == "PA-13.1"
    closed = flow.gw.post("/v1/tokens", json={"username": user.username, "password": PASSWORD})
    assert closed.status_code == 403 and closed.json()["requirement"] == "PA-13.1"
    assert sanction(flow, chief, user.id, "closure").status_code == 409  # closed already
    again = confirmed_user(flow)
    blocked = flow.verify_real_name(again, number)
    assert blocked.status_code == 403 and blocked.json()["type"].endswith("/subject-blacklisted"), blocked.text

    jiangsu = create_regulator_office(
        platform.database_urls["regulator-gateway"], name="Jiangsu", jurisdiction="320000"
    )
    filings = poll(
        lambda: [
            f
            for f in regulator_filings(flow.gw, {"Authorization": f"Bearer {jiangsu['api_key']}"}, "blacklist")
            if f["account_id"] == user.id
        ],
        what="the blacklist filing in Jiangsu",
    )
    assert "PA-13.2" in filings[0]["legal_basis"] and number not in str(filings)

    # Lifting it is the chief editor's too: the account reopens and the subject may verify again.
    lift = f"/v1/identity/staff/sanctions/{listed.json()['id']}/lift"
    senior = flow.staff("senior_reviewer")
    assert flow.gw.post(lift, headers=senior.auth, json={"reason": "court ruling"}).status_code == 403
    assert flow.gw.post(lift, headers=chief.auth, json={"reason": "court ruling"}).status_code == 200
    reopened = flow.gw.post("/v1/tokens", json={"username": user.username, "password": PASSWORD})
    assert reopened.status_code == 200, reopened.text
    assert flow.verify_real_name(again, number).status_code == 201


@pytest.mark.requirement("PA-6.2")
@pytest.mark.requirement("MB-6.1")
def test_an_appeal_once_per_sanction_within_the_window_decided_by_another(flow: Flow, platform: StackInfo) -> None:
    user, other = flow.verified_user(), flow.verified_user()
    imposer, colleague = flow.staff("senior_reviewer"), flow.staff("senior_reviewer")
    restricted = sanction(flow, imposer, user.id, "feature_restriction", duration_days=10, features=["no_reposts"])
    assert restricted.status_code == 201, restricted.text
    sanction_id = restricted.json()["id"]
    old = sanction(flow, imposer, user.id, "warning")
    assert old.status_code == 201

    assert appeal(flow, other, "sanction", sanction_id).status_code == 404  # not theirs
    assert appeal(flow, user, "sanction", uuid.uuid4()).status_code == 404
    assert appeal(flow, user, "credit_entry", "not-a-number").status_code == 404
    filed = appeal(flow, user, "sanction", sanction_id, "The reposts were of official notices.")
    assert filed.status_code == 201 and filed.json()["state"] == "open", filed.text
    twice = appeal(flow, user, "sanction", sanction_id)
    assert twice.status_code == 409 and twice.json()["requirement"] == "PA-6.2"

    # The window (20 days by default) is counted from the sanction: one imposed 21 days ago is past it.
    with psycopg.connect(platform.database_urls["identity"]) as conn:
        conn.execute("UPDATE sanction SET starts_at = now() - interval '21 days' WHERE id = %s", (old.json()["id"],))
    late = appeal(flow, user, "sanction", old.json()["id"])
    assert late.status_code == 409 and late.json()["requirement"] == "PA-6.2", late.text
    assert late.json()["type"].endswith("/appeal-window-closed")

    appeal_id = filed.json()["id"]
    queue = every_page(flow.gw, "/v1/identity/staff/appeals", colleague.auth, state="open", limit=100)
    [queued] = [a for a in queue if a["id"] == appeal_id]
    assert queued["imposed_by"] == restricted.json()["imposed_by"] and queued["account_id"] == user.id
    # Not the one who imposed it (PA-6.2, MB-6.1); not a reviewer.
    own = decide(flow, imposer, appeal_id, upheld=False)
    assert own.status_code == 403 and own.json()["requirement"] == "PA-6.2", own.text
    assert decide(flow, flow.staff("reviewer"), appeal_id, upheld=True).status_code == 403
    upheld = decide(flow, colleague, appeal_id, upheld=True, reason="official notices may be reposted")
    assert upheld.status_code == 200 and upheld.json()["state"] == "upheld", upheld.text
    assert decide(flow, colleague, appeal_id, upheld=False).status_code == 409

    # The account sees the outcome; the sanction is lifted and its limit gone.
    [seen] = [a for a in every_page(flow.gw, "/v1/accounts/me/appeals", user.auth) if a["id"] == appeal_id]
    assert seen["state"] == "upheld" and seen["decision_reason"] == "official notices may be reposted"
    [lifted] = [s for s in every_page(flow.gw, "/v1/accounts/me/sanctions", user.auth) if s["id"] == sanction_id]
    assert lifted["lifted_at"] and lifted["appeal_state"] == "upheld"
    assert "no_reposts" not in mine(flow, user, "credit").json()["limits"]
    decided = every_page(flow.gw, "/v1/identity/staff/appeals", colleague.auth, state="decided", limit=100)
    assert appeal_id in [a["id"] for a in decided]

    # Dismissed: the appeal says so, the sanction stays in force.
    warned = sanction(flow, imposer, user.id, "warning")
    contested = appeal(flow, user, "sanction", warned.json()["id"])
    assert contested.status_code == 201, contested.text
    dismissed = decide(flow, colleague, contested.json()["id"], upheld=False, reason="the spam is documented")
    assert dismissed.status_code == 200 and dismissed.json()["state"] == "dismissed", dismissed.text
    [kept] = [s for s in every_page(flow.gw, "/v1/accounts/me/sanctions", user.auth) if s["id"] == warned.json()["id"]]
    assert kept["lifted_at"] is None and kept["appeal_state"] == "dismissed"


@pytest.mark.requirement("PA-6.2")
def test_an_appeal_of_a_credit_penalty_reverses_it_when_upheld(flow: Flow) -> None:
    user = flow.verified_user()
    post = flow.post(user, f"{PROHIBITED} {uuid.uuid4().hex[:6]}")
    poll(lambda: flow.gw.get(f"/v1/posts/{post['id']}").status_code == 451, what="the stop of transmission")
    penalty = poll(
        lambda: next((e for e in mine(flow, user, "credit").json()["ledger"] if e["delta"] < 0), None),
        what="the penalty in the ledger",
    )
    filed = appeal(flow, user, "credit_entry", penalty["id"], "The post quoted a police warning about gambling.")
    assert filed.status_code == 201, filed.text
    assert filed.json()["target_kind"] == "credit_entry" and filed.json()["target_id"] == str(penalty["id"])
    # The automatic ladder's warning is a sanction of its own: appealable separately.
    [warning] = every_page(flow.gw, "/v1/accounts/me/sanctions", user.auth)
    assert warning["kind"] == "warning" and warning["appeal_state"] is None

    senior = flow.staff("senior_reviewer")  # an automatic penalty has no imposer: any senior decides it
    upheld = decide(flow, senior, filed.json()["id"], upheld=True, reason="a warning against gambling, not an ad")
    assert upheld.status_code == 200 and upheld.json()["imposed_by"] is None, upheld.text
    ledger = mine(flow, user, "credit").json()
    assert ledger["credit_score"] == 120
    assert ledger["ledger"][-1]["cause"] == "appeal_upheld" and ledger["ledger"][-1]["reverses"] == penalty["id"]

    # The reversal lifted the ladder's warning it caused: nothing left to appeal there.
    [lifted] = every_page(flow.gw, "/v1/accounts/me/sanctions", user.auth)
    assert lifted["lifted_at"] and appeal(flow, user, "sanction", lifted["id"]).status_code == 409


@pytest.mark.requirement("PA-6.2")
@pytest.mark.requirement("PA-13.1")
def test_a_closed_account_appeals_its_closure_with_its_password_and_an_upheld_appeal_reopens_it(flow: Flow) -> None:
    """A closed account cannot sign in, so its holder appeals the closure with the account's username and
    password: once, under the sign-in limits; another chief editor than the one who closed it decides."""
    user, open_account = flow.verified_user(), flow.verified_user()
    closer, decider = flow.staff("chief_editor"), flow.staff("chief_editor")
    closed = sanction(flow, closer, user.id, "closure")
    assert closed.status_code == 201, closed.text

    def sign_in() -> httpx.Response:
        return flow.gw.post("/v1/tokens", json={"username": user.username, "password": PASSWORD})

    assert sign_in().status_code == 403
    body = {"username": user.username, "password": PASSWORD, "statement": "这些内容不是我发布的"}
    wrong = flow.gw.post("/v1/accounts/closure-appeals", json=body | {"password": "not the password"})
    assert wrong.status_code == 401
    unknown = flow.gw.post("/v1/accounts/closure-appeals", json=body | {"username": "nobody" + uuid.uuid4().hex[:8]})
    assert unknown.status_code == 401 and unknown.json()["detail"] == wrong.json()["detail"]
    filed = flow.gw.post("/v1/accounts/closure-appeals", json=body)
    assert filed.status_code == 201, filed.text
    assert (filed.json()["target_kind"], filed.json()["target_id"], filed.json()["state"]) == (
        "sanction",
        closed.json()["id"],
        "open",
    )
    again = flow.gw.post("/v1/accounts/closure-appeals", json=body)
    assert again.status_code == 409 and again.json()["requirement"] == "PA-6.2"
    not_closed = flow.gw.post("/v1/accounts/closure-appeals", json=body | {"username": open_account.username})
    assert not_closed.status_code == 409 and not_closed.json()["requirement"] == "PA-6.2"

    assert decide(flow, closer, filed.json()["id"], True).status_code == 403  # not the one who closed it
    upheld = decide(flow, decider, filed.json()["id"], True, "the posts were another's")
    assert upheld.status_code == 200, upheld.text
    poll(lambda: sign_in().status_code == 200, what="the reopened account signs in")
