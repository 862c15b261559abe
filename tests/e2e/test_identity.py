"""Identity owns who may speak (issue 5): three kinds of subject checked by the outside identity-check
service (a real simulator server behind the production adapter), its refusals and outages, expiry
and renewal (MB-7.2), and the cap on accounts per subject (BJ-9, PA-7.3). All through the gateway."""

from __future__ import annotations

import asyncio

import httpx
import psycopg
import pytest
from devstack.stack import StackInfo
from devstack.testing import poll
from journeys import (
    Flow,
    User,
    confirmed_user,
    credit_code,
    expire_real_name,
    find_event,
    organization_code,
    resident_id,
)
from qinglang.identity.v1 import account_pb2


def simulator(platform: StackInfo) -> httpx.Client:
    return httpx.Client(base_url=platform.idcheck_url, timeout=5)


def verify(flow: Flow, user: User, **body: str) -> httpx.Response:
    return flow.gw.post("/v1/accounts/me/real-name", headers=user.auth, json={"legal_name": "张三", **body})


@pytest.mark.requirement("MB-7.1")
@pytest.mark.requirement("BJ-9")
@pytest.mark.parametrize(
    ("body", "province", "subject"),
    [
        ({"subject_type": "individual", "id_number": "RIC"}, "110000", account_pb2.SUBJECT_TYPE_INDIVIDUAL),
        ({"subject_type": "organization", "id_number": "USCC"}, "440000", account_pb2.SUBJECT_TYPE_ORGANIZATION),
        (
            {"subject_type": "organization", "id_number": "ORG", "region_code": "320102"},
            "320000",
            account_pb2.SUBJECT_TYPE_ORGANIZATION,
        ),
        (
            {
                "subject_type": "foreign_organization",
                "id_number": "HRB 12345",
                "country": "DE",
                "office_certificate": "SH-RO-2019-0042",
                "region_code": "310115",
            },
            "310000",
            account_pb2.SUBJECT_TYPE_FOREIGN_ORGANIZATION,
        ),
    ],
)
def test_three_kinds_of_subject_are_verified(
    flow: Flow, platform: StackInfo, body: dict, province: str, subject: int
) -> None:
    number = {"RIC": resident_id(), "USCC": credit_code("440305"), "ORG": organization_code()}.get(
        body["id_number"], body["id_number"]
    )
    user = confirmed_user(flow)
    verified = verify(flow, user, **{**body, "id_number": number})
    assert verified.status_code == 201, verified.text
    assert verified.json()["province_code"] == province and verified.json()["expires_at"]
    user.token = verified.json()["access_token"]
    assert flow.gw.get("/v1/accounts/me", headers=user.auth).json()["real_name_verified"] is True
    record = asyncio.run(
        find_event(
            platform.kafka_bootstrap_servers,
            "identity.account.v1",
            user.id,
            ce_type="qinglang.identity.account.real_name_verified.v1",
        )
    )
    message = account_pb2.RealNameVerified.FromString(record.value)
    assert (message.subject_type, message.province_code) == (subject, province)
    assert number.encode() not in record.value  # the event carries no personal data (MB-7.3)


@pytest.mark.requirement("MB-7.1")
def test_bad_subject_details_are_refused_before_any_check(flow: Flow) -> None:
    user = confirmed_user(flow)
    cases = [
        {"subject_type": "organization", "id_number": organization_code()},  # no region for an organization code
        {"subject_type": "organization", "id_number": "12345678-1"},  # wrong check character
        {
            "subject_type": "foreign_organization",
            "id_number": "HRB 1",
            "country": "CN",
            "office_certificate": "X-123456",
            "region_code": "310115",
        },
        {"subject_type": "foreign_organization", "id_number": "HRB 12345", "country": "DE", "region_code": "310115"},
    ]
    for body in cases:
        refused = verify(flow, user, **body)
        assert refused.status_code == 422, (body, refused.text)
        assert refused.json()["requirement"] in ("MB-7.1", "MB-10.1", "BJ-9")


