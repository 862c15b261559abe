"""The staff console (issue 14, slice C) in a real browser: Debian's Chromium driven by Playwright, through
the real gateway of the session's stack, calling the same public and staff APIs as every client.

Chromium is Debian's (`make test` installs the package when missing); Playwright never downloads a browser.
Screenshots of the main pages go to $CONSOLE_SCREENSHOTS_DIR when set (`make screenshots`: docs/console/).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from devstack.cli import create_staff
from devstack.stack import StackInfo
from devstack.testing import poll
from journeys import Flow, Staff, User, evaluated_change, every_page
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
CLEAN = "今天去公园散步，天气很好"
RUMOUR = "bj10.rumour_disturbing_order"


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
    return Member(username, created["password"], f"staff:{created['staff_id']}")


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
    editor sees the measured recall and false positives of the lexicon it would produce (issue 16), approves it
    with a note (refused without one), and it becomes a release, with its figures."""
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
    evaluation = evaluated_change(gateway, proposer.auth, change_id)["evaluation"]
    sign_in(page, platform, chief)
    page.goto(f"{platform.gateway_url}/console/#/policy")
    controls = page.locator(f"[data-change='{change_id}']")
    expect(controls).to_be_visible()
    measured = page.locator(f"[data-evaluation='{change_id}']")
    expect(measured).to_contain_text("Would produce")
    expect(measured).to_contain_text(f"false positives {evaluation['false_positive_rate'] * 100:.2f}%")
    expect(measured).to_contain_text("goal ≥ 98.00%")
    expect(measured).to_contain_text(f"{evaluation['variants']} variants, {evaluation['sentences']} clean sentences")
    page.screenshot(path=str(shots / "policy-changes.png"), full_page=True)
    controls.locator("button", has_text="Approve").click()
    expect(page.locator("#alert")).to_contain_text("note is required")
    controls.locator("input[name=note]").fill("checked in the console")
    controls.locator("button", has_text="Approve").click()
    expect(page.locator("#alert")).to_contain_text("approved")

    change = gateway.get(f"/v1/moderation/policy-changes/{change_id}", headers=proposer.auth).json()
    assert change["status"] == "approved" and change["decision_note"] == "checked in the console"
    assert change["decided_by"] == chief.actor
    page.select_option("#policy-status", "approved")
    expect(page.locator(f"[data-evaluation='{change_id}']")).to_contain_text(f"Release {change['release']}:")


def review_item(gateway: httpx.Client, staff: Staff, kind: str, found: Callable[[dict], bool], what: str) -> dict:
    """The review item the queue holds for something (moderation learns of it from an event: polled)."""

    def find() -> dict | None:
        items = every_page(gateway, "/v1/moderation/review-items", staff.auth, kind=kind, limit=100)
        return next((i for i in items if found(i)), None)

    return poll(find, what=what)


