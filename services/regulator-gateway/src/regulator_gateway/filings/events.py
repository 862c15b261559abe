"""Identity's announcements that are filed with the regulator, as filings. The only module of filings
that maps between protobuf and the domain."""

from __future__ import annotations

import json
import uuid

from contracts import identity
from kit.cloudevents import Event
from qinglang.identity.v1 import account_pb2, public_account_pb2, standing_pb2

from regulator_gateway.filings.domain import FilingKind, NewFiling

# Read: identity's announcements that are filed.
SUBJECT_BLACKLISTED = identity.SUBJECT_BLACKLISTED
VERIFIED_ACCOUNT_APPROVED = identity.VERIFIED_ACCOUNT_APPROVED
OPERATOR_DECLARED = identity.OPERATOR_DECLARED
GRADING_RULES_PUBLISHED = identity.GRADING_RULES_PUBLISHED
PUBLIC_ACCOUNT_APPROVED = identity.PUBLIC_ACCOUNT_APPROVED


def _filing(event: Event, kind: FilingKind, account_id: str, province: str, basis, details: dict) -> NewFiling:
    return NewFiling(
        event_id=event.id,
        kind=kind,
        account_id=uuid.UUID(account_id) if account_id else None,
        province_code=province or None,
        legal_basis=list(basis),
        details=details,
    )


def blacklisting(event: Event) -> NewFiling:
    """PA-13.2: a subject blacklisted, filed with the office of its province."""
    listed: standing_pb2.SubjectBlacklisted = event.message
    details = {
        "blacklist_id": listed.blacklist_id,
        "reason": listed.reason,
        "listed_at": listed.listed_at.ToDatetime().isoformat() + "Z",
    }
    return _filing(event, FilingKind.BLACKLIST, listed.account_id, listed.province_code, listed.legal_basis, details)


def verified_account(event: Event) -> NewFiling:
    """MB-10.1: a verified account, filed with the office of its registration place."""
    approved: account_pb2.VerifiedAccountApproved = event.message
    details = {
        "verified_type": approved.verified_type,
        # MB-7.3: the name the account shows; the name on the proof is never filed in plaintext.
        "display_name": approved.display_name,
        "approved_at": approved.approved_at.ToDatetime().isoformat() + "Z",
        "proof_sha256": list(approved.proof_sha256),
    }
    return _filing(
        event,
        FilingKind.VERIFIED_ACCOUNT,
        approved.account_id,
        approved.province_code,
        approved.legal_basis,
        details,
    )


def operator(event: Event) -> NewFiling:
    """PA-7.3: an operator of many public accounts, filed with the office of its province."""
    declared: standing_pb2.OperatorDeclared = event.message
    details = {
        "registrant": declared.registrant,
        "business_scope": declared.business_scope,
        "accounts": list(declared.account_ids),
    }
    return _filing(
        event,
        FilingKind.MULTI_ACCOUNT_OPERATOR,
        declared.account_id,
        declared.province_code,
        declared.legal_basis,
        details,
    )


def grading_rules(event: Event) -> NewFiling:
    """MB-9: the grading rules, filed nationally."""
    published: standing_pb2.GradingRulesPublished = event.message
    details = {"version": published.version, "rules": json.loads(published.rules_json)}
    return _filing(event, FilingKind.GRADING_RULES, "", "", published.legal_basis, details)


def public_account(event: Event) -> NewFiling:
    """PA-7.1: an approved public account, filed with the office of its province: what it is (name, kind and
    its label, category, business scope, qualifications), no personal data (not its owner, not the reviewer)."""
    approved: public_account_pb2.PublicAccountApproved = event.message
    details = {
        "name": approved.name,
        "kind": approved.kind,
        "label": approved.label,
        "category": approved.category,
        "business_scope": approved.business_scope,
        "qualifications": [{"kind": q.kind, "number": q.number} for q in approved.qualifications],
        "approved_at": approved.approved_at.ToDatetime().isoformat() + "Z",
    }
    return _filing(
        event,
        FilingKind.PUBLIC_ACCOUNT,
        approved.public_account_id,
        approved.province_code,
        approved.legal_basis or ["PA-7.1"],
        details,
    )
