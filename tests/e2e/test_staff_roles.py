"""Which staff role may call which staff route, of every service (MB-6.1, MB-7.3, PA-9.1, BJ-7(6)).

The matrix below is the policy, written down: one row per staff route, the roles admitted. The staff
routes are read from the services' OpenAPI documents through the gateway (operations secured by the
`StaffToken` scheme, `kit.auth.staff_with`), so a new staff route without a row fails here. Each role
signs in as its own staff account and calls each route: a role outside the row gets 403, a role in it
anything else (its request is deliberately empty or names nothing that exists, so nothing changes).
"""

from __future__ import annotations

import uuid

import httpx
import pytest
from journeys import Flow, Staff

REVIEWER, SENIOR, CHIEF, OPERATOR, AUDITOR = "reviewer", "senior_reviewer", "chief_editor", "operator", "auditor"
ROLES = (REVIEWER, SENIOR, CHIEF, OPERATOR, AUDITOR)
SERVICES = ("identity", "content", "moderation", "reporting", "regulator")
AUDIT = {AUDITOR, CHIEF}
REVIEWERS = {REVIEWER, SENIOR, CHIEF}

MATRIX: dict[tuple[str, str], set[str]] = {
    # identity
    ("POST", "/v1/identity/agreements"): {OPERATOR, CHIEF},
    ("GET", "/v1/identity/staff/accounts/{account_id}/standing"): {REVIEWER, SENIOR, CHIEF, OPERATOR},
    ("POST", "/v1/identity/staff/credit-entries/{entry_id}/reversal"): {SENIOR, CHIEF},
    ("GET", "/v1/identity/staff/accounts/{account_id}/personal-data"): {OPERATOR, CHIEF},  # PA-9.1
    ("GET", "/v1/identity/staff/verified-applications"): {SENIOR, CHIEF, OPERATOR},  # MB-8
    ("POST", "/v1/identity/staff/verified-applications/{application_id}/decision"): {SENIOR, CHIEF, OPERATOR},
    ("POST", "/v1/identity/grading-rules"): {CHIEF},
    ("POST", "/v1/identity/staff/api-clients"): {OPERATOR, CHIEF},  # BJ-7(6)
    ("GET", "/v1/identity/staff/api-clients"): {OPERATOR, CHIEF},
    ("POST", "/v1/identity/staff/api-clients/{client_id}/revocation"): {OPERATOR, CHIEF},
    ("GET", "/v1/identity/staff-actions"): AUDIT,
    # identity: public accounts (issue 13, PA-7.1)
    ("GET", "/v1/identity/staff/public-accounts"): {SENIOR, CHIEF, OPERATOR},
    ("POST", "/v1/identity/staff/public-accounts/{application_id}/decision"): {SENIOR, CHIEF, OPERATOR},
    # identity: the news licence registry (issue 13, MB-4, PA-8)
    ("POST", "/v1/identity/staff/news-licences"): {OPERATOR, CHIEF},
    ("GET", "/v1/identity/staff/news-licences"): {OPERATOR, CHIEF, AUDITOR},
    ("GET", "/v1/identity/staff/news-licences/{licence_id}"): {OPERATOR, CHIEF, AUDITOR},
    ("POST", "/v1/identity/staff/news-licences/{licence_id}/revocation"): {OPERATOR, CHIEF},
    # identity: bulk registration cohorts (issue 13, CM, BJ-9.2)
    ("GET", "/v1/identity/staff/registration-cohorts"): {REVIEWER, SENIOR, CHIEF, OPERATOR, AUDITOR},
    ("POST", "/v1/identity/staff/registration-cohorts/{cohort_id}/clearance"): {SENIOR, CHIEF, OPERATOR},
    # identity: manual sanctions, appeals, V proof files, staff accounts (issue 14; PA-13, PA-6.2, MB-7.3, MB-6.1).
    # A sanction's route admits every reviewer (a warning); the ladder by kind is checked within (403 naming it).
    ("POST", "/v1/identity/staff/accounts/{account_id}/sanctions"): REVIEWERS,
    ("POST", "/v1/identity/staff/sanctions/{sanction_id}/lift"): {SENIOR, CHIEF},
    ("GET", "/v1/identity/staff/appeals"): {SENIOR, CHIEF},
    ("POST", "/v1/identity/staff/appeals/{appeal_id}/decision"): {SENIOR, CHIEF},
    ("GET", "/v1/identity/staff/verified-applications/{application_id}/proofs/{n}"): {SENIOR, CHIEF, OPERATOR},
    ("GET", "/v1/identity/staff/proof-accesses"): AUDIT,
    ("GET", "/v1/identity/staff/members"): {OPERATOR},
    ("POST", "/v1/identity/staff/members/{staff_id}/disable"): {OPERATOR},
    ("POST", "/v1/identity/staff/members/{staff_id}/enable"): {OPERATOR},
    ("PUT", "/v1/identity/staff/members/{staff_id}/roles"): {OPERATOR},
    # identity: the regrading's job (issue 14, slice P; MB-9)
    ("GET", "/v1/identity/staff/jobs"): {REVIEWER, SENIOR, CHIEF, OPERATOR, AUDITOR},
    ("GET", "/v1/identity/staff/jobs/{job_id}"): {REVIEWER, SENIOR, CHIEF, OPERATOR, AUDITOR},
    # content
    ("GET", "/v1/content/staff-actions"): AUDIT,
    ("POST", "/v1/content/staff/feature-restrictions"): {SENIOR, CHIEF, OPERATOR},  # PA-12.2
    ("GET", "/v1/content/staff/feature-restrictions"): {REVIEWER, SENIOR, CHIEF, OPERATOR, AUDITOR},
    ("POST", "/v1/content/staff/feature-restrictions/{restriction_id}/lift"): {SENIOR, CHIEF, OPERATOR},
    # content: the trending list (S4, issue 13; CM, MB-12.2)
    ("GET", "/v1/content/staff/trending"): {REVIEWER, SENIOR, CHIEF, OPERATOR},
    ("POST", "/v1/content/staff/trending/removals"): {SENIOR, CHIEF, OPERATOR},
    ("POST", "/v1/content/staff/trending/removals/{removal_id}/lift"): {SENIOR, CHIEF, OPERATOR},
    ("GET", "/v1/content/staff/trending/removals"): {SENIOR, CHIEF, OPERATOR, AUDITOR},
    ("GET", "/v1/content/staff/articles/{article_id}/reads"): {SENIOR, CHIEF, OPERATOR, AUDITOR},  # MB-9, CM
    # moderation
    ("POST", "/v1/moderation/scan"): REVIEWERS,
    ("POST", "/v1/moderation/policy-changes"): {REVIEWER, SENIOR, CHIEF, OPERATOR},
    ("GET", "/v1/moderation/policy-changes"): {REVIEWER, SENIOR, CHIEF, OPERATOR, AUDITOR},
    ("GET", "/v1/moderation/policy-changes/{change_id}"): {REVIEWER, SENIOR, CHIEF, OPERATOR, AUDITOR},
    ("POST", "/v1/moderation/policy-changes/{change_id}/decision"): {CHIEF},
    ("GET", "/v1/moderation/lexicon/entries"): {REVIEWER, SENIOR, CHIEF, OPERATOR},
    ("POST", "/v1/moderation/rumours"): {SENIOR, CHIEF},
    ("GET", "/v1/moderation/rumours"): REVIEWERS,
    ("GET", "/v1/moderation/rumours/{rumour_id}"): REVIEWERS,
    ("POST", "/v1/moderation/emergencies"): {SENIOR, CHIEF, OPERATOR},
    ("POST", "/v1/moderation/emergencies/{emergency_id}/end"): {SENIOR, CHIEF, OPERATOR},
    ("GET", "/v1/moderation/emergencies"): {SENIOR, CHIEF, OPERATOR},
    ("GET", "/v1/moderation/reviews"): REVIEWERS,
    ("POST", "/v1/moderation/reviews/{decision_id}"): REVIEWERS,
    ("GET", "/v1/moderation/staff-actions"): AUDIT,
    # moderation: review queues, takedown and restore (issue 14; MB-6.1, MB-14, PA-5.1, MB-12.2)
    ("GET", "/v1/moderation/review-items"): REVIEWERS | {AUDITOR},
    ("GET", "/v1/moderation/review-items/{item_id}"): REVIEWERS | {AUDITOR},
    ("GET", "/v1/moderation/review-statistics"): REVIEWERS | {AUDITOR},
    ("POST", "/v1/moderation/review-items/{item_id}/claim"): REVIEWERS,
    ("POST", "/v1/moderation/review-items/{item_id}/release"): REVIEWERS,
    ("POST", "/v1/moderation/review-items/{item_id}/assignment"): {SENIOR, CHIEF},
    ("POST", "/v1/moderation/review-items/{item_id}/escalation"): REVIEWERS,
    ("POST", "/v1/moderation/review-items/{item_id}/notes"): REVIEWERS,
    ("POST", "/v1/moderation/review-items/{item_id}/decision"): REVIEWERS,
    ("POST", "/v1/moderation/posts/{post_id}/takedown"): REVIEWERS,
    ("POST", "/v1/moderation/posts/{post_id}/restoration"): {SENIOR, CHIEF},
    # moderation: long jobs, rumour withdrawal and escalation, the lexicon as TSV (issue 14, slice P)
    ("GET", "/v1/moderation/jobs"): {REVIEWER, SENIOR, CHIEF, OPERATOR, AUDITOR},
    ("GET", "/v1/moderation/jobs/{job_id}"): {REVIEWER, SENIOR, CHIEF, OPERATOR, AUDITOR},
    ("POST", "/v1/moderation/rumours/{rumour_id}/withdrawal"): {CHIEF},  # MB-6.1, MB-11
    ("POST", "/v1/moderation/rumours/{rumour_id}/escalation"): {CHIEF},
    ("GET", "/v1/moderation/lexicon/entries.tsv"): REVIEWERS,  # MB-12
    ("POST", "/v1/moderation/lexicon-imports"): {REVIEWER, SENIOR, CHIEF, OPERATOR},
    ("GET", "/v1/moderation/lexicon-imports/{import_id}"): {REVIEWER, SENIOR, CHIEF, OPERATOR},
    ("PUT", "/v1/moderation/lexicon-imports/{import_id}/parts/{n}"): {REVIEWER, SENIOR, CHIEF, OPERATOR},
    ("POST", "/v1/moderation/lexicon-imports/{import_id}/completion"): {REVIEWER, SENIOR, CHIEF, OPERATOR},
    # reporting
    ("POST", "/v1/reporting/staff/complaints/{complaint_id}/outcome"): REVIEWERS,  # MB-14
    # reporting: complaint cases and handling statistics (issue 14; MB-14, PA-15.2), auditors read-only
    ("GET", "/v1/reporting/staff/cases"): REVIEWERS | {AUDITOR},
    ("GET", "/v1/reporting/staff/cases/{case_id}"): REVIEWERS | {AUDITOR},
    ("GET", "/v1/reporting/staff/statistics"): REVIEWERS | {AUDITOR},
    ("GET", "/v1/reporting/staff-actions"): AUDIT,
    # regulator gateway
    ("GET", "/v1/regulator/staff-actions"): AUDIT,
    ("GET", "/v1/regulator/staff/accesses"): AUDIT,  # issue 15: every office's access record (MB-16.1)
    ("GET", "/v1/regulator/staff/deliveries"): AUDIT | {OPERATOR},  # issue 15: pushes to offices, escalations
    ("POST", "/v1/regulator/staff/referrals"): {CHIEF},  # issue 15: a suspected crime referred (BJ-7(8), MB-6.1)
    ("POST", "/v1/regulator/staff/assessments"): {CHIEF},  # MB-13, PA-12.1
    ("GET", "/v1/regulator/staff/assessments"): {CHIEF, OPERATOR, AUDITOR},
    ("GET", "/v1/regulator/staff/assessments/{assessment_id}"): {CHIEF, OPERATOR, AUDITOR},
    ("POST", "/v1/regulator/staff/assessments/{assessment_id}/withdrawal"): {CHIEF},
    ("GET", "/v1/regulator/staff/archive/verification"): {AUDITOR, OPERATOR, CHIEF},  # MB-16.2
}