@pytest.mark.requirement("MB-7.1")
def test_the_identity_check_refuses_a_wrong_name_and_an_unknown_number(flow: Flow, platform: StackInfo) -> None:
    known, unknown = resident_id(), resident_id()
    with simulator(platform) as sim:
        sim.put(f"/control/identities/{known}", json={"name": "李四"}).raise_for_status()
        sim.put(f"/control/identities/{unknown}", json={"name": None}).raise_for_status()
    user = confirmed_user(flow)
    mismatch = verify(flow, user, subject_type="individual", id_number=known)  # the name sent is 张三
    assert mismatch.status_code == 422
    assert (mismatch.json()["type"].rsplit("/", 1)[-1], mismatch.json()["requirement"]) == (
        "identity-mismatch",
        "MB-7.1",
    )
    unknown_answer = verify(flow, user, subject_type="individual", id_number=unknown)
    assert unknown_answer.json()["type"].endswith("/identity-unknown")
    assert flow.gw.get("/v1/accounts/me", headers=user.auth).json()["real_name_verified"] is False  # nothing stored
    right = flow.gw.post(
        "/v1/accounts/me/real-name",
        headers=user.auth,
        json={"subject_type": "individual", "legal_name": "李四", "id_number": known},
    )
    assert right.status_code == 201, right.text


@pytest.mark.requirement("MB-7.1")
def test_an_unavailable_check_is_retried_then_refused_with_nothing_written(flow: Flow, platform: StackInfo) -> None:
    user = confirmed_user(flow)
    number = resident_id()
    with simulator(platform) as sim:
        sim.put("/control/outage", json={"failures": 2}).raise_for_status()  # the third attempt succeeds
        assert verify(flow, user, subject_type="individual", id_number=number).status_code == 201
        assert sim.get(f"/control/calls/{number}").json()["calls"] == 3

        other = confirmed_user(flow)
        sim.put("/control/outage", json={"failures": 100}).raise_for_status()
        try:
            down = verify(flow, other, subject_type="individual", id_number=resident_id())
        finally:
            sim.put("/control/outage", json={"failures": 0}).raise_for_status()
    assert down.status_code == 503
    assert down.json()["type"].endswith("/identity-check-unavailable") and down.json()["requirement"] == "MB-7.1"
    assert flow.gw.get("/v1/accounts/me", headers=other.auth).json()["real_name_verified"] is False


def _sign_in(flow: Flow, user: User) -> None:
    token = flow.gw.post("/v1/tokens", json={"username": user.username, "password": "a long enough password"})
    user.token = token.json()["access_token"]


@pytest.mark.requirement("MB-7.2")
def test_an_expired_verification_stops_publishing_until_renewed(flow: Flow, platform: StackInfo) -> None:
    user = confirmed_user(flow)
    number = resident_id()
    verified = verify(flow, user, subject_type="individual", id_number=number)
    user.token = verified.json()["access_token"]
    assert flow.gw.post("/v1/posts", headers=user.auth, json={"text": "还在有效期内"}).status_code == 201

    expire_real_name(platform, user)
    _sign_in(flow, user)
    refused = flow.gw.post("/v1/posts", headers=user.auth, json={"text": "过期了"})
    assert refused.status_code == 403
    assert (refused.json()["type"].rsplit("/", 1)[-1], refused.json()["requirement"]) == (
        "real-name-expired",
        "MB-7.2",
    )
    me = flow.gw.get("/v1/accounts/me", headers=user.auth).json()
    assert me["real_name_verified"] is False and me["real_name_expires_at"]
    # The holder is told: an event a notifier consumes.
    asyncio.run(
        find_event(
            platform.kafka_bootstrap_servers,
            "identity.account.v1",
            user.id,
            ce_type="qinglang.identity.account.real_name_expired.v1",
        )
    )
    # Renewal must be the same subject.
    other = verify(flow, user, subject_type="individual", id_number=resident_id())
    assert other.status_code == 409 and other.json()["requirement"] == "MB-7.2"
    renewed = verify(flow, user, subject_type="individual", id_number=number)
    assert renewed.status_code == 201 and renewed.json()["renewal"] is True
    user.token = renewed.json()["access_token"]
    assert flow.gw.post("/v1/posts", headers=user.auth, json={"text": "续期之后"}).status_code == 201


@pytest.mark.requirement("BJ-9")
@pytest.mark.requirement("PA-7.3")
def test_one_subject_has_a_capped_number_of_accounts(flow: Flow) -> None:
    number = resident_id()
    for _ in range(5):  # ACCOUNTS_PER_INDIVIDUAL, the default
        assert verify(flow, confirmed_user(flow), subject_type="individual", id_number=number).status_code == 201
    refused = verify(flow, confirmed_user(flow), subject_type="individual", id_number=number)
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/account-cap-reached") and refused.json()["requirement"] == "BJ-9"