def item_of(gateway: httpx.Client, staff: Staff, item_id: str) -> dict:
    answer = gateway.get(f"/v1/moderation/review-items/{item_id}", headers=staff.auth)
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.mark.requirement("MB-14")
@pytest.mark.requirement("MB-6.1")
@pytest.mark.requirement("PA-15.2")
def test_a_complaint_goes_from_filing_to_outcome_in_the_console_and_the_reporter_is_told(
    page: Page, flow: Flow, gateway: httpx.Client, platform: StackInfo, shots: Path
) -> None:
    """MB-14: a user files a complaint through the API; a reviewer finds its case on the complaint dashboard
    (by deadline, with statistics as a table), opens it and its review item (the post's text and the
    complaint shown), claims the item, upholds it with a stop, a category and a reason; the post is then 451,
    and the reporter gets a `complaint_outcome` notification and sees the complaint upheld."""
    author, reporter = flow.verified_user(), flow.register()
    text = f"{CLEAN} {uuid.uuid4().hex[:6]}"
    post = flow.post(author, text)
    filed = flow.complain(reporter, post["id"], detail="编造的停课消息")
    case_id = filed["case_id"]
    staff = flow.staff("auditor")
    item = review_item(
        gateway,
        staff,
        "complaint_case",
        lambda i: i["case"]["case_id"] == case_id,
        "the complaint case in the review queue",
    )
    assert (item["state"], item["target_id"]) == ("open", post["id"])

    reviewer = staff_member(flow, "reviewer")
    sign_in(page, platform, reviewer)
    page.click("#nav a[data-page=complaints]")
    row = page.locator("#cases tr", has=page.locator(f"a[data-case='{case_id}']"))
    expect(row).to_contain_text(RUMOUR)
    expect(row).to_contain_text("1 (weight 1.0)")
    expect(page.locator("#complaint-statistics th", has_text="Median handling")).to_be_visible()
    expect(page.locator("#complaint-statistics td", has_text=RUMOUR).first).to_be_visible()
    # Open cases, the nearest deadline first.
    deadlines = page.locator("#cases a[data-case]").evaluate_all("links => links.map((a) => a.dataset.case)")
    listed = every_page(gateway, "/v1/reporting/staff/cases", staff.auth, state="open", limit=50)
    assert deadlines == [c["id"] for c in listed][: len(deadlines)]
    page.screenshot(path=str(shots / "complaints.png"), full_page=True)

    row.locator(f"a[data-case='{case_id}']").click()
    expect(page.locator("#case-complaints")).to_contain_text(reporter.id)
    expect(page.locator("#case-complaints")).to_contain_text("编造的停课消息")
    page.screenshot(path=str(shots / "complaint-case.png"), full_page=True)
    page.click("#case-item")
    expect(page).to_have_url(f"{platform.gateway_url}/console/#/items/{item['id']}")
    expect(page.locator("#item-text")).to_have_text(text)
    expect(page.locator("#case-complaints")).to_contain_text(reporter.id)
    # Not claimed: no decision offered yet (MB-6.1).
    expect(page.locator("#uphold-form")).to_have_count(0)
    page.click("#claim-form button[type=submit]")
    uphold = page.locator("#uphold-form")
    expect(uphold).to_be_visible()
    expect(page.locator("#item-history")).to_contain_text("claimed")
    assert item_of(gateway, staff, item["id"])["assignee"] == reviewer.actor

    uphold.locator("select[name=action]").select_option("stop")
    uphold.locator("select[name=category]").select_option(RUMOUR)
    page.screenshot(path=str(shots / "complaint-item.png"), full_page=True)
    uphold.locator("button[type=submit]").click()  # no reason: the form is not sent
    assert uphold.locator("textarea[name=reason]").evaluate("node => node.validity.valueMissing")
    assert item_of(gateway, staff, item["id"])["state"] == "assigned"
    uphold.locator("textarea[name=reason]").fill("编造停课消息，已核实")
    uphold.locator("button[type=submit]").click()
    expect(page.locator("#item-closed")).to_be_visible()
    expect(page.locator("#item-facts")).to_contain_text("upheld")

    decided = item_of(gateway, staff, item["id"])
    assert (decided["state"], decided["upheld"], decided["action"]) == ("closed", True, "stop")
    assert decided["closed_by"] == reviewer.actor
    poll(lambda: gateway.get(f"/v1/posts/{post['id']}").status_code == 451, what="the post stopped")

    def told() -> dict | None:
        answer = gateway.get("/v1/notifications", headers=reporter.auth)
        assert answer.status_code == 200, answer.text
        return next(
            (
                n
                for n in answer.json()["items"]
                if n["kind"] == "complaint_outcome" and n["complaint"]["complaint_id"] == filed["id"]
            ),
            None,
        )

    notice = poll(told, what="the complaint's outcome told to the reporter")
    assert notice["complaint"]["outcome"] == "upheld"
    assert notice["reasons"]["reason"] == "编造停课消息，已核实"
    shown = gateway.get(f"/v1/complaints/{filed['id']}", headers=reporter.auth).json()
    assert shown["status"] == "upheld" and shown["history"][-1]["step"] == "decided"

    # Decided: the case has left the open cases of the dashboard.
    page.click("#nav a[data-page=complaints]")
    expect(page.locator("#cases")).to_be_visible()
    expect(page.locator(f"a[data-case='{case_id}']")).to_have_count(0)


