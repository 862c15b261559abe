"""The backbone's flow, end to end through Traefik: real services, PostgreSQL and Tansu."""

from __future__ import annotations

import hashlib
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from devstack.testing import poll
from journeys import reports_for_post

CLEAN_TEXT = "今天天气很好，去公园散步。"
PROHIBITED_TEXT = "欢迎来到在線賭場，注册就送188元"  # traditional 在線賭場 folds to the lexicon's 在线赌场


@pytest.mark.requirement("MB-7.1")
def test_clean_post_from_verified_user_is_published(flow, gateway: httpx.Client) -> None:
    user = flow.verified_user()
    post = flow.post(user, CLEAN_TEXT)
    assert post["status"] == "pending"
    # Others do not see a post under review; the author does.
    assert gateway.get(f"/v1/posts/{post['id']}").status_code == 404
    assert gateway.get(f"/v1/posts/{post['id']}", headers=user.auth).status_code == 200
    published = poll(
        lambda: (r := gateway.get(f"/v1/posts/{post['id']}")).status_code == 200 and r.json(),
        what="clean post published",
    )
    assert published["status"] == "published"
    assert published["text"] == CLEAN_TEXT


@pytest.mark.requirement("MB-12.2")
def test_prohibited_post_is_stopped_with_legal_basis_and_reported_once(
    flow, gateway: httpx.Client, national_key: dict[str, str]
) -> None:
    user = flow.verified_user()
    post = flow.post(user, PROHIBITED_TEXT)
    stopped = poll(
        lambda: (r := gateway.get(f"/v1/posts/{post['id']}")).status_code == 451 and r,
        what="451 for the prohibited post",
    )
    problem = stopped.json()
    assert stopped.headers["content-type"] == "application/problem+json"
    assert problem["requirement"] == "MB-12.2"
    assert "MB-12.2" in problem["legal_basis"] and "BJ-10" in problem["legal_basis"]
    assert problem["category"] == "bj10.obscenity_gambling_violence_terror_crime"
    # The author is refused too: transmission is stopped on every read path.
    assert gateway.get(f"/v1/posts/{post['id']}", headers=user.auth).status_code == 451

    # Exactly one report, with the snapshot's hash, in the account's province (Beijing: 110000).
    reports = poll(lambda: reports_for_post(gateway, national_key, post["id"]), what="regulator report")
    assert len(reports) == 1
    report = reports[0]
    assert report["content_sha256"] == hashlib.sha256(PROHIBITED_TEXT.encode()).hexdigest()
    assert report["account_id"] == user.id
    assert "MB-12.2" in report["legal_basis"]
    poll(
        lambda: (
            gateway.get(f"/v1/regulator/reports/{report['id']}", headers=national_key).json()["province_code"]
            == "110000"
        ),
        what="province learned from identity's event",
    )

    # The author can read the statement of reasons, with the matched span in the original text.
    decision = gateway.get(f"/v1/moderation/posts/{post['id']}/decision", headers=user.auth).json()
    assert decision["outcome"] == "stop_transmission" and decision["suggestion"] == "block"
    match = decision["matches"][0]
    assert PROHIBITED_TEXT[match["start"] : match["end"]] == "在線賭場"

    # The regulator acknowledges it; the same acknowledgement again is harmless.
    ack = gateway.put(
        f"/v1/regulator/reports/{report['id']}/acknowledgement",
        headers=national_key,
        json={"reference": "NAT-2026-0001"},
    )
    assert ack.status_code == 200, ack.text
    assert ack.json()["acknowledged_at"] is not None
    again = gateway.put(
        f"/v1/regulator/reports/{report['id']}/acknowledgement",
        headers=national_key,
        json={"reference": "NAT-2026-0001"},
    )
    assert again.status_code == 200
    assert again.json()["acknowledged_at"] == ack.json()["acknowledged_at"]
    other = gateway.put(
        f"/v1/regulator/reports/{report['id']}/acknowledgement",
        headers=national_key,
        json={"reference": "something else"},
    )
    assert other.status_code == 409


@pytest.mark.requirement("MB-7.1")
def test_post_before_real_name_verification_is_refused_naming_mb_7_1(flow, gateway: httpx.Client) -> None:
    user = flow.register()
    refused = gateway.post("/v1/posts", headers=user.auth, json={"text": CLEAN_TEXT})
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["requirement"] == "MB-7.1"


@pytest.mark.requirement("MB-7.1")
@pytest.mark.parametrize(
    "id_number",
    [
        "110105199001011230",  # wrong check digit
        "990105199001011237",  # no such region
        "110105199002301238",  # 30 February
        "12345",  # not an ID number at all
    ],
)
def test_invalid_identity_number_is_a_422_problem(flow, id_number: str) -> None:
    user = flow.register()
    flow.confirm_phone(user)
    refused = flow.verify_real_name(user, id_number)
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    body = refused.json()
    assert body["status"] == 422
    if len(id_number) == 18:
        assert body["requirement"] == "MB-7.1"


@pytest.mark.requirement("MB-7.1")
def test_real_name_needs_a_confirmed_mobile_first(flow) -> None:
    user = flow.register()
    refused = flow.verify_real_name(user)
    assert refused.status_code == 409
    assert refused.json()["requirement"] == "MB-7.1"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/v1/accounts", b"{not json"),
        ("POST", "/v1/accounts", b'{"username": 5}'),
        ("POST", "/v1/tokens", b"[]"),
        ("POST", "/v1/posts", b'{"text": null}'),
        ("GET", "/v1/posts/not-a-uuid", None),
        ("POST", "/v1/complaints", b'{"target_id": "x", "reason": "nonsense"}'),
        ("PUT", "/v1/regulator/reports/not-a-uuid/acknowledgement", b"{}"),
    ],
)
def test_malformed_requests_get_a_4xx_problem_never_a_500(
    flow, gateway: httpx.Client, method: str, path: str, body: bytes | None
) -> None:
    user = flow.register()
    response = gateway.request(method, path, content=body, headers={**user.auth, "content-type": "application/json"})
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == response.status_code