@pytest.mark.requirement("BJ-9")
@pytest.mark.requirement("PA-7.3")
def test_concurrent_verifications_of_one_subject_stay_within_the_cap(flow: Flow, platform: StackInfo) -> None:
    """The cap is counted in the transaction that adds the account, serialised per subject: ten
    verifications of one subject at once end with at most the cap (5) verified."""
    number = resident_id()
    users = [confirmed_user(flow) for _ in range(10)]

    async def verify_all() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=str(flow.gw.base_url), timeout=30) as client:
            return await asyncio.gather(
                *(
                    client.post(
                        "/v1/accounts/me/real-name",
                        headers=user.auth,
                        json={"subject_type": "individual", "legal_name": "张三", "id_number": number},
                    )
                    for user in users
                )
            )

    answers = asyncio.run(verify_all())
    assert sorted(a.status_code for a in answers) == [201] * 5 + [409] * 5, [a.text for a in answers]
    with psycopg.connect(platform.database_urls["identity"]) as conn:
        verified = conn.execute(
            "SELECT count(*) FROM real_name_verification WHERE account_id = ANY(%s::uuid[])", ([u.id for u in users],)
        ).fetchone()[0]
    assert verified == 5


@pytest.mark.requirement("BJ-9")
@pytest.mark.requirement("PA-7.3")
@pytest.mark.requirement("PA-9.2")
def test_a_cancelled_account_frees_its_subjects_slot(flow: Flow) -> None:
    number = resident_id()
    holders = [confirmed_user(flow) for _ in range(5)]
    for user in holders:
        verified = verify(flow, user, subject_type="individual", id_number=number)
        assert verified.status_code == 201, verified.text
        user.token = verified.json()["access_token"]
    assert verify(flow, confirmed_user(flow), subject_type="individual", id_number=number).status_code == 409
    cancelled = flow.gw.post(
        "/v1/accounts/me/cancellation", headers=holders[0].auth, json={"password": "a long enough password"}
    )
    assert cancelled.status_code == 202, cancelled.text
    assert verify(flow, confirmed_user(flow), subject_type="individual", id_number=number).status_code == 201


@pytest.mark.requirement("MB-6.2")
@pytest.mark.requirement("PA-5.2")
def test_publishing_needs_the_agreement_in_force(flow: Flow) -> None:
    user = flow.verified_user()  # accepted the version in force at registration
    assert flow.gw.post("/v1/posts", headers=user.auth, json={"text": "同意了协议"}).status_code == 201
    operator = flow.staff("operator")
    published = flow.gw.post(
        "/v1/identity/agreements",
        headers=operator.auth,
        json={"title": "Service agreement (new version)", "body": "Updated platform rules, in full."},
    )
    assert published.status_code == 201, published.text
    version = published.json()["version"]

    # A token saying the old version was accepted is refused at once, everywhere (not when it expires,
    # up to an hour later), naming MB-6.2.
    def refusal(method: str, path: str, **kwargs: object) -> dict | None:
        answer = flow.gw.request(method, path, headers=user.auth, **kwargs)
        return answer.json() if answer.status_code == 403 else None

    by_content = poll(
        lambda: refusal("POST", "/v1/posts", json={"text": "旧的令牌"}),
        what="content refusing a token of the superseded agreement",
        timeout_s=10,
    )
    assert (by_content["type"].rsplit("/", 1)[-1], by_content["requirement"]) == ("token-revoked", "MB-6.2")
    by_identity = poll(lambda: refusal("GET", "/v1/accounts/me"), what="identity refusing it too", timeout_s=10)
    assert by_identity["requirement"] == "MB-6.2"
    # Never locked out: signing in again gives a token that says the new version is not accepted yet.
    _sign_in(flow, user)
    assert flow.gw.get("/v1/accounts/me", headers=user.auth).status_code == 200
    refused = flow.gw.post("/v1/posts", headers=user.auth, json={"text": "新协议还没同意"})
    assert refused.status_code == 403
    assert (refused.json()["type"].rsplit("/", 1)[-1], refused.json()["requirement"]) == (
        "agreement-required",
        "MB-6.2",
    )
    stale = flow.gw.post("/v1/accounts/me/agreement", headers=user.auth, json={"version": version - 1})
    assert stale.status_code == 409 and stale.json()["requirement"] == "MB-6.2"
    accepted = flow.gw.post("/v1/accounts/me/agreement", headers=user.auth, json={"version": version})
    assert accepted.status_code == 200
    user.token = accepted.json()["access_token"]
    assert flow.gw.post("/v1/posts", headers=user.auth, json={"text": "同意了新协议"}).status_code == 201
    # Only operators and the chief editor publish agreements.
    reviewer = flow.staff("reviewer")
    assert (
        flow.gw.post(
            "/v1/identity/agreements", headers=reviewer.auth, json={"title": "x" * 5, "body": "y" * 20}
        ).status_code
        == 403
    )