@pytest.mark.requirement("MB-6.1")
@pytest.mark.requirement("PA-5.1")
def test_an_escalated_review_item_is_decided_in_the_console_by_the_chief_editor_only(
    page: Page, flow: Flow, gateway: httpx.Client, platform: StackInfo, shots: Path
) -> None:
    """MB-6.1, PA-5.1: a reviewer finds a held post among the review items (filtered by kind, then by their
    own), claims it, notes and escalates it; the reviewer is then offered no decision; the chief editor sees
    the matched span highlighted and stops it, finally."""
    author = flow.verified_user()
    text = f"据{HELD_TERM}明天放假 {uuid.uuid4().hex[:6]}"
    post = held_post(gateway, flow, author, text)
    auditor = flow.staff("auditor")
    item = review_item(gateway, auditor, "held_post", lambda i: i["target_id"] == post["id"], "the held post")

    reviewer = staff_member(flow, "reviewer")
    sign_in(page, platform, reviewer)
    page.click("#nav a[data-page=items]")
    page.select_option("#item-kind", "held_post")
    opener = page.locator(f"a[data-target='{post['id']}']")
    expect(page.locator("#items tr", has=opener)).to_contain_text("held post")
    expect(page.locator("#items")).not_to_contain_text("complaint case")
    expect(page.locator("#review-statistics th", has_text="Items")).to_be_visible()
    page.screenshot(path=str(shots / "items.png"), full_page=True)
    opener.click()

    expect(page.locator("#item-text mark")).to_have_text(HELD_TERM)
    page.click("#claim-form button[type=submit]")
    expect(page.locator("#stop-form")).to_be_visible()
    page.goto(f"{platform.gateway_url}/console/#/items")
    page.check("#item-mine")
    expect(page.locator(f"#items a[data-item='{item['id']}']")).to_be_visible()
    page.click(f"#items a[data-item='{item['id']}']")

    page.fill("#note-form textarea", "需要总编辑判断")
    page.click("#note-form button[type=submit]")
    expect(page.locator("#item-notes")).to_contain_text("需要总编辑判断")
    page.fill("#escalate-form textarea", "涉及突发事件的敏感消息")
    page.click("#escalate-form button[type=submit]")
    expect(page.locator("#escalated-note")).to_be_visible()
    expect(page.locator("#item-facts")).to_contain_text("涉及突发事件的敏感消息")
    # MB-6.1: escalated, it is the chief editor's; the reviewer is offered no decision, claim or release.
    for control in ("#approve-form", "#stop-form", "#claim-form", "#release-form", "#escalate-form"):
        expect(page.locator(control)).to_have_count(0)
    assert item_of(gateway, auditor, item["id"])["state"] == "escalated"
    page.click("#sign-out")

    chief = staff_member(flow, "chief_editor")
    sign_in(page, platform, chief)
    page.goto(f"{platform.gateway_url}/console/#/items/{item['id']}")
    stop = page.locator("#stop-form")
    expect(stop).to_be_visible()
    expect(page.locator("#item-text mark")).to_have_text(HELD_TERM)
    page.screenshot(path=str(shots / "item.png"), full_page=True)
    stop.locator("select[name=category]").select_option(RUMOUR)
    stop.locator("textarea[name=reason]").fill("未经证实的放假消息")
    stop.locator("button[type=submit]").click()
    expect(page.locator("#item-closed")).to_be_visible()
    expect(page.locator("#item-facts")).to_contain_text("final")
    expect(page.locator("#item-history")).to_contain_text("decided")

    decided = item_of(gateway, auditor, item["id"])
    assert (decided["state"], decided["final"], decided["closed_by"]) == ("closed", True, chief.actor)
    assert [a["action"] for a in decided["history"]] == ["claimed", "noted", "escalated", "decided"]
    poll(lambda: gateway.get(f"/v1/posts/{post['id']}").status_code == 451, what="the post stopped")


