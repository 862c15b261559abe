"""Every sign-in surface resists abuse (issue 9): one-time codes, passwords, registrations, and the
sessions of an account that was cancelled, suspended or closed.

The limits per client address bite on a stack of this module's own with small limits (the shared
test platform raises them: the suite signs in hundreds of users from the gateway's one address).
There, distinct clients are simulated the way the gateway reports them: a request to identity from
a trusted proxy address (loopback, uvicorn's --forwarded-allow-ips) with X-Forwarded-For. Through
the gateway itself a client cannot choose its address (Traefik overwrites the header).

The gateway answers every 429 of a service with its own problem (deploy/gateway: the errors
middleware renders /problems/gateway/429 and keeps none of the service's headers), so the service's
own problem type and Retry-After are checked where the gateway sends the request: at the service."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx
import pytest
from devstack.cli import create_staff
from devstack.stack import Stack, StackInfo
from devstack.testing import make_stack, poll
from journeys import Flow, User, mainland_mobile

PASSWORD = "a long enough password"
STRICT = {
    "OTP_MIN_INTERVAL_S": "0",
    "OTP_SENDS_PER_NUMBER_PER_HOUR": "4",
    "OTP_WRONG_PER_NUMBER_PER_HOUR": "5",
    "SIGN_IN_FREE_FAILURES": "3",
    "SIGN_IN_BACKOFF_BASE_S": "30",
    "SIGN_IN_BACKOFF_MAX_S": "120",
    "SIGN_IN_OTHER_ADDRESS_DELAY_S": "1",
    "SIGN_IN_FAILURES_PER_ADDRESS_PER_HOUR": "8",
    "REGISTRATIONS_PER_ADDRESS_PER_HOUR": "3",
}


def address() -> str:
    """A client address of a test's own (TEST-NET-3, RFC 5737, plus a random last octets pair)."""
    return f"203.0.{uuid.uuid4().int % 250 + 1}.{uuid.uuid4().int % 250 + 1}"


@dataclass
class Strict:
    stack: Stack
    info: StackInfo
    gw: httpx.Client
    identity: httpx.Client  # straight to identity, as the gateway (a trusted proxy) calls it

    def as_client(self, addr: str) -> dict[str, str]:
        return {"X-Forwarded-For": addr}

    def register(self, addr: str, mobile: str | None = None) -> User:
        username = "u" + uuid.uuid4().hex[:12]
        mobile = mobile or mainland_mobile()
        created = self.identity.post(
            "/v1/accounts",
            headers=self.as_client(addr),
            json={"username": username, "password": PASSWORD, "mobile": mobile},
        )
        assert created.status_code == 201, created.text
        user = User(created.json()["id"], username, mobile, "")
        user.token = self.sign_in(user.username, PASSWORD, addr).json()["access_token"]
        return user

    def sign_in(self, username: str, password: str, addr: str, path: str = "/v1/tokens") -> httpx.Response:
        return self.identity.post(path, headers=self.as_client(addr), json={"username": username, "password": password})

    def sent_codes(self, mobile: str) -> list[str]:
        inbox = httpx.get(f"{self.info.sms_sink_url}/messages", params={"to": mobile}).json()["messages"]
        return [re.search(r"\b(\d{6})\b", m).group(1) for m in inbox]


@pytest.fixture(scope="module")
def strict(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Strict]:
    stack = make_stack(tmp_path_factory.mktemp("abuse"), external_ok=False)
    stack.config.workers = {"identity": 2}  # the limits hold across processes (counts in PostgreSQL)
    stack.config.service_env["identity"] = {**stack.config.service_env["identity"], **STRICT}
    try:
        info = stack.up()
        with (
            httpx.Client(base_url=info.gateway_url, timeout=15) as gw,
            httpx.Client(base_url=info.service_urls["identity"], timeout=15) as identity,
        ):
            yield Strict(stack, info, gw, identity)
    finally:
        stack.down()


def too_many(response: httpx.Response) -> None:
    """A 429 problem, as the gateway passes it on."""
    assert response.status_code == 429, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


def retry_after(response: httpx.Response) -> int:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return int(response.headers["Retry-After"])


# ---- one-time codes ------------------------------------------------------------------------------


@pytest.mark.requirement("MB-7.1")
def test_a_code_cannot_be_asked_for_again_at_once(flow: Flow, platform: StackInfo) -> None:
    user = flow.register()
    assert flow.gw.post("/v1/accounts/me/phone-confirmation", headers=user.auth).status_code == 202
    too_many(flow.gw.post("/v1/accounts/me/phone-confirmation", headers=user.auth))
    with httpx.Client(base_url=platform.service_urls["identity"], timeout=15) as identity:
        again = identity.post("/v1/accounts/me/phone-confirmation", headers=user.auth)
    assert 1 <= retry_after(again) <= 60  # OTP_MIN_INTERVAL_S, the default
    assert again.json()["type"].endswith("/code-send-limited")