@pytest.mark.requirement("PA-9.1")
@pytest.mark.requirement("MB-7.3")
def test_staff_reads_of_personal_data_are_recorded_with_who_and_why(flow: Flow) -> None:
    user = flow.verified_user()
    operator, reviewer, auditor = flow.staff("operator"), flow.staff("reviewer"), flow.staff("auditor")
    path = f"/v1/identity/staff/accounts/{user.id}/personal-data"
    why = "complaint 2026-114 needs the holder contacted"
    read = flow.gw.get(path, headers=operator.auth, params={"reason": why})
    assert read.status_code == 200, read.text
    assert read.json()["mobile"] == user.mobile and read.json()["legal_name"] == "张三"
    assert flow.gw.get(path, headers=operator.auth).status_code == 422  # no reason, no read
    assert flow.gw.get(path, headers=reviewer.auth, params={"reason": why}).status_code == 403
    assert flow.gw.get(path, headers=user.auth, params={"reason": why}).status_code == 403

    listed = flow.gw.get("/v1/identity/staff-actions", headers=auditor.auth, params={"limit": 1000})
    assert listed.status_code == 200, listed.text
    actions = listed.json()
    mine = [a for a in actions if a["path"] == path]
    assert any(a["reason"] == why and a["actor"].startswith("staff:") and a["allowed"] for a in mine)
    assert any(not a["allowed"] and "reviewer" in a["roles"] for a in mine)  # refusals are recorded too
    assert flow.gw.get("/v1/identity/staff-actions", headers=operator.auth).status_code == 403

    # Every service keeps its own record: a reviewer's scan in moderation.
    flow.gw.post("/v1/moderation/scan", headers=reviewer.auth, json={"text": "今天天气很好"})
    scans = flow.gw.get("/v1/moderation/staff-actions", headers=auditor.auth).json()
    assert any(a["path"] == "/v1/moderation/scan" and "reviewer" in a["roles"] for a in scans)


@pytest.mark.requirement("PA-9.2")
def test_a_cancelled_account_goes_at_once_and_its_records_are_purged_after_retention(
    flow: Flow, platform: StackInfo
) -> None:
    user = flow.verified_user()
    post = flow.post(user, "注销之前的一条")
    poll(lambda: flow.gw.get(f"/v1/posts/{post['id']}").status_code == 200, what="the post published")
    proof = {"filename": "id.png", "content_type": "image/png", "content_base64": "aWQtY2FyZA=="}
    applied = flow.gw.post(
        "/v1/accounts/me/verified-applications",
        headers=user.auth,
        json={
            "v_type": "individual",
            "proof_name": "张三",
            "proof_number": "110105000000000000",
            "display_name": "小张",
            "files": [proof],
        },
    )
    assert applied.status_code == 201, applied.text  # refused (not the verified number): kept, sealed
    wrong = flow.gw.post("/v1/accounts/me/cancellation", headers=user.auth, json={"password": "not the password"})
    assert wrong.status_code == 401
    cancelled = flow.gw.post(
        "/v1/accounts/me/cancellation", headers=user.auth, json={"password": "a long enough password"}
    )
    assert cancelled.status_code == 202 and cancelled.json()["legal_basis"] == ["PA-9.2"]
    # Gone at once: no sign-in, its content no longer served, no new posts even with the old token.
    sign_in = flow.gw.post("/v1/tokens", json={"username": user.username, "password": "a long enough password"})
    assert sign_in.status_code == 401
    poll(lambda: flow.gw.get(f"/v1/posts/{post['id']}").status_code == 404, what="the content withdrawn")
    refused = flow.gw.post("/v1/posts", headers=user.auth, json={"text": "注销之后"})
    assert refused.status_code == 403 and refused.json()["requirement"] == "PA-9.2"
    # The records stay for the retention period (encrypted), then are purged. The test moves the
    # retention's end into the past (a year passing) instead of waiting for it.
    with psycopg.connect(platform.database_urls["identity"]) as conn:
        kept = conn.execute("SELECT length(phone_ciphertext) FROM account WHERE id = %s", (user.id,)).fetchone()
        assert kept[0] > 0
        conn.execute("UPDATE account SET purge_after = now() - interval '1 second' WHERE id = %s", (user.id,))
    with psycopg.connect(platform.database_urls["content"]) as conn:
        conn.execute("UPDATE post SET purge_after = now() - interval '1 second' WHERE id = %s", (post["id"],))

    def purged() -> bool:
        with psycopg.connect(platform.database_urls["identity"]) as conn:
            row = conn.execute(
                """SELECT a.purged_at, length(a.phone_ciphertext), length(r.legal_name_ciphertext)
                     FROM account a JOIN real_name_verification r ON r.account_id = a.id WHERE a.id = %s""",
                (user.id,),
            ).fetchone()
            proofs = conn.execute(
                """SELECT v.proof_name_ciphertext, length(f.content_sealed) FROM verified_application v
                     JOIN proof_file f ON f.application_id = v.id WHERE v.account_id = %s""",
                (user.id,),
            ).fetchall()
        with psycopg.connect(platform.database_urls["content"]) as conn:
            post_row = conn.execute("SELECT 1 FROM post WHERE id = %s", (post["id"],)).fetchone()
        proofs_purged = proofs == [(None, 0)]  # the proof name and file of the V application too (MB-7.3)
        return row[0] is not None and row[1] == 0 and row[2] == 0 and post_row is None and proofs_purged

    poll(purged, what="personal data and content purged after retention")