def test_unknown_post_is_404_and_missing_token_is_401(flow, gateway: httpx.Client) -> None:
    assert gateway.get(f"/v1/posts/{uuid.uuid4()}").status_code == 404
    no_token = gateway.post("/v1/posts", json={"text": CLEAN_TEXT})
    assert no_token.status_code == 401
    assert no_token.headers["content-type"] == "application/problem+json"
    forged = gateway.post("/v1/posts", json={"text": CLEAN_TEXT}, headers={"Authorization": "Bearer abc.def.ghi"})
    assert forged.status_code == 401


def test_post_longer_than_the_limit_is_refused(flow, gateway: httpx.Client) -> None:
    user = flow.verified_user()
    refused = gateway.post("/v1/posts", headers=user.auth, json={"text": "长" * 2001})
    assert refused.status_code == 422
    assert refused.json()["type"].endswith("/post-too-long")


def test_idempotency_key_makes_a_retried_post_one_post(flow, gateway: httpx.Client) -> None:
    user = flow.verified_user()
    headers = {**user.auth, "Idempotency-Key": str(uuid.uuid4())}
    first = gateway.post("/v1/posts", headers=headers, json={"text": CLEAN_TEXT})
    second = gateway.post("/v1/posts", headers=headers, json={"text": CLEAN_TEXT})
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]


def test_an_idempotency_key_reused_for_another_body_is_a_422(flow, gateway: httpx.Client) -> None:
    user = flow.verified_user()
    headers = {**user.auth, "Idempotency-Key": str(uuid.uuid4())}
    first = gateway.post("/v1/posts", headers=headers, json={"text": CLEAN_TEXT})
    other = gateway.post("/v1/posts", headers=headers, json={"text": CLEAN_TEXT + "再说一句。"})
    assert (first.status_code, other.status_code) == (201, 422), other.text
    assert other.json()["type"].endswith("/idempotency-key-reused")
    assert other.headers["content-type"].startswith("application/problem+json")


def test_concurrent_posts_without_an_idempotency_key_are_each_a_post(flow, gateway: httpx.Client) -> None:
    user = flow.verified_user()

    def send(i: int) -> httpx.Response:
        return gateway.post("/v1/posts", headers=user.auth, json={"text": f"{CLEAN_TEXT} {i}"})

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(send, range(16)))
    assert [a.status_code for a in answers] == [201] * 16, [a.text for a in answers if a.status_code != 201]
    assert len({a.json()["id"] for a in answers}) == 16


@pytest.mark.requirement("MB-14")
def test_complaint_is_filed_and_readable_by_its_complainant(flow, gateway: httpx.Client) -> None:
    author = flow.verified_user()
    post = flow.post(author, CLEAN_TEXT)
    reader = flow.register()
    complaint = flow.complain(reader, post["id"], detail="looks false")
    assert complaint["status"] == "received" and "MB-14" in complaint["legal_basis"]
    assert gateway.get(f"/v1/complaints/{complaint['id']}", headers=reader.auth).status_code == 200
    assert gateway.get(f"/v1/complaints/{complaint['id']}", headers=author.auth).status_code == 404


@pytest.mark.requirement("MB-14")
def test_a_complaint_about_a_post_never_published_is_refused(flow, gateway: httpx.Client) -> None:
    reader = flow.register()
    never = {"target_id": str(uuid.uuid4()), "reason": "spam"}
    refused = gateway.post("/v1/complaints", headers=reader.auth, json=never)
    assert refused.status_code == 422, refused.text
    assert refused.json()["type"].endswith("/unknown-post") and refused.json()["requirement"] == "MB-14"


@pytest.mark.requirement("MB-16.1")
def test_regulator_api_needs_a_valid_office_key(gateway: httpx.Client) -> None:
    assert gateway.get("/v1/regulator/reports").status_code == 401
    assert gateway.get("/v1/regulator/reports", headers={"Authorization": "Bearer qlr_wrong"}).status_code == 401


@pytest.mark.parametrize("service", ["identity", "content", "moderation", "reporting", "regulator"])
def test_every_service_openapi_and_readiness_are_reachable_through_the_gateway(
    gateway: httpx.Client, service: str
) -> None:
    spec = gateway.get(f"/v1/{service}/openapi.json")
    assert spec.status_code == 200
    assert spec.json()["paths"]
    assert gateway.get(f"/v1/{service}/docs").status_code == 200
    assert gateway.get(f"/v1/{service}/readyz").json()["status"] == "ready"


def test_services_expose_prometheus_metrics_of_the_event_machinery(flow, platform) -> None:
    user = flow.verified_user()
    post = flow.post(user, CLEAN_TEXT)
    poll(lambda: flow.gw.get(f"/v1/posts/{post['id']}").status_code == 200, what="published")
    # Scraped from the service itself: /metrics is not routed through the public gateway.
    text = httpx.get(f"{platform.service_urls['moderation']}/metrics").text
    assert 'qinglang_events_handled_total{ce_type="qinglang.content.post.created.v1",group="moderation.posts"}' in text
    assert "qinglang_outbox_published_total" in text