@pytest.mark.requirement("MB-7.1")
def test_codes_sent_to_one_number_are_capped_and_wrong_codes_count_across_resends(strict: Strict) -> None:
    addr = address()
    user = strict.register(addr)
    send = lambda u: strict.identity.post("/v1/accounts/me/phone-confirmation", headers=u.auth)  # noqa: E731
    confirm = lambda code: strict.identity.put(  # noqa: E731
        "/v1/accounts/me/phone-confirmation", headers=user.auth, json={"code": code}
    )

    def wrong(code: str) -> str:
        return f"{(int(code) + 1) % 1_000_000:06d}"

    assert send(user).status_code == 202
    for _ in range(3):
        assert confirm(wrong(strict.sent_codes(user.mobile)[-1])).status_code == 422
    assert send(user).status_code == 202  # a new code: on the old code, a fresh set of attempts
    for _ in range(2):
        assert confirm(wrong(strict.sent_codes(user.mobile)[-1])).status_code == 422
    assert send(user).status_code == 202
    # Five wrong codes for this number within the hour: even the right code is refused now.
    exhausted = confirm(strict.sent_codes(user.mobile)[-1])
    assert retry_after(exhausted) > 3000
    assert exhausted.json()["type"].endswith("/code-attempts-exhausted") and exhausted.json()["requirement"] == "MB-7.1"
    assert strict.identity.get("/v1/accounts/me", headers=user.auth).json()["phone_confirmed"] is False

    # Four sends to the number within the hour: a fifth is refused, from another account holding
    # the same (unconfirmed) number too.
    assert send(user).status_code == 202
    assert retry_after(send(user)) > 3000
    other = strict.register(addr, mobile=user.mobile)
    refused = send(other)
    assert retry_after(refused) > 3000 and refused.json()["type"].endswith("/code-send-limited")
    assert len(strict.sent_codes(user.mobile)) == 4


@pytest.mark.requirement("BJ-9")
def test_one_mobile_number_backs_one_active_account(flow: Flow) -> None:
    first = flow.register()
    flow.confirm_phone(first)
    body = {"username": "u" + uuid.uuid4().hex[:12], "password": PASSWORD, "mobile": first.mobile}
    refused = flow.gw.post("/v1/accounts", json=body)
    assert refused.status_code == 409, refused.text
    assert refused.json()["type"].endswith("/mobile-cap-reached") and refused.json()["requirement"] == "BJ-9"

    # An unconfirmed number blocks nobody: both may register it, only one may confirm it.
    mobile = mainland_mobile()
    holder, squatter = (
        flow.gw.post("/v1/accounts", json={**body, "username": "u" + uuid.uuid4().hex[:12], "mobile": mobile})
        for _ in range(2)
    )
    assert holder.status_code == squatter.status_code == 201
    users = []
    for created in (holder, squatter):
        username = created.json()["username"]
        token = flow.gw.post("/v1/tokens", json={"username": username, "password": PASSWORD}).json()["access_token"]
        users.append(User(created.json()["id"], username, mobile, token))
    flow.confirm_phone(users[0])
    late = flow.gw.post("/v1/accounts/me/phone-confirmation", headers=users[1].auth)
    assert late.status_code == 409 and late.json()["requirement"] == "BJ-9"


# ---- passwords -----------------------------------------------------------------------------------


def test_failed_sign_ins_back_off_per_account_without_locking_its_holder_out(strict: Strict) -> None:
    user = strict.register(address())
    attacker, other, holder = address(), address(), address()
    for _ in range(3):  # SIGN_IN_FREE_FAILURES
        assert strict.sign_in(user.username, "not the password", attacker).status_code == 401
    # The account backs off: the guessing address is refused whatever it sends, even the password.
    throttled = strict.sign_in(user.username, PASSWORD, attacker)
    assert 1 <= retry_after(throttled) <= 30 and throttled.json()["type"].endswith("/sign-in-throttled")
    # Another address gets one attempt (after a short delay); a wrong one throttles it too, longer.
    assert strict.sign_in(user.username, "still not it", other).status_code == 401
    assert 30 < retry_after(strict.sign_in(user.username, PASSWORD, other)) <= 60
    # The holder, from an address of their own, still gets in after the short delay.
    started = time.monotonic()
    assert strict.sign_in(user.username, PASSWORD, holder).status_code == 200
    assert time.monotonic() - started >= 1.0  # SIGN_IN_OTHER_ADDRESS_DELAY_S