@pytest.mark.requirement("BJ-7(6)")
def test_a_revoked_api_client_is_refused_everywhere_at_once(flow: Flow) -> None:
    operator = flow.staff("operator")
    bad = flow.gw.post(
        "/v1/identity/staff/api-clients", headers=operator.auth, json={"name": "某某客户端", "icp_number": "ICP12345"}
    )
    assert bad.status_code == 422 and bad.json()["requirement"] == "BJ-7(6)"
    registered = flow.gw.post(
        "/v1/identity/staff/api-clients",
        headers=operator.auth,
        json={"name": "某某客户端", "icp_number": "京ICP备2021012345号-1"},
    )
    assert registered.status_code == 201, registered.text
    client = registered.json()
    credentials = {"client_id": client["id"], "client_secret": client["client_secret"]}

    user = flow.verified_user()
    through = flow.gw.post(
        "/v1/tokens", json={"username": user.username, "password": "a long enough password", **credentials}
    )
    assert through.status_code == 200
    via_app = User(user.id, user.username, user.mobile, through.json()["access_token"])
    assert flow.gw.post("/v1/posts", headers=via_app.auth, json={"text": "通过第三方客户端发的"}).status_code == 201
    app_token = flow.gw.post("/v1/identity/client-tokens", json=credentials)
    assert app_token.status_code == 200
    wrong = flow.gw.post("/v1/identity/client-tokens", json={**credentials, "client_secret": "nope"})
    assert wrong.status_code == 401

    revoked = flow.gw.post(
        f"/v1/identity/staff/api-clients/{client['id']}/revocation",
        headers=operator.auth,
        json={"reason": "ICP filing cancelled"},
    )
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    # Every service refuses the tokens issued through it, whatever their expiry.
    refused = poll(
        lambda: (
            (r := flow.gw.post("/v1/posts", headers=via_app.auth, json={"text": "撤销之后"})).status_code == 403 and r
        ),
        what="content refusing the revoked client's token",
    )
    assert refused.json()["requirement"] == "BJ-7(6)"
    poll(lambda: flow.gw.get("/v1/accounts/me", headers=via_app.auth).status_code == 403, what="identity refusing")
    poll(
        lambda: flow.gw.post("/v1/complaints", headers=via_app.auth, json={}).status_code == 403,
        what="reporting refusing",
    )
    again = flow.gw.post(
        "/v1/tokens", json={"username": user.username, "password": "a long enough password", **credentials}
    )
    assert again.status_code == 403 and again.json()["requirement"] == "BJ-7(6)"
    # The user's own sign-in, not through the revoked application, still works.
    assert flow.gw.get("/v1/accounts/me", headers=user.auth).status_code == 200