def _staff_routes(gateway: httpx.Client) -> dict[tuple[str, str], dict]:
    """Every operation of every service secured by the staff scheme, from its OpenAPI document."""
    routes = {}
    for service in SERVICES:
        spec = gateway.get(f"/v1/{service}/openapi.json")
        assert spec.status_code == 200, spec.text
        for path, operations in spec.json()["paths"].items():
            for method, operation in operations.items():
                if any("StaffToken" in requirement for requirement in operation.get("security", [])):
                    routes[(method.upper(), path)] = operation
    return routes


def _url(path: str, operation: dict) -> str:
    """The path with each parameter filled by a value of its type that names nothing."""
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            value = "987654321" if parameter["schema"].get("type") == "integer" else str(uuid.uuid4())
            path = path.replace("{" + parameter["name"] + "}", value)
    return path


@pytest.fixture(scope="module")
def routes(gateway: httpx.Client) -> dict[tuple[str, str], dict]:
    return _staff_routes(gateway)


@pytest.mark.requirement("MB-6.1")
def test_every_staff_route_has_a_row_and_documents_its_roles(routes: dict[tuple[str, str], dict]) -> None:
    assert not set(routes) - set(MATRIX), "staff routes without a row in the matrix"
    assert not set(MATRIX) - set(routes), "rows for routes no service has (or that are not staff routes)"
    for route, operation in routes.items():
        [documented] = [r["StaffToken"] for r in operation["security"] if "StaffToken" in r]
        assert set(documented) == MATRIX[route], route


@pytest.mark.requirement("MB-6.1")
@pytest.mark.requirement("MB-7.3")
@pytest.mark.requirement("PA-9.1")
@pytest.mark.requirement("BJ-7(6)")
def test_each_role_reaches_exactly_the_staff_routes_of_its_row(
    flow: Flow, gateway: httpx.Client, routes: dict[tuple[str, str], dict]
) -> None:
    staff: dict[str, Staff] = {role: flow.staff(role) for role in ROLES}
    wrong = []
    for (method, path), admitted in MATRIX.items():
        url = _url(path, routes.get((method, path), {}))
        for role in ROLES:
            body = {"json": {}} if method in ("POST", "PUT", "PATCH") else {}
            answer = gateway.request(method, url, headers=staff[role].auth, **body)
            if (answer.status_code == 403) == (role in admitted):
                wrong.append(f"{role} {method} {path}: {answer.status_code} {answer.text[:120]}")
    assert not wrong, "\n".join(wrong)
