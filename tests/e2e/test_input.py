"""No input gets a 500 (issue 9): text PostgreSQL cannot hold, integers beyond 64 bits, tokens of the
wrong kind and loosely typed JSON are refused with 422/403 problems, through the gateway; and a
refusal never disturbs other callers' requests on the connections the gateway shares."""

from __future__ import annotations

import base64
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from contracts.categories import Bj10Category
from devstack.cli import ensure_dev_regulator_key
from devstack.stack import StackInfo
from devstack.testing import Infra
from journeys import Flow, User
from kit.pagination import encode_cursor

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64).decode()
CLEAN_TEXT = "今天天气很好，出去走走"


def _problem(answer: httpx.Response, status: int) -> dict:
    assert answer.status_code == status, (answer.request.method, answer.request.url, answer.text)
    assert answer.headers["content-type"] == "application/problem+json"
    return answer.json()


@pytest.fixture(scope="module")
def people(flow: Flow, infra: Infra, platform: StackInfo) -> dict:
    user = flow.verified_user()
    key = ensure_dev_regulator_key(infra.stack, platform.database_urls["regulator-gateway"])
    return {
        "user": user,
        "post": flow.post(user, CLEAN_TEXT),
        "auditor": flow.staff("auditor"),
        "chief": flow.staff("chief_editor"),
        "senior": flow.staff("senior_reviewer"),
        "regulator": {"Authorization": f"Bearer {key}"},
    }


def _unstorable_requests(people: dict) -> list[tuple[str, str, dict]]:
    """(method, path, httpx keyword arguments): NUL characters where each kind of caller sends text."""
    user, auditor, chief = people["user"], people["auditor"], people["chief"]
    nul = "清朗\x00"
    return [
        # anonymous callers
        ("POST", "/v1/tokens", {"json": {"username": nul, "password": "a long enough password"}}),
        ("POST", "/v1/identity/staff/tokens", {"json": {"username": nul, "password": "whatever it is"}}),
        # users
        ("POST", "/v1/posts", {"headers": user.auth, "json": {"text": nul}}),
        (
            "POST",
            "/v1/complaints",
            {
                "headers": user.auth,
                "json": {
                    "target_id": people["post"]["id"],
                    "reason": Bj10Category.RUMOUR_DISTURBING_ORDER,
                    "detail": nul,
                },
            },
        ),
        ("PUT", "/v1/accounts/me/profile", {"headers": user.auth, "json": {"display_name": nul}}),
        (
            "POST",
            "/v1/accounts/me/verified-applications",
            {
                "headers": user.auth,
                "json": {
                    "v_type": "enterprise",
                    "proof_name": nul,
                    "proof_number": "91440300MA5FXXXX1X",
                    "files": [{"filename": "p.png", "content_type": "image/png", "content_base64": PNG}],
                },
            },
        ),
        # staff and regulators, in query parameters
        ("GET", "/v1/identity/staff-actions", {"headers": auditor.auth, "params": {"actor": nul}}),
        ("GET", "/v1/moderation/lexicon/entries", {"headers": chief.auth, "params": {"category": nul}}),
        (
            "GET",
            f"/v1/identity/staff/accounts/{user.id}/personal-data",
            {"headers": chief.auth, "params": {"reason": "审计抽查，依法调取\x00"}},
        ),
        ("GET", "/v1/regulator/filings", {"headers": people["regulator"], "params": {"kind": nul}}),
    ]


def test_nul_characters_and_lone_surrogates_are_422_problems_and_others_are_not_disturbed(
    flow: Flow, gateway: httpx.Client, people: dict
) -> None:
    bad = _unstorable_requests(people)
    user: User = people["user"]
    # Lone surrogates: valid JSON escapes that are no character, in a body and as a dictionary key.
    surrogates = [
        b'{"text": "\\ud800 half a pair"}',
        b'{"text": "ok", "\\udfff": 1}',
    ]
    good_paths = ["/v1/identity/agreement", f"/v1/posts/{people['post']['id']}", "/v1/moderation/lexicon"]
    stop = threading.Event()
    good_answers: list[int] = []

    def good_traffic() -> None:
        # Other callers, sharing the gateway's connections to the services meanwhile.
        with httpx.Client(base_url=str(gateway.base_url), timeout=15) as other:
            while not stop.is_set():
                for path in good_paths:
                    good_answers.append(other.get(path).status_code)

    with ThreadPoolExecutor(4) as pool:
        others = [pool.submit(good_traffic) for _ in range(3)]
        try:
            for _ in range(3):
                for method, path, kwargs in bad:
                    problem = _problem(gateway.request(method, path, **kwargs), 422)
                    assert problem["type"].endswith("/invalid-input")
                for body in surrogates:
                    answer = gateway.post(
                        "/v1/posts", content=body, headers={**user.auth, "content-type": "application/json"}
                    )
                    assert _problem(answer, 422)["errors"][0]["kind"] == "unstorable_text"
        finally:
            stop.set()
            for f in others:
                f.result()
    assert good_answers and set(good_answers) == {200}, sorted(set(good_answers))


