"""The news licence registry (MB-4, PA-8), identity's part, through the gateway: staff record licences with
sealed evidence and revoke them, every account of the holder subject learns each change (NewsLicenceChanged),
and a public account's registration may cite only a licence of its subject in force."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import uuid
from datetime import date, timedelta

import pytest
from contracts import identity
from devstack.stack import StackInfo
from journeys import Flow, credit_code, find_event
from qinglang.identity.v1 import public_account_pb2

SCAN = b"%PDF-1.4 internet news information service licence (test)"


def licence_body(holder: str, **fields: object) -> dict:
    today = date.today()
    return {
        "number": f"1012{uuid.uuid4().int % 10**7:07d}",
        "holder_account_id": holder,
        "scopes": ["original", "repost"],
        "valid_from": (today - timedelta(days=30)).isoformat(),
        "valid_until": (today + timedelta(days=365)).isoformat(),
        "evidence": [
            {
                "filename": "licence.pdf",
                "content_type": "application/pdf",
                "content_base64": base64.b64encode(SCAN).decode(),
            }
        ],
        **fields,
    }


def changed_for(platform: StackInfo, account_id: str) -> public_account_pb2.NewsLicenceChanged:
    record = asyncio.run(
        find_event(
            platform.kafka_bootstrap_servers,
            identity.ACCOUNT_TOPIC.name,
            account_id,
            ce_type=identity.NEWS_LICENCE_CHANGED.name,
        )
    )
    return public_account_pb2.NewsLicenceChanged.FromString(record.value)


@pytest.mark.requirement("MB-4")
@pytest.mark.requirement("PA-8")
def test_staff_record_a_licence_with_evidence_and_the_holder_subject_learns_it(flow: Flow, platform: StackInfo) -> None:
    number = credit_code("110105")
    newsroom, sister = (
        flow.organization("某某新闻网络有限公司", number),
        flow.organization("某某新闻网络有限公司", number),
    )
    operator, auditor, reviewer = flow.staff("operator"), flow.staff("auditor"), flow.staff("reviewer")
    path = "/v1/identity/staff/news-licences"
    body = licence_body(newsroom.id)
    assert flow.gw.post(path, headers=reviewer.auth, json=body).status_code == 403
    assert flow.gw.post(path, headers=auditor.auth, json=body).status_code == 403
    reversed_dates = {**body, "valid_from": body["valid_until"], "valid_until": body["valid_from"]}
    assert flow.gw.post(path, headers=operator.auth, json=reversed_dates).status_code == 422
    unverified = flow.gw.post(path, headers=operator.auth, json=licence_body(flow.register().id))
    assert unverified.status_code == 422 and unverified.json()["requirement"] == "MB-7.1"

    recorded = flow.gw.post(path, headers=operator.auth, json=body)
    assert recorded.status_code == 201, recorded.text
    licence = recorded.json()
    assert licence["evidence"][0]["sha256"] == hashlib.sha256(SCAN).hexdigest() and licence["version"] == 1
    again = flow.gw.post(path, headers=operator.auth, json=licence_body(sister.id, number=body["number"]))
    assert again.status_code == 409 and again.json()["type"].endswith("/number-taken")
    listed = flow.gw.get(path, headers=auditor.auth, params={"limit": 500}).json()["items"]
    assert licence["id"] in [x["id"] for x in listed]

    # Every account of the holder subject learns it: the holder and the subject's other account.
    for account in (newsroom, sister):
        told = changed_for(platform, account.id)
        assert told.licence_id == licence["id"] and told.number == body["number"]
        assert sorted(told.scopes) == ["original", "repost"] and told.valid_until == body["valid_until"]

    revoked = flow.gw.post(
        f"{path}/{licence['id']}/revocation", headers=operator.auth, json={"reason": "许可证已被吊销"}
    )
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] and revoked.json()["version"] == 2
    twice = flow.gw.post(f"{path}/{licence['id']}/revocation", headers=operator.auth, json={"reason": "again"})
    assert twice.status_code == 409


@pytest.mark.requirement("PA-8")
def test_a_registration_may_cite_only_a_licence_of_its_subject_in_force(flow: Flow, platform: StackInfo) -> None:
    newsroom = flow.organization("某某报业传媒有限公司")
    other = flow.organization("另一家报业有限公司")
    operator = flow.staff("operator")
    ours = flow.gw.post("/v1/identity/staff/news-licences", headers=operator.auth, json=licence_body(newsroom.id))
    theirs = flow.gw.post("/v1/identity/staff/news-licences", headers=operator.auth, json=licence_body(other.id))
    assert ours.status_code == 201 and theirs.status_code == 201
    lapsed = licence_body(
        newsroom.id,
        valid_from=(date.today() - timedelta(days=400)).isoformat(),
        valid_until=(date.today() - timedelta(days=2)).isoformat(),
    )
    lapsed_number = flow.gw.post("/v1/identity/staff/news-licences", headers=operator.auth, json=lapsed).json()[
        "number"
    ]

    def apply(number: str):
        return flow.apply_public_account(
            newsroom,
            kind="enterprise",
            category="news",
            qualifications=[{"kind": "news_licence", "number": number}],
        )

    for number in ("10129999999", theirs.json()["number"], lapsed_number):
        refused = apply(number)
        assert refused.status_code == 422, refused.text
        assert refused.json()["type"].endswith("/unknown-licence") and refused.json()["requirement"] == "PA-8"
    applied = apply(ours.json()["number"])
    assert applied.status_code == 201, applied.text
    assert applied.json()["qualifications"] == [{"kind": "news_licence", "number": ours.json()["number"]}]
    approved = flow.decide_public_account(applied.json()["id"])
    assert approved.status_code == 200, approved.text
    # The public account is an account of the subject: it learns the subject's licences on approval.
    told = changed_for(platform, approved.json()["public_account_id"])
    assert told.number in (ours.json()["number"], lapsed_number)