@pytest.mark.requirement("PA-6.2")
@pytest.mark.requirement("MB-6.1")
def test_an_appeal_is_decided_in_the_console_by_a_senior_reviewer(
    page: Page, flow: Flow, gateway: httpx.Client, platform: StackInfo, shots: Path
) -> None:
    """PA-6.2: a sanctioned user appeals through the API; a senior reviewer (not the imposer) finds the appeal
    in the console, is refused without a reason, upholds it with one, and the sanction is lifted; a reviewer's
    nav offers no appeals page."""
    user = flow.verified_user()
    imposer = flow.staff("senior_reviewer")
    sanctioned = gateway.post(
        f"/v1/identity/staff/accounts/{user.id}/sanctions",
        headers=imposer.auth,
        json={
            "kind": "feature_restriction",
            "reason": "repeated spam reposts",
            "legal_basis": ["PA-13.1"],
            "duration_days": 7,
            "features": ["no_reposts"],
        },
    )
    assert sanctioned.status_code == 201, sanctioned.text
    sanction_id = sanctioned.json()["id"]
    statement = f"The reposts were official notices {uuid.uuid4().hex[:6]}"
    filed = gateway.post(
        "/v1/accounts/me/appeals",
        headers=user.auth,
        json={"target_kind": "sanction", "target_id": sanction_id, "statement": statement},
    )
    assert filed.status_code == 201, filed.text
    appeal_id = filed.json()["id"]

    sign_in(page, platform, staff_member(flow, "reviewer"))
    expect(page.locator("#nav a[data-page=items]")).to_be_visible()
    expect(page.locator("#nav a[data-page=appeals]")).to_have_count(0)
    page.click("#sign-out")

    senior = staff_member(flow, "senior_reviewer")
    sign_in(page, platform, senior)
    page.click("#nav a[data-page=appeals]")
    controls = page.locator(f"[data-appeal='{appeal_id}']")
    row = page.locator("#appeals tr", has=controls)
    expect(row).to_contain_text(statement)
    expect(row).to_contain_text(user.id)
    expect(row).to_contain_text("repeated spam reposts")  # the contested sanction, from the account's standing
    page.screenshot(path=str(shots / "appeals.png"), full_page=True)
    controls.locator("button", has_text="Uphold").click()
    expect(page.locator("#alert")).to_contain_text("reason is required")
    controls.locator("input[name=reason]").fill("转发的是官方通知")
    controls.locator("button", has_text="Uphold").click()
    expect(page.locator("#alert")).to_contain_text("Appeal upheld")
    expect(page.locator(f"[data-appeal='{appeal_id}']")).to_have_count(0)

    page.select_option("#appeal-state", "decided")
    expect(page.locator("#appeals tr", has_text=statement)).to_contain_text("转发的是官方通知")
    [seen] = [a for a in every_page(gateway, "/v1/accounts/me/appeals", user.auth) if a["id"] == appeal_id]
    assert (seen["state"], seen["decision_reason"]) == ("upheld", "转发的是官方通知")
    [lifted] = [s for s in every_page(gateway, "/v1/accounts/me/sanctions", user.auth) if s["id"] == sanction_id]
    assert lifted["lifted_at"] and lifted["appeal_state"] == "upheld"


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
    # Everyone's actions now, not only the curious operator's (the auditor's own reads among them).
    expect(page.locator("#audit tbody tr").filter(has_not_text=curious.actor).first).to_be_visible()
    page.screenshot(path=str(shots / "audit.png"))  # the first screenful: the trail is long by now


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
