"""The staff console (issue 14, slice C) in a real browser: Debian's Chromium driven by Playwright, through
the real gateway of the session's stack, calling the same public and staff APIs as every client.

Chromium is Debian's (`make test` installs the package when missing); Playwright never downloads a browser.
Screenshots of the main pages go to $CONSOLE_SCREENSHOTS_DIR when set (`make screenshots`: docs/console/).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from devstack.cli import create_staff
from devstack.stack import StackInfo
from devstack.testing import poll
from journeys import Flow, User
from playwright.sync_api import BrowserContext, Page, expect, sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HELD_TERM = "内部消息称"  # the sample lexicon holds it for review (MB-6.1)


def chromium_path() -> str:
    found = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if found is None:
        pytest.fail("Debian's chromium is not installed: `make test` installs it (apt-get install chromium)")
    return found


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    """A headless Chromium with a fresh profile of its own."""
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=chromium_path(),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1360, "height": 900},
            locale="zh-CN",
        )
        context.set_default_timeout(20_000)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser: BrowserContext) -> Iterator[Page]:
    """A new tab: its own sessionStorage, so nobody is signed in. Any script error on the page fails the test."""
    tab = browser.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield tab
    finally:
        tab.close()
    assert not errors, errors


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wanted = os.environ.get("CONSOLE_SCREENSHOTS_DIR")
    folder = Path(wanted) if wanted else tmp_path_factory.mktemp("console-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass
class Member:
    """A staff account (identity's operator command), not yet signed in anywhere."""

    username: str
    password: str
    actor: str  # how the services' records name it: staff:<id>


def staff_member(flow: Flow, *roles: str) -> Member:
    username = "c" + uuid.uuid4().hex[:12]
    created = create_staff(flow.platform.database_urls["identity"], username=username, roles=list(roles))
    return Member(username, created["password"], f"staff:{created['id']}")


def sign_in(page: Page, platform: StackInfo, member: Member) -> None:
    page.goto(f"{platform.gateway_url}/console/")
    page.fill("#username", member.username)
    page.fill("#password", member.password)
    page.click("#sign-in")
    expect(page.locator("#staff-name")).to_have_text(member.username)


def held_post(gateway: httpx.Client, flow: Flow, author: User, text: str) -> dict:
    post = flow.post(author, text)

    def held() -> bool:
        answer = gateway.get(f"/v1/moderation/posts/{post['id']}/decision", headers=author.auth)
        return answer.status_code == 200 and answer.json()["outcome"] == "hold_for_review"

    poll(held, what="the post held for review")
    return post


@pytest.mark.requirement("MB-6.1")
@pytest.mark.requirement("MB-12.2")
def test_a_reviewer_stops_a_held_post_from_the_console_and_the_author_gets_451(
    page: Page, flow: Flow, gateway: httpx.Client, platform: StackInfo, shots: Path
) -> None:
    """MB-6.1: a reviewer signs in to the console, opens a held post from the queue (the matched span
    highlighted at the engine's code-point offsets, after characters outside the BMP and hostile markup shown
    as text), stops it with a category and a reason (refused without one), and the post is then 451."""
    author = flow.verified_user()
    text = f"😀𠀋<b>粗</b><img src=x onerror=window.pwned=1>据{HELD_TERM}明天放假 {uuid.uuid4().hex[:6]}"
    post = held_post(gateway, flow, author, text)
    reviewer = staff_member(flow, "reviewer")

    sign_in(page, platform, reviewer)
    expect(page.locator("#staff-roles")).to_have_text("reviewer")
    # The nav offers the pages a reviewer's roles open, not the auditors' trail.
    expect(page.locator("#nav a[data-page=queue]")).to_be_visible()
    expect(page.locator("#nav a[data-page=audit]")).to_have_count(0)

    page.goto(f"{platform.gateway_url}/console/#/queue")
    opener = page.locator(f"a[data-post='{post['id']}']")
    expect(opener).to_be_visible()
    page.screenshot(path=str(shots / "queue.png"), full_page=True)
    opener.click()

    content = page.locator("#case-text")
    expect(content).to_contain_text("<b>粗</b><img src=x onerror=window.pwned=1>")  # shown as text
    assert content.locator("b, img").count() == 0
    assert page.evaluate("window.pwned") is None
    # The engine's offsets count code points; 😀 and 𠀋 are two UTF-16 units each: the mark is the term itself.
    expect(content.locator("mark")).to_have_text(HELD_TERM)
    expect(page.locator("#standing")).to_contain_text("Credit")
    expect(page.locator("#history")).to_contain_text("hold_for_review")
    page.screenshot(path=str(shots / "case.png"), full_page=True)

    # No reason, no decision: the form is not sent (the service would refuse it as well, MB-12.2).
    stop = page.locator("#stop-form")
    stop.locator("select[name=category]").select_option("bj10.rumour_disturbing_order")
    stop.locator("button[type=submit]").click()
    assert stop.locator("textarea[name=reason]").evaluate("node => node.validity.valueMissing")
    answer = gateway.get(f"/v1/moderation/posts/{post['id']}/decision", headers=author.auth)
    assert answer.json()["outcome"] == "hold_for_review"

    stop.locator("textarea[name=reason]").fill("未经证实的消息，造谣传谣")
    stop.locator("button[type=submit]").click()
    expect(page.locator("#decided")).to_contain_text("stop_transmission")
    expect(page.locator("#alert")).to_contain_text("Decision recorded")

    poll(lambda: gateway.get(f"/v1/posts/{post['id']}", headers=author.auth).status_code == 451, what="451")
    decision = gateway.get(f"/v1/moderation/posts/{post['id']}/decision", headers=author.auth).json()
    assert decision["outcome"] == "stop_transmission"
    assert decision["category"] == "bj10.rumour_disturbing_order"
    assert decision["reason"] == "未经证实的消息，造谣传谣"
    assert decision["decided_by"] == reviewer.actor

    # Decided: it has left the queue.
    page.goto(f"{platform.gateway_url}/console/#/queue")
    expect(page.locator(f"a[data-post='{post['id']}']")).to_have_count(0)


@pytest.mark.requirement("MB-6.1")
def test_only_the_chief_editor_decides_a_policy_change_in_the_console(
    page: Page, flow: Flow, gateway: httpx.Client, platform: StackInfo, shots: Path
) -> None:
    """MB-6.1: a reviewer's proposed lexicon change shows no decision controls to the reviewer; the chief
    editor approves it with a note (refused without one), and it becomes a release."""
    proposer = flow.staff("reviewer")
    term = f"测试词{uuid.uuid4().hex[:6]}"
    proposed = gateway.post(
        "/v1/moderation/policy-changes",
        headers=proposer.auth,
        json={
            "kind": "lexicon",
            "reason": "console test",
            "add": [{"term": term, "category": "bj10.other_prohibited", "action": "review", "legal_basis": ["MB-12"]}],
        },
    )
    assert proposed.status_code == 201, proposed.text
    change_id = proposed.json()["id"]

    sign_in(page, platform, staff_member(flow, "reviewer"))
    page.goto(f"{platform.gateway_url}/console/#/policy")
    expect(page.locator("#policy-changes")).to_contain_text(term)
    expect(page.locator(f"[data-change='{change_id}']")).to_have_count(0)
    page.click("#sign-out")
    expect(page.locator("#sign-in-form")).to_be_visible()

    chief = staff_member(flow, "chief_editor")
    sign_in(page, platform, chief)
    page.goto(f"{platform.gateway_url}/console/#/policy")
    controls = page.locator(f"[data-change='{change_id}']")
    expect(controls).to_be_visible()
    page.screenshot(path=str(shots / "policy-changes.png"), full_page=True)
    controls.locator("button", has_text="Approve").click()
    expect(page.locator("#alert")).to_contain_text("note is required")
    controls.locator("input[name=note]").fill("checked in the console")
    controls.locator("button", has_text="Approve").click()
    expect(page.locator("#alert")).to_contain_text("approved")

    change = gateway.get(f"/v1/moderation/policy-changes/{change_id}", headers=proposer.auth).json()
    assert change["status"] == "approved" and change["decision_note"] == "checked in the console"
    assert change["decided_by"] == chief.actor


@pytest.mark.requirement("MB-7.3")
def test_an_auditor_reads_every_services_staff_actions_refusals_too(
    page: Page, flow: Flow, gateway: httpx.Client, platform: StackInfo, shots: Path
) -> None:
    """MB-7.3: the auditor's console shows the audit trail of every service, a refused staff request too;
    its nav offers no review queue."""
    curious = staff_member(flow, "operator")
    token = gateway.post("/v1/identity/staff/tokens", json={"username": curious.username, "password": curious.password})
    refused = gateway.get("/v1/moderation/reviews", headers={"Authorization": f"Bearer {token.json()['access_token']}"})
    assert refused.status_code == 403

    sign_in(page, platform, staff_member(flow, "auditor"))
    expect(page.locator("#nav a[data-page=queue]")).to_have_count(0)
    page.goto(f"{platform.gateway_url}/console/#/audit")
    page.fill("#audit-actor", curious.actor)
    page.click("#audit-filter button[type=submit]")
    row = page.locator("#audit tr", has_text="/v1/moderation/reviews")
    expect(row.first).to_contain_text("refused")
    page.fill("#audit-actor", "")
    page.click("#audit-filter button[type=submit]")
    expect(page.locator("#audit tbody tr").first).to_be_visible()
    page.screenshot(path=str(shots / "audit.png"), full_page=True)


@pytest.mark.requirement("MB-6.1")
def test_a_wrong_password_is_refused_and_the_sign_in_page_is_shown(
    page: Page, flow: Flow, platform: StackInfo, shots: Path
) -> None:
    member = staff_member(flow, "reviewer")
    page.goto(f"{platform.gateway_url}/console/")
    page.screenshot(path=str(shots / "sign-in.png"))
    page.fill("#username", member.username)
    page.fill("#password", "not the password")
    page.click("#sign-in")
    expect(page.locator("#alert")).to_contain_text("401")
    expect(page.locator("#staff-name")).to_have_count(0)
    assert page.evaluate("sessionStorage.length") == 0


def test_the_console_is_served_with_a_strict_policy_through_the_gateway(gateway: httpx.Client) -> None:
    """Same origin, self only, never framed: the headers of every console answer, a missing file's 404 problem
    too; only GET and HEAD are routed to it."""
    for path in ("/console/", "/console/app.js", "/console/nothing-here.js"):
        answer = gateway.get(path)
        csp = answer.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "connect-src 'self'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "no-referrer"
    assert gateway.get("/console/nothing-here.js").headers["content-type"] == "application/problem+json"
    assert gateway.get("/console/app.js").headers["content-type"].startswith("text/javascript")
    assert gateway.get("/console", follow_redirects=False).status_code == 308
    refused = gateway.post("/console/", content=b"{}")
    assert refused.status_code == 404 and refused.headers["content-type"] == "application/problem+json"
