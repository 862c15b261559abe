"""A client app's journeys, each step through the gateway's HTTP API only."""

from __future__ import annotations

import asyncio
import base64
import random
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

import httpx
import psycopg
from aiokafka import AIOKafkaConsumer
from aiokafka.structs import ConsumerRecord
from contracts.categories import Bj10Category
from contracts.features import GatedFeature
from devstack.cli import create_regulator_office, create_staff
from devstack.stack import StackInfo
from devstack.testing import poll
from stdnum.cn import ric, uscc


def resident_id(region: str = "110105", birth: str | None = None) -> str:
    """A valid 18-digit resident ID number (region, birth date, sequence, MOD 11-2 check digit). The
    birth date is random too: a suite verifies hundreds of people, and one subject may verify only a
    capped number of accounts (BJ-9)."""
    for _ in range(1000):
        born = birth or f"{random.randint(1950, 2005)}{random.randint(1, 12):02d}{random.randint(1, 28):02d}"
        body = f"{region}{born}{random.randint(100, 999)}"
        number = body + ric.calc_check_digit(body + "0")  # the function ignores the last character
        # A county's code is valid only in the years it was assigned (python-stdnum's table): draw again.
        if birth or ric.is_valid(number):
            return number
    raise ValueError(f"no birth year in 1950-2005 when {region} was assigned")


def credit_code(region: str = "110108") -> str:
    """A valid unified social credit code (GB 32100) registered in `region`."""
    body = f"91{region}" + "".join(random.choices("0123456789ABCDEFGHJKLMNPQRTUWXY", k=9))
    return body + uscc.calc_check_digit(body)


