"""Identity's announcements read as filings: the office, the basis and the details each carries."""

from __future__ import annotations

import json
import uuid

import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from kit.cloudevents import Event
from qinglang.identity.v1 import account_pb2, public_account_pb2, standing_pb2
from regulator_gateway.filings import events
from regulator_gateway.filings.domain import FilingKind


def event(message) -> Event:
    return Event(
        id=str(uuid.uuid4()),
        type="test",
        source="/test",
        subject=None,
        time=None,
        data=message.SerializeToString(),
        key=None,
        traceparent=None,
        message=message,
    )


@pytest.mark.requirement("MB-10.1")
@pytest.mark.requirement("MB-7.3")
def test_a_verified_account_is_filed_in_its_province_with_the_name_it_shows() -> None:
    account = uuid.uuid4()
    approved = account_pb2.VerifiedAccountApproved(
        account_id=str(account),
        verified_type="enterprise",
        display_name="深圳市青朗科技有限公司",
        province_code="440000",
        legal_basis=["MB-10.1"],
        proof_sha256=["ab" * 32],
        approved_at=Timestamp(seconds=1_700_000_000),
    )
    announced = event(approved)
    filing = events.verified_account(announced)
    assert (filing.event_id, filing.kind, filing.account_id, filing.province_code) == (
        announced.id,
        FilingKind.VERIFIED_ACCOUNT,
        account,
        "440000",
    )
    assert filing.details["display_name"] == "深圳市青朗科技有限公司" and "verified_name" not in filing.details
    assert filing.details["approved_at"] == "2023-11-14T22:13:20Z" and filing.legal_basis == ["MB-10.1"]


@pytest.mark.requirement("MB-9")
def test_grading_rules_are_filed_nationally() -> None:
    rules = {"rules": [{"grade": 1}]}
    filing = events.grading_rules(
        event(standing_pb2.GradingRulesPublished(version=3, rules_json=json.dumps(rules), legal_basis=["MB-9"]))
    )
    assert filing.kind == FilingKind.GRADING_RULES and filing.account_id is None and filing.province_code is None
    assert filing.details == {"version": 3, "rules": rules}


@pytest.mark.requirement("PA-13.2")
def test_a_blacklisting_and_an_operator_are_filed_in_their_province() -> None:
    account = uuid.uuid4()
    listed = events.blacklisting(
        event(standing_pb2.SubjectBlacklisted(account_id=str(account), province_code="110000", reason="fraud"))
    )
    assert (listed.kind, listed.account_id, listed.province_code) == (FilingKind.BLACKLIST, account, "110000")
    declared = events.operator(
        event(standing_pb2.OperatorDeclared(account_id=str(account), account_ids=["a", "b"], registrant="某公司"))
    )
    assert declared.kind == FilingKind.MULTI_ACCOUNT_OPERATOR and declared.province_code is None
    assert declared.details["accounts"] == ["a", "b"]


@pytest.mark.requirement("PA-7.1")
def test_a_public_account_is_filed_in_its_province_without_personal_data() -> None:
    account, owner = uuid.uuid4(), uuid.uuid4()
    approved = public_account_pb2.PublicAccountApproved(
        public_account_id=str(account),
        owner_account_id=str(owner),
        name="青朗日报",
        kind="media",
        label="媒体",
        category="news",
        business_scope="新闻资讯",
        qualifications=[public_account_pb2.Qualification(kind="news_licence", number="10120170001")],
        province_code="110000",
        approved_at=Timestamp(seconds=1_700_000_000),
        reviewed_by=str(uuid.uuid4()),
        legal_basis=["PA-7.1"],
    )
    filing = events.public_account(event(approved))
    assert filing.kind is FilingKind.PUBLIC_ACCOUNT
    assert (filing.account_id, filing.province_code, filing.legal_basis) == (account, "110000", ["PA-7.1"])
    assert filing.details["label"] == "媒体" and filing.details["category"] == "news"
    assert filing.details["qualifications"] == [{"kind": "news_licence", "number": "10120170001"}]
    written = json.dumps(filing.details, ensure_ascii=False)
    assert str(owner) not in written and approved.reviewed_by not in written
