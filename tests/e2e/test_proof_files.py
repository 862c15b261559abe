"""V application proof files opened by staff (MB-7.3, PA-9.1): decrypted in their content type, only with a
reason, each opening recorded (who, which file, why, when) and listed for auditors and the chief editor."""

from __future__ import annotations

import base64
import hashlib
import uuid

import pytest
from journeys import Flow, confirmed_user, every_page, resident_id

SCAN = b"\x89PNG\r\n\x1a\n resident identity card scan (test) " + uuid.uuid4().bytes
LETTER = b"%PDF-1.4 letter of authorisation (test)"


@pytest.mark.requirement("MB-7.3")
@pytest.mark.requirement("PA-9.1")
def test_a_proof_file_opens_only_with_a_reason_and_every_opening_is_recorded(flow: Flow) -> None:
    number = resident_id()
    user = confirmed_user(flow)
    verified = flow.verify_real_name(user, number)
    assert verified.status_code == 201, verified.text
    user.token = verified.json()["access_token"]
    files = [
        {"filename": "id.png", "content_type": "image/png", "content_base64": base64.b64encode(SCAN).decode()},
        {
            "filename": "a-letter.pdf",
            "content_type": "application/pdf",
            "content_base64": base64.b64encode(LETTER).decode(),
        },
    ]
    applied = flow.gw.post(
        "/v1/accounts/me/verified-applications",
        headers=user.auth,
        json={
            "v_type": "individual",
            "proof_name": "张三",
            "proof_number": number,
            "display_name": "摄影师" + uuid.uuid4().hex[:6],
            "files": files,
        },
    )
    assert applied.status_code == 201, applied.text
    application = applied.json()
    assert [(f["ordinal"], f["filename"]) for f in application["files"]] == [(1, "id.png"), (2, "a-letter.pdf")]
    path = f"/v1/identity/staff/verified-applications/{application['id']}/proofs"

    senior, operator, auditor, chief = (
        flow.staff(r) for r in ("senior_reviewer", "operator", "auditor", "chief_editor")
    )
    # No reason, a blank one or one too short: refused before anything is opened.
    for params in ({}, {"reason": "   "}, {"reason": "\u200b\u200b\u200b"}, {"reason": "ok"}):
        refused = flow.gw.get(f"{path}/1", headers=senior.auth, params=params)
        assert refused.status_code == 422, (params, refused.text)
    assert flow.gw.get(f"{path}/3", headers=senior.auth, params={"reason": "checking"}).status_code == 404
    unknown = f"/v1/identity/staff/verified-applications/{uuid.uuid4()}/proofs/1"
    assert flow.gw.get(unknown, headers=senior.auth, params={"reason": "checking"}).status_code == 404
    reviewer = flow.staff("reviewer")
    assert flow.gw.get(f"{path}/1", headers=reviewer.auth, params={"reason": "curious"}).status_code == 403

    reason = f"MB-8 review of application {application['id'][:8]}: identity card legible"
    opened = flow.gw.get(f"{path}/1", headers=senior.auth, params={"reason": reason})
    assert opened.status_code == 200, opened.text
    assert opened.content == SCAN and opened.headers["content-type"] == "image/png"
    assert opened.headers["cache-control"] == "no-store"
    letter = flow.gw.get(f"{path}/2", headers=operator.auth, params={"reason": "authorisation checked"})
    assert letter.status_code == 200 and letter.content == LETTER
    assert letter.headers["content-type"] == "application/pdf"

    # MB-7.3: the record of openings, for auditors and the chief editor: exactly the two that succeeded.
    assert flow.gw.get("/v1/identity/staff/proof-accesses", headers=senior.auth).status_code == 403
    for reader in (auditor, chief):
        seen = every_page(
            flow.gw, "/v1/identity/staff/proof-accesses", reader.auth, application_id=application["id"], limit=1
        )
        assert [(a["file"], a["reason"]) for a in seen] == [(2, "authorisation checked"), (1, reason)]
        assert seen[1]["file_sha256"] == hashlib.sha256(SCAN).hexdigest()
        assert seen[1]["staff"].startswith("staff:") and seen[0]["staff"] != seen[1]["staff"]
    everything = flow.gw.get("/v1/identity/staff/proof-accesses", headers=auditor.auth, params={"limit": 500})
    assert everything.status_code == 200 and number not in everything.text and "张三" not in everything.text
