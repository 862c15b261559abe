"""Staff accounts administered by operators (MB-6.1, PA-5.1): listed, disabled and enabled with a reason, their
roles changed; a disabled member cannot sign in, and every token of theirs is refused by every service at once
(auth.revocation.v1), as is every token issued before a change of roles. All of it in the staff audit."""

from __future__ import annotations

import uuid

import httpx
import pytest
from devstack.cli import create_staff
from devstack.stack import StackInfo
from devstack.testing import poll
from journeys import Flow, Staff, every_page


def member(flow: Flow, platform: StackInfo, *roles: str) -> tuple[str, Staff, str]:
    """A new staff member: its id, its signed-in token, its password."""
    username = "s" + uuid.uuid4().hex[:12]
    created = create_staff(platform.database_urls["identity"], username=username, roles=list(roles))
    return created["staff_id"], sign_in(flow, username, created["password"], list(roles)), created["password"]


def sign_in(flow: Flow, username: str, password: str, roles: list[str]) -> Staff:
    token = flow.gw.post("/v1/identity/staff/tokens", json={"username": username, "password": password})
    assert token.status_code == 200, token.text
    return Staff(username, roles, token.json()["access_token"])


def refused_at_moderation(gateway: httpx.Client, staff: Staff) -> httpx.Response | None:
    answer = gateway.get("/v1/moderation/reviews", headers=staff.auth)
    return answer if answer.status_code in (401, 403) else None


@pytest.mark.requirement("MB-6.1")
@pytest.mark.requirement("PA-5.1")
def test_a_disabled_member_is_refused_everywhere_at_once_and_cannot_sign_in(flow: Flow, platform: StackInfo) -> None:
    operator_id, operator, _ = member(flow, platform, "operator")
    reviewer_id, reviewer, password = member(flow, platform, "reviewer")
    assert flow.gw.get("/v1/moderation/reviews", headers=reviewer.auth).status_code == 200

    listed = {m["id"]: m for m in every_page(flow.gw, "/v1/identity/staff/members", operator.auth, limit=100)}
    assert listed[reviewer_id]["username"] == reviewer.username
    assert listed[reviewer_id]["roles"] == ["reviewer"] and listed[reviewer_id]["disabled"] is False
    assert "password_hash" not in str(listed[reviewer_id])

    base = "/v1/identity/staff/members"
    reason = {"reason": "left the moderation team"}
    assert flow.gw.post(f"{base}/{uuid.uuid4()}/disable", headers=operator.auth, json=reason).status_code == 404
    assert flow.gw.post(f"{base}/{reviewer_id}/disable", headers=operator.auth, json={}).status_code == 422
    own = flow.gw.post(f"{base}/{operator_id}/disable", headers=operator.auth, json=reason)
    assert own.status_code == 409 and own.json()["requirement"] == "MB-6.1", own.text

    disabled = flow.gw.post(f"{base}/{reviewer_id}/disable", headers=operator.auth, json=reason)
    assert disabled.status_code == 200, disabled.text
    assert disabled.json()["disabled"] is True and disabled.json()["disabled_at"]
    assert flow.gw.post(f"{base}/{reviewer_id}/disable", headers=operator.auth, json=reason).status_code == 409

    # The token held is refused by another service within a bound (the revocation travels the bus).
    refused = poll(lambda: refused_at_moderation(flow.gw, reviewer), what="the disabled reviewer refused", timeout_s=15)
    assert refused.json()["type"].endswith("/token-revoked"), refused.text
    assert refused.json()["requirement"] == "MB-6.1"
    wrong = flow.gw.post("/v1/identity/staff/tokens", json={"username": reviewer.username, "password": password})
    assert wrong.status_code == 401, wrong.text

    # Enabled again: it signs in afresh; the old token stays refused.
    enabled = flow.gw.post(f"{base}/{reviewer_id}/enable", headers=operator.auth, json={"reason": "back on the team"})
    assert enabled.status_code == 200 and enabled.json()["disabled"] is False, enabled.text
    assert flow.gw.post(f"{base}/{reviewer_id}/enable", headers=operator.auth, json=reason).status_code == 409
    again = sign_in(flow, reviewer.username, password, ["reviewer"])
    assert flow.gw.get("/v1/moderation/reviews", headers=again.auth).status_code == 200
    assert refused_at_moderation(flow.gw, reviewer) is not None

    # The staff audit of identity records each administrative request, with who asked.
    auditor = flow.staff("auditor")
    actions = flow.gw.get("/v1/identity/staff-actions", headers=auditor.auth, params={"actor": f"staff:{operator_id}"})
    assert actions.status_code == 200
    paths = [(a["method"], a["path"], a["allowed"]) for a in actions.json()]
    assert ("POST", f"{base}/{reviewer_id}/disable", True) in paths
    assert ("POST", f"{base}/{reviewer_id}/enable", True) in paths


@pytest.mark.requirement("MB-6.1")
def test_a_change_of_roles_revokes_the_tokens_that_carry_the_old_ones(flow: Flow, platform: StackInfo) -> None:
    _, operator, _ = member(flow, platform, "operator")
    reviewer_id, reviewer, password = member(flow, platform, "reviewer")
    path = f"/v1/identity/staff/members/{reviewer_id}/roles"
    assert flow.gw.put(path, headers=operator.auth, json={"roles": []}).status_code == 422
    assert flow.gw.put(path, headers=operator.auth, json={"roles": ["editor"]}).status_code == 422
    assert flow.gw.put(path, headers=reviewer.auth, json={"roles": ["chief_editor"]}).status_code == 403

    changed = flow.gw.put(path, headers=operator.auth, json={"roles": ["auditor"], "reason": "moved to the audit"})
    assert changed.status_code == 200 and changed.json()["roles"] == ["auditor"], changed.text
    refused = poll(lambda: refused_at_moderation(flow.gw, reviewer), what="the old roles' token refused", timeout_s=15)
    assert refused.json()["type"].endswith("/token-revoked"), refused.text

    auditor = sign_in(flow, reviewer.username, password, ["auditor"])
    assert flow.gw.get("/v1/moderation/reviews", headers=auditor.auth).status_code == 403  # no longer a reviewer
    assert flow.gw.get("/v1/moderation/staff-actions", headers=auditor.auth).status_code == 200
