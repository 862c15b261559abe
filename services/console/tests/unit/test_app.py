"""The console's app without a stack: its pages, vocabulary, health and headers (issue 14, slice C)."""

from __future__ import annotations

import re

import pytest
from console.headers import CONTENT_SECURITY_POLICY, security_headers
from console.main import STATIC, build_app
from console.vocabulary import PAGES, vocabulary
from contracts.categories import Bj10Category
from contracts.claims import AccessClaims, TokenKind
from contracts.staff import STAFF_AUDITORS, StaffRole
from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(build_app())


def test_the_pages_health_and_vocabulary_are_served(client: TestClient) -> None:
    for path in ("/healthz", "/readyz", "/console/healthz", "/console/", "/console/app.js", "/console/vocabulary.json"):
        assert client.get(path).status_code == 200, path
    assert client.get("/console/app.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/console", follow_redirects=False).headers["location"] == "/console/"


def test_a_missing_file_is_a_404_problem_with_the_headers(client: TestClient) -> None:
    answer = client.get("/console/nothing.js")
    assert answer.status_code == 404 and answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


def test_the_policy_lets_the_page_run_only_its_own_code() -> None:
    policy = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == policy["style-src"] == policy["connect-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["base-uri"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY
    headers = security_headers()
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["Referrer-Policy"] == "no-referrer"
    assert "Strict-Transport-Security" not in headers
    assert security_headers(31536000)["Strict-Transport-Security"].startswith("max-age=31536000")


def test_no_page_holds_inline_script_or_style() -> None:
    """The policy forbids inline code, so none is written (it would silently not run)."""
    html = (STATIC / "index.html").read_text()
    assert "<script>" not in html and "<style" not in html and not re.search(r"\son[a-z]+=", html)
    for module in STATIC.glob("*.js"):
        assert "innerHTML" not in module.read_text(), f"{module.name} writes markup (staff read hostile content)"


def test_the_vocabulary_is_the_contracts() -> None:
    words = vocabulary()
    assert words["roles"] == [str(r) for r in StaffRole]
    assert [c["code"] for c in words["categories"]] == [str(c) for c in Bj10Category]
    assert words["categories"][5]["requirement"] == "BJ-10(6)"
    claims = AccessClaims(subject="x", kind=TokenKind.STAFF, roles=(StaffRole.AUDITOR,), name="a").to_claims()
    names = words["claims"]
    assert claims[names["roles"]] == ["auditor"] and claims[names["name"]] == "a"
    assert claims[names["kind"]] == names["staff_kind"]
    assert set(words["pages"]["audit"]) == {str(r) for r in STAFF_AUDITORS}
    assert StaffRole.REVIEWER in PAGES["queue"] and StaffRole.AUDITOR not in PAGES["queue"]