def test_integers_beyond_64_bits_are_422_problems(flow: Flow, gateway: httpx.Client, people: dict) -> None:
    huge = 2**70
    senior, chief, user = people["senior"], people["chief"], people["user"]
    for method, path, kwargs in [
        (
            "POST",
            f"/v1/identity/staff/credit-entries/{huge}/reversal",
            {"headers": senior.auth, "json": {"note": "申诉成立"}},
        ),
        (
            "POST",
            f"/v1/identity/staff/credit-entries/{-huge}/reversal",
            {"headers": senior.auth, "json": {"note": "申诉成立"}},
        ),
        ("GET", "/v1/moderation/lexicon/entries", {"headers": chief.auth, "params": {"cursor": encode_cursor(huge)}}),
        ("GET", "/v1/moderation/lexicon/entries", {"headers": chief.auth, "params": {"limit": str(huge)}}),
        ("POST", "/v1/accounts/me/agreement", {"headers": user.auth, "json": {"version": huge}}),
        ("POST", "/v1/accounts/me/agreement", {"headers": user.auth, "json": {"version": 2**40}}),  # an int4 column
        (
            "POST",
            "/v1/moderation/policy-changes",
            {"headers": chief.auth, "json": {"kind": "lexicon", "reason": "清理", "remove": [huge]}},
        ),
        (
            "POST",
            "/v1/identity/grading-rules",
            {"headers": chief.auth, "json": {"rules": [{"grade": 1, "name": "ordinary", "min_reads": huge}]}},
        ),
    ]:
        _problem(gateway.request(method, path, **kwargs), 422)


def test_staff_and_application_tokens_on_user_routes_are_403_problems(flow: Flow, gateway: httpx.Client) -> None:
    staff = flow.staff("operator")
    registered = gateway.post(
        "/v1/identity/staff/api-clients",
        headers=staff.auth,
        json={"name": "某某客户端", "icp_number": "京ICP备2021012345号-1"},
    )
    assert registered.status_code == 201, registered.text
    client = registered.json()
    app_token = gateway.post(
        "/v1/identity/client-tokens", json={"client_id": client["id"], "client_secret": client["client_secret"]}
    ).json()["access_token"]
    for headers in (staff.auth, {"Authorization": f"Bearer {app_token}"}):
        for method, path, body in [
            ("POST", "/v1/accounts/me/agreement", {"version": 1}),
            ("GET", "/v1/accounts/me/credit", None),
            ("GET", "/v1/accounts/me", None),
            ("PUT", "/v1/accounts/me/profile", {"display_name": "某人"}),
            ("POST", "/v1/posts", {"text": CLEAN_TEXT}),
            (
                "POST",
                "/v1/complaints",
                {"target_id": str(uuid.uuid4()), "reason": Bj10Category.RUMOUR_DISTURBING_ORDER},
            ),
        ]:
            problem = _problem(gateway.request(method, path, headers=headers, json=body), 403)
            assert "user" in problem["detail"]
    # Staff still read the decisions on a post (a route for authors and staff alike).
    assert gateway.get(f"/v1/moderation/posts/{uuid.uuid4()}/decision", headers=staff.auth).status_code == 404


def test_loosely_typed_json_is_refused_not_coerced(flow: Flow, gateway: httpx.Client, people: dict) -> None:
    user, chief = people["user"], people["chief"]
    version = gateway.get("/v1/identity/agreement").json()["version"]
    for method, path, headers, body in [
        ("POST", "/v1/accounts/me/agreement", user.auth, {"version": True}),
        ("POST", "/v1/accounts/me/agreement", user.auth, {"version": str(version)}),
        ("POST", "/v1/accounts/me/agreement", user.auth, {"version": float(version)}),
        ("POST", "/v1/identity/grading-rules", chief.auth, {"rules": [{"grade": False, "name": "ordinary"}]}),
        (
            "POST",
            "/v1/identity/grading-rules",
            chief.auth,
            {"rules": [{"grade": 1, "name": "ordinary", "requires_verified": 1}]},
        ),
        (
            "POST",
            "/v1/moderation/policy-changes",
            chief.auth,
            {"kind": "routing", "reason": "夜间", "routing": {"new_account_hours": True}},
        ),
        ("POST", f"/v1/moderation/policy-changes/{uuid.uuid4()}/decision", chief.auth, {"approve": 1, "note": "好"}),
        (
            "POST",
            f"/v1/reporting/staff/complaints/{uuid.uuid4()}/outcome",
            chief.auth,
            {"upheld": "false", "note": "不成立"},
        ),
        (
            "POST",
            "/v1/accounts",
            {},
            {
                "username": "u" + uuid.uuid4().hex[:12],
                "password": "a long enough password",
                "mobile": "+8613912345678",
                "accepted_agreement_version": True,
            },
        ),
    ]:
        errors = _problem(gateway.request(method, path, headers=headers, json=body), 422)["errors"]
        assert errors, body
    # The same values written as JSON numbers and booleans are accepted.
    accepted = gateway.post("/v1/accounts/me/agreement", headers=user.auth, json={"version": version})
    assert accepted.status_code == 200, accepted.text


@pytest.mark.parametrize(
    "text",
    [
        "\u200b\u200c\u200d",  # zero-width space, non-joiner, joiner
        "\u202e\u2066\u2069\u200e",  # bidi controls
        "\ufeff \u2060\u00ad",  # BOM, word joiner, soft hyphen
        "\u3000\u00a0\t\n",  # ideographic and no-break spaces
        "\u3164\u115f",  # Hangul fillers
    ],
)
def test_texts_of_only_invisible_characters_are_refused_like_blank_ones(
    flow: Flow, gateway: httpx.Client, people: dict, text: str
) -> None:
    user = people["user"]
    post = gateway.post("/v1/posts", headers=user.auth, json={"text": text})
    assert _problem(post, 422)["errors"][0]["kind"] == "invisible_text"
    name = gateway.put("/v1/accounts/me/profile", headers=user.auth, json={"display_name": text})
    _problem(name, 422)
    # Invisible characters inside visible text are the author's business (the engine folds them).
    assert gateway.post("/v1/posts", headers=user.auth, json={"text": f"你好{text}世界"}).status_code == 201