def organization_code() -> str:
    """A valid GB 11714 organization code."""
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    body = "".join(random.choices("0123456789", k=8))
    check = 11 - sum(alphabet.index(c) * w for c, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def mainland_mobile() -> str:
    """A random mainland mobile number: one number backs one account (BJ-9), so the suite's hundreds of
    users draw from several carriers' prefixes to make a collision negligible."""
    prefix = random.choice(["139", "138", "137", "136", "135", "150", "151", "158", "186", "188"])
    return f"+86{prefix}{random.randint(10_000_000, 99_999_999)}"


@dataclass
class User:
    id: str
    username: str
    mobile: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class PublicAccount:
    """An approved public account (PA-7.1): its id, its owner (a verified user) and an acting token of the
    owner (``sub`` = the public account, ``act`` = the owner) for acting as it."""

    id: str
    owner: User
    token: str
    name: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Staff:
    username: str
    roles: list[str]
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


class Flow:
    """The steps a client app takes, each through the gateway."""

    def __init__(self, gateway: httpx.Client, platform: StackInfo) -> None:
        self.gw = gateway
        self.platform = platform

    def register(self) -> User:
        username = "u" + uuid.uuid4().hex[:12]
        mobile = mainland_mobile()
        password = "a long enough password"
        version = self.gw.get("/v1/identity/agreement").json()["version"]
        created = self.gw.post(
            "/v1/accounts",
            json={"username": username, "password": password, "mobile": mobile, "accepted_agreement_version": version},
        )
        assert created.status_code == 201, created.text
        token = self.gw.post("/v1/tokens", json={"username": username, "password": password})
        assert token.status_code == 200, token.text
        return User(created.json()["id"], username, mobile, token.json()["access_token"])

    def confirm_phone(self, user: User) -> None:
        sent = self.gw.post("/v1/accounts/me/phone-confirmation", headers=user.auth)
        assert sent.status_code == 202, sent.text
        inbox = httpx.get(f"{self.platform.sms_sink_url}/messages", params={"to": user.mobile}).json()["messages"]
        code = re.search(r"\b(\d{6})\b", inbox[-1]).group(1)
        confirmed = self.gw.put("/v1/accounts/me/phone-confirmation", headers=user.auth, json={"code": code})
        assert confirmed.status_code == 200, confirmed.text
        assert confirmed.json()["phone_confirmed"] is True

    def verify_real_name(self, user: User, id_number: str | None = None) -> httpx.Response:
        return self.gw.post(
            "/v1/accounts/me/real-name",
            headers=user.auth,
            json={"subject_type": "individual", "legal_name": "张三", "id_number": id_number or resident_id()},
        )

    def verified_user(self) -> User:
        user = self.register()
        self.confirm_phone(user)
        verified = self.verify_real_name(user)
        assert verified.status_code == 201, verified.text
        user.token = verified.json()["access_token"]
        return user

    def staff(self, *roles: str) -> Staff:
        """A new staff account (identity's operator command), signed in through the gateway."""
        username = "s" + uuid.uuid4().hex[:12]
        created = create_staff(self.platform.database_urls["identity"], username=username, roles=list(roles))
        token = self.gw.post("/v1/identity/staff/tokens", json={"username": username, "password": created["password"]})
        assert token.status_code == 200, token.text
        return Staff(username, list(roles), token.json()["access_token"])

    # ---- public accounts (PA-7.1) ----

    def organization(self, name: str = "某某文化传播有限公司", number: str | None = None) -> User:
        """A user whose real name is verified as a domestic organisation (a credit code of ``number``)."""
        user = confirmed_user(self)
        verified = self.gw.post(
            "/v1/accounts/me/real-name",
            headers=user.auth,
            json={"subject_type": "organization", "legal_name": name, "id_number": number or credit_code()},
        )
        assert verified.status_code == 201, verified.text
        user.token = verified.json()["access_token"]
        return user

    def apply_public_account(self, user: User, **fields: object) -> httpx.Response:
        """Apply for a public account (unique name, an individual's culture account unless ``fields`` say)."""
        body = {
            "name": "公号" + uuid.uuid4().hex[:10],
            "kind": "individual",
            "category": "culture",
            "business_scope": "文化资讯",
            **fields,
        }
        return self.gw.post("/v1/identity/public-accounts", headers=user.auth, json=body)

    def decide_public_account(self, application_id: str, outcome: str = "approve") -> httpx.Response:
        """A senior reviewer decides an application (PA-7.1)."""
        if not hasattr(self, "_public_account_reviewer"):
            self._public_account_reviewer = self.staff("senior_reviewer")
        return self.gw.post(
            f"/v1/identity/staff/public-accounts/{application_id}/decision",
            headers=self._public_account_reviewer.auth,
            json={"outcome": outcome, "reason": "information, qualifications and scope reviewed"},
        )

    def acting_token(self, operator: User, public_account_id: str) -> httpx.Response:
        """An operator's acting token of a public account (``sub`` = it, ``act`` = the operator)."""
        return self.gw.post(f"/v1/identity/public-accounts/{public_account_id}/tokens", headers=operator.auth)

    def public_account(self, owner: User | None = None, **fields: object) -> PublicAccount:
        """An approved public account of ``owner`` (a new verified individual unless given), and the
        owner's acting token of it. ``fields`` go into the application (kind, category, name, ...)."""
        owner = owner or self.verified_user()
        applied = self.apply_public_account(owner, **fields)
        assert applied.status_code == 201, applied.text
        approved = self.decide_public_account(applied.json()["id"])
        assert approved.status_code == 200, approved.text
        public_id = approved.json()["public_account_id"]
        token = self.acting_token(owner, public_id)
        assert token.status_code == 201, token.text
        # Content learns the account from identity's PublicAccountApproved: its page answers once it has.
        poll(
            lambda: self.gw.get(f"/v1/public-accounts/{public_id}/articles").status_code == 200,
            what="content learned the public account",
        )
        return PublicAccount(public_id, owner, token.json()["access_token"], approved.json()["name"])

    def post(self, user: User, text: str) -> dict:
        created = self.gw.post("/v1/posts", headers=user.auth, json={"text": text})
        assert created.status_code == 201, created.text
        return created.json()

    def open_gate(self, feature_key: str, version: int | None = None) -> dict:
        """MB-13, PA-12.1: open a gated feature (contracts.features) the way the platform must: the chief
        editor files its security assessment with the national office, which acknowledges the filing with a
        receipt; the regulator gateway then announces it and the service offering the feature opens its
        gate (poll for that yourself). ``version``: the feature's current one when not given. An assessment
        of that version filed or in force already is reused. Returns the assessment as staff read it."""
        version = version or GatedFeature.of(feature_key).version
        chief = self.staff("chief_editor")
        filed = self.gw.post(
            "/v1/regulator/staff/assessments",
            headers=chief.auth,
            json={
                "feature": feature_key,
                "version": version,
                "level": "national",
                "summary": f"Security assessment of {feature_key} v{version}",
                "document": base64.b64encode(f"assessment report: {feature_key} v{version}".encode()).decode(),
            },
        )
        if filed.status_code == 409:
            listed = every_page(self.gw, "/v1/regulator/staff/assessments", chief.auth, feature=feature_key)
            [assessment] = [a for a in listed if a["version"] == version and a["status"] != "withdrawn"]
        else:
            assert filed.status_code == 201, filed.text
            assessment = filed.json()
        if assessment["status"] == "acknowledged":
            return assessment
        office = create_regulator_office(
            self.platform.database_urls["regulator-gateway"], name="National office", jurisdiction="national"
        )
        acknowledged = self.gw.put(
            f"/v1/regulator/filings/{assessment['filing_id']}/acknowledgement",
            headers={"Authorization": f"Bearer {office['api_key']}"},
            json={"receipt_number": f"GA-{uuid.uuid4().hex[:10]}"},
        )
        assert acknowledged.status_code == 200, acknowledged.text
        read = self.gw.get(f"/v1/regulator/staff/assessments/{assessment['id']}", headers=chief.auth)
        assert read.status_code == 200 and read.json()["status"] == "acknowledged", read.text
        return read.json()

    def close_gate(self, feature_key: str) -> None:
        """MB-13: close a gated feature again by withdrawing every assessment of it not yet withdrawn (the
        chief editor's withdrawal), so a test can show the refusal whatever earlier tests of the session's
        stack opened. The service offering the feature closes its gate when the withdrawal arrives (poll for
        that yourself)."""
        chief = self.staff("chief_editor")
        listed = every_page(self.gw, "/v1/regulator/staff/assessments", chief.auth, feature=feature_key)
        for assessment in (a for a in listed if a["status"] != "withdrawn"):
            withdrawn = self.gw.post(
                f"/v1/regulator/staff/assessments/{assessment['id']}/withdrawal",
                headers=chief.auth,
                json={"reason": "the test shows the feature refused until it is assessed"},
            )
            assert withdrawn.status_code == 200, withdrawn.text

    def complain(
        self, user: User, post_id: str, reason: str = Bj10Category.RUMOUR_DISTURBING_ORDER, **fields: str
    ) -> dict:
        """File a complaint about a post. Reporting knows a post moments after content accepted it (from
        its announcement, MB-14); until then the post is an unknown one."""

        def filed() -> httpx.Response | None:
            answer = self.gw.post(
                "/v1/complaints", headers=user.auth, json={"target_id": post_id, "reason": reason, **fields}
            )
            unknown = answer.status_code == 422 and answer.json().get("type", "").endswith("/unknown-post")
            return None if unknown else answer

        answer = poll(filed, what=f"a complaint about post {post_id}")
        assert answer.status_code == 201, answer.text
        return answer.json()


async def find_event(
    kafka: str, topic: str, subject: str, timeout_s: float = 30, ce_type: str | None = None
) -> ConsumerRecord:
    """Read a topic from the beginning (a fresh consumer group) until the event about ``subject``
    (of type ``ce_type``, when given)."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=kafka,
        group_id=f"test-{uuid.uuid4()}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        async with asyncio.timeout(timeout_s):
            while True:
                for records in (await consumer.getmany(timeout_ms=500)).values():
                    for record in records:
                        headers = dict(record.headers)
                        if headers.get("ce_subject") == subject.encode() and (
                            ce_type is None or headers.get("ce_type") == ce_type.encode()
                        ):
                            return record
    finally:
        await consumer.stop()


def expire_real_name(platform: StackInfo, user: User) -> None:
    """Move the user's verification expiry into the past (the passage of a year, for the test); identity's
    scan then announces it expired (MB-7.2)."""
    with psycopg.connect(platform.database_urls["identity"]) as conn:
        conn.execute(
            "UPDATE real_name_verification SET expires_at = now() - interval '1 second' WHERE account_id = %s",
            (user.id,),
        )


def confirmed_user(flow: Flow) -> User:
    """A registered user whose mobile number is confirmed, not yet verified."""
    user = flow.register()
    flow.confirm_phone(user)
    return user


def every_page(gw: httpx.Client, path: str, headers: dict[str, str], **params: object) -> list[dict]:
    """Every item of a list, following its cursor page after page (the one pagination style)."""
    items: list[dict] = []
    cursor = None
    while True:
        page = gw.get(path, headers=headers, params={**params, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        items += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if not cursor:
            return items


BEIJING = timezone(timedelta(hours=8))


def assert_quota_refusal(answer: httpx.Response) -> None:
    """MB-9: a daily publishing quota refused through the gateway keeps its problem and Retry-After — a
    403 ``quota-reached`` (Traefik replaces a service's 429), waiting until the next Beijing midnight."""
    assert answer.status_code == 403, answer.text
    problem = answer.json()
    assert problem["type"].endswith("/quota-reached") and problem["requirement"] == "MB-9", problem
    local = datetime.now(UTC).astimezone(BEIJING)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    left = (midnight - local).total_seconds()
    retry_after = int(answer.headers["Retry-After"])
    assert retry_after == problem["retry_after_s"] and left - 60 <= retry_after <= left + 1, (retry_after, left)


def register_rumour(
    gateway: httpx.Client, staff: Staff, text: str, refutation: str, authority: str, action: str
) -> httpx.Response:
    """A refuted rumour registered by staff (MB-11): "label" attaches the refutation, "stop" stops
    transmission of posts spreading it, those published already included (the retro-scan)."""
    return gateway.post(
        "/v1/moderation/rumours",
        headers=staff.auth,
        json={
            "canonical_text": text,
            "refutation_text": refutation,
            "refutation_url": f"https://example.gov.cn/piyao/{uuid.uuid4().hex[:8]}",
            "authority": authority,
            "action": action,
            "reason": "refuted by the competent authority",
        },
    )


def evaluated_change(gw: httpx.Client, headers: dict[str, str], change_id: str, timeout_s: float = 180) -> dict:
    """A proposed lexicon change once the lexicon it would produce has been evaluated (issue 16: the chief editor
    approves it only then, MB-6.1); a change of another kind at once."""

    def ready() -> dict | None:
        change = gw.get(f"/v1/moderation/policy-changes/{change_id}", headers=headers, timeout=60).json()
        evaluation = change.get("evaluation")
        return change if change["kind"] != "lexicon" or (evaluation and evaluation["status"] != "pending") else None

    return poll(ready, timeout_s=timeout_s, interval_s=0.2, what=f"the evaluation of policy change {change_id}")


def regulator_reports(gw: httpx.Client, headers: dict[str, str]) -> list[dict]:
    """Every report an office sees (oldest first, 1,000 a page): a long test run files more than one page."""
    return every_page(gw, "/v1/regulator/reports", headers, limit=1000)


def reports_for_post(gw: httpx.Client, key: dict[str, str], post_id: str) -> list[dict]:
    """The regulator's reports about one post, repost or comment (MB-12.2)."""
    return [r for r in regulator_reports(gw, key) if r["post_id"] == post_id]


def regulator_filings(gw: httpx.Client, headers: dict[str, str], kind: str) -> list[dict]:
    """Every filing of a kind an office sees, page after page."""
    return every_page(gw, "/v1/regulator/filings", headers, kind=kind, limit=1000)