def test_a_burst_of_parallel_guesses_gets_no_more_tries_than_one_after_another(strict: Strict) -> None:
    user = strict.register(address())
    guesser = address()
    with ThreadPoolExecutor(max_workers=12) as pool:  # two identity processes answer them
        codes = list(pool.map(lambda _: strict.sign_in(user.username, "guess", guesser).status_code, range(12)))
    assert sorted(codes) == [401] * 3 + [429] * 9, codes  # SIGN_IN_FREE_FAILURES, then the back-off


def test_staff_sign_ins_are_limited_too(strict: Strict) -> None:
    username = "s" + uuid.uuid4().hex[:12]
    created = create_staff(strict.info.database_urls["identity"], username=username, roles=["reviewer"])
    addr = address()
    for _ in range(3):
        assert strict.sign_in(username, "guess", addr, "/v1/identity/staff/tokens").status_code == 401
    assert retry_after(strict.sign_in(username, created["password"], addr, "/v1/identity/staff/tokens")) >= 1
    assert strict.sign_in(username, created["password"], address(), "/v1/identity/staff/tokens").status_code == 200


def test_an_address_has_a_budget_of_failed_sign_ins(strict: Strict) -> None:
    user = strict.register(address())
    guesser = address()
    for _ in range(8):  # SIGN_IN_FAILURES_PER_ADDRESS_PER_HOUR, spread over accounts that may not exist
        assert strict.sign_in("u" + uuid.uuid4().hex[:12], "guess", guesser).status_code == 401
    assert retry_after(strict.sign_in(user.username, PASSWORD, guesser)) > 3000
    assert strict.sign_in(user.username, PASSWORD, address()).status_code == 200


# ---- registrations -------------------------------------------------------------------------------


def test_registrations_per_address_are_capped_and_the_gateway_decides_the_address(strict: Strict) -> None:
    def register(**headers: str) -> httpx.Response:
        body = {"username": "u" + uuid.uuid4().hex[:12], "password": PASSWORD, "mobile": mainland_mobile()}
        return strict.gw.post("/v1/accounts", json=body, headers=headers)

    # Through the gateway a client cannot pick its address: a forged X-Forwarded-For is replaced.
    for i in range(3):  # REGISTRATIONS_PER_ADDRESS_PER_HOUR
        assert register(**{"X-Forwarded-For": f"198.51.100.{i + 1}"}).status_code == 201
    too_many(register(**{"X-Forwarded-For": "198.51.100.99"}))
    # The gateway's address as the service saw it, asked at the service (problem type and Retry-After).
    body = {"username": "u" + uuid.uuid4().hex[:12], "password": PASSWORD, "mobile": mainland_mobile()}
    refused = strict.identity.post("/v1/accounts", json=body, headers=strict.as_client("127.0.0.1"))
    assert retry_after(refused) > 3000 and refused.json()["type"].endswith("/registration-limited")
    assert "requirement" not in refused.json()
    # Another client (another address, as the gateway reports it) still registers.
    body = {"username": "u" + uuid.uuid4().hex[:12], "password": PASSWORD, "mobile": mainland_mobile()}
    assert strict.identity.post("/v1/accounts", json=body, headers=strict.as_client(address())).status_code == 201


# ---- ended sessions ------------------------------------------------------------------------------


@pytest.mark.requirement("PA-9.2")
def test_a_cancelled_accounts_token_is_refused_everywhere(flow: Flow) -> None:
    user = flow.verified_user()
    version = flow.gw.get("/v1/identity/agreement").json()["version"]
    assert flow.gw.post("/v1/accounts/me/agreement", headers=user.auth, json={"version": version}).status_code == 200
    cancelled = flow.gw.post("/v1/accounts/me/cancellation", headers=user.auth, json={"password": PASSWORD})
    assert cancelled.status_code == 202

    # Identity refuses at once: no fresh token, no codes, no profile.
    for method, path, body in [
        ("POST", "/v1/accounts/me/agreement", {"version": version}),
        ("POST", "/v1/accounts/me/phone-confirmation", None),
        ("GET", "/v1/accounts/me", None),
        ("GET", "/v1/accounts/me/credit", None),
    ]:
        refused = flow.gw.request(method, path, headers=user.auth, json=body)
        assert refused.status_code == 403, (path, refused.text)
        assert refused.json()["requirement"] == "PA-9.2", (path, refused.text)
    # Every other service refuses the token within the revocation's propagation.
    for path, body in [("/v1/posts", {"text": "注销之后"}), ("/v1/complaints", {})]:
        refused = poll(
            lambda path=path, body=body: (
                (r := flow.gw.post(path, headers=user.auth, json=body)).status_code == 403 and r
            ),
            timeout_s=15,
            what=f"{path} refusing the cancelled account's token",
        )
        assert refused.json()["requirement"] == "PA-9.2"
    assert flow.gw.post("/v1/tokens", json={"username": user.username, "password": PASSWORD}).status_code == 401
