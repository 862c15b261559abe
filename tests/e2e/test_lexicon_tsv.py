"""The lexicon as a TSV file (MB-12, BJ-10), through the gateway: exported streamed, imported in parts each
within the gateway's 1 MiB body limit, validated whole and turned into ONE policy change that only the chief
editor approves (MB-6.1). A lexicon of 20,000 entries (1.7 MB, in two parts) goes the whole way."""

from __future__ import annotations

import random
import time
import uuid

import httpx
import pytest
from contracts.categories import Bj10Category
from devstack.testing import poll
from journeys import Flow, Staff, evaluated_change

TSV = "text/tab-separated-values"
MIB = 1024 * 1024
PART = 1_000_000  # bytes per part: under the gateway's 1 MiB
ENTRIES = 20_000  # 1.7 MB: two parts through the gateway's 1 MiB limit
CATEGORY = Bj10Category.OBSCENITY_GAMBLING_VIOLENCE_TERROR_CRIME.value
# Characters no other test writes together: the imported terms match nothing but this test's post.
_HAN = "鳕鲟鲥鳜鳝鲶鲈鳗鳙鲢鲮鲳鲷鳐鳓鳊鲂鲋鲌鲏鲐鲑鲒鲔鲕鲖鲗鲘鲙鲚鲛鲜鲝鲞鲟鲠鲡鲣鲤"


@pytest.fixture(scope="module")
def reviewer(flow: Flow) -> Staff:
    return flow.staff("reviewer")


@pytest.fixture(scope="module")
def chief(flow: Flow) -> Staff:
    return flow.staff("chief_editor")


def export(gateway: httpx.Client, staff: Staff) -> str:
    with gateway.stream("GET", "/v1/moderation/lexicon/entries.tsv", headers=staff.auth, timeout=120) as answer:
        assert answer.status_code == 200, answer.read()
        assert answer.headers["content-type"].startswith(TSV)
        return "".join(answer.iter_text())


def upload(gateway: httpx.Client, staff: Staff, text: str, *, mode: str = "merge", part: int = PART) -> str:
    """An import of ``text`` in parts of ``part`` bytes (cut anywhere, even inside a character); its id."""
    started = gateway.post(
        "/v1/moderation/lexicon-imports", headers=staff.auth, json={"reason": "lexicon file", "mode": mode}
    )
    assert started.status_code == 201, started.text
    import_id = started.json()["id"]
    raw = text.encode()
    for n, at in enumerate(range(0, len(raw), part), start=1):
        put = gateway.put(
            f"/v1/moderation/lexicon-imports/{import_id}/parts/{n}",
            headers={**staff.auth, "Content-Type": TSV},
            content=raw[at : at + part],
        )
        assert put.status_code == 200, put.text
    return import_id


def complete(gateway: httpx.Client, staff: Staff, import_id: str) -> httpx.Response:
    return gateway.post(f"/v1/moderation/lexicon-imports/{import_id}/completion", headers=staff.auth, timeout=120)


def approve(gateway: httpx.Client, chief: Staff, change_id: str) -> dict:
    evaluated_change(gateway, chief.auth, change_id, timeout_s=300)  # issue 16: approval waits for the figures
    decided = gateway.post(
        f"/v1/moderation/policy-changes/{change_id}/decision",
        headers=chief.auth,
        json={"approve": True, "note": "approved"},
        timeout=120,
    )
    assert decided.status_code == 200, decided.text
    return decided.json()


def live_entries(gateway: httpx.Client, staff: Staff) -> int:
    return gateway.get("/v1/moderation/lexicon", headers=staff.auth).json()["entries"]


@pytest.mark.requirement("MB-12")
@pytest.mark.requirement("MB-6.1")
@pytest.mark.requirement("BJ-10")
def test_a_lexicon_of_20000_entries_goes_in_parts_through_approval_and_stops_a_post(
    gateway: httpx.Client, flow: Flow, reviewer: Staff, chief: Staff
) -> None:
    original = export(gateway, reviewer)
    lines = original.splitlines()
    assert lines[0] == "term\tcategory\taction\tlegal_basis\tid\tadded_in"
    before = live_entries(gateway, reviewer)
    assert len(lines) - 1 == before

    prefix = "".join(random.choices(_HAN, k=4))
    terms = [f"{prefix}{i:06d}" for i in range(ENTRIES)]
    body = "term\tcategory\taction\tlegal_basis\n" + "".join(f"{t}\t{CATEGORY}\tstop\tMB-12.2,BJ-10\n" for t in terms)
    assert len(body.encode()) > MIB  # over the gateway's 1 MiB body limit: it can only go in parts
    try:
        import_id = upload(gateway, reviewer, body)
        # The same part again is the same part (idempotent per n).
        first = body.encode()[:PART]
        again = gateway.put(
            f"/v1/moderation/lexicon-imports/{import_id}/parts/1",
            headers={**reviewer.auth, "Content-Type": TSV},
            content=first,
        )
        assert again.status_code == 200 and again.json()["bytes"] == PART, again.text
        held = gateway.get(f"/v1/moderation/lexicon-imports/{import_id}", headers=reviewer.auth).json()
        assert held["bytes"] == len(body.encode()) and held["parts"] == -(-len(body.encode()) // PART)

        completed = complete(gateway, reviewer, import_id)
        assert completed.status_code == 201, completed.text
        summary = completed.json()
        assert (summary["entries"], summary["add"], summary["remove"]) == (ENTRIES, ENTRIES, 0)
        change_id = summary["change_id"]
        assert completed.headers["Location"] == f"/v1/moderation/policy-changes/{change_id}"
        # Completed once; no more parts.
        assert complete(gateway, reviewer, import_id).status_code == 409
        late = gateway.put(
            f"/v1/moderation/lexicon-imports/{import_id}/parts/99",
            headers={**reviewer.auth, "Content-Type": TSV},
            content=b"x\n",
        )
        assert late.status_code == 409, late.text

        # MB-6.1: a proposal; only the chief editor approves it.
        change = gateway.get(f"/v1/moderation/policy-changes/{change_id}", headers=reviewer.auth, timeout=60).json()
        assert change["status"] == "proposed" and change["kind"] == "lexicon"
        refused = gateway.post(
            f"/v1/moderation/policy-changes/{change_id}/decision",
            headers=reviewer.auth,
            json={"approve": True, "note": "mine"},
        )
        assert refused.status_code == 403, refused.text
        evaluated_change(gateway, chief.auth, change_id, timeout_s=300)  # issue 16: its figures first (MB-6.1)
        started = time.monotonic()
        decided = approve(gateway, chief, change_id)
        print(f"release of {ENTRIES} entries: approval answered in {time.monotonic() - started:.2f}s")
        assert decided["status"] == "approved" and decided["job_id"]
        job = gateway.get(f"/v1/moderation/jobs/{decided['job_id']}", headers=reviewer.auth).json()
        assert (job["kind"], job["state"], job["done"], job["total"]) == ("lexicon.release", "done", ENTRIES, ENTRIES)
        assert live_entries(gateway, reviewer) == before + ENTRIES

        # A post with an imported term is stopped, in whichever moderation process decides it.
        author = flow.verified_user()
        for term in (terms[7], terms[ENTRIES // 2], terms[-1]):
            post = gateway.post("/v1/posts", headers=author.auth, json={"text": f"今天看到了{term}，大家注意"})
            assert post.status_code == 201, post.text
            post_id = post.json()["id"]
            poll(
                lambda p=post_id: gateway.get(f"/v1/posts/{p}", headers=author.auth).status_code == 451,
                timeout_s=60,
                what="the stop by an imported term",
            )
        exported = export(gateway, reviewer)
        assert len(exported.splitlines()) - 1 == before + ENTRIES and f"\n{terms[123]}\t{CATEGORY}\tstop\t" in exported
    finally:
        # The lexicon as it was (the export, imported with `replace`): the other tests' world. A term other
        # tests added twice is one entry in a file (a file's terms are unique).
        unique = {line.split("\t")[0]: line for line in reversed(lines[1:])}
        restore = upload(gateway, chief, "\n".join([lines[0], *unique.values()]) + "\n", mode="replace")
        restored = complete(gateway, chief, restore)
        assert restored.status_code == 201, restored.text
        approve(gateway, chief, restored.json()["change_id"])
        assert live_entries(gateway, reviewer) == len(unique)


@pytest.mark.requirement("MB-12")
def test_an_import_with_errors_is_refused_whole_with_its_errors_by_line(gateway: httpx.Client, reviewer: Staff) -> None:
    text = "term\tcategory\taction\tlegal_basis\n" + "\n".join(
        [
            f"好词{uuid.uuid4().hex[:4]}\t{CATEGORY}\tlabel\tMB-12",
            f"\t{CATEGORY}\tstop\tMB-12.2",
            "某词\tbj10.nonsense\tstop\tMB-12.2",
            f"某词\t{CATEGORY}\tdelete\tMB-12.2",
            f"某词\t{CATEGORY}\tstop\tMB-12.2",
            f"某词\t{CATEGORY}\treview\tMB-12.2",
        ]
    )
    refused = complete(gateway, reviewer, upload(gateway, reviewer, text))
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert problem["requirement"] == "MB-12" and problem["error_count"] == 4
    assert [e["line"] for e in problem["errors"]] == [3, 4, 5, 7]
    assert "duplicate" in problem["errors"][3]["error"]


@pytest.mark.requirement("MB-12")
def test_parts_are_refused_when_too_large_unknown_or_not_tsv(
    gateway: httpx.Client, flow: Flow, reviewer: Staff
) -> None:
    started = gateway.post("/v1/moderation/lexicon-imports", headers=reviewer.auth, json={"reason": "parts"})
    import_id = started.json()["id"]
    headers = {**reviewer.auth, "Content-Type": TSV}
    # The gateway's body limit: a part over 1 MiB never reaches moderation.
    too_large = gateway.put(
        f"/v1/moderation/lexicon-imports/{import_id}/parts/1", headers=headers, content=b"a" * (MIB + 1)
    )
    assert too_large.status_code == 413 and too_large.json()["title"] == "Content too large", too_large.text
    unknown = gateway.put(f"/v1/moderation/lexicon-imports/{uuid.uuid4()}/parts/1", headers=headers, content=b"x")
    assert unknown.status_code == 404, unknown.text
    assert complete(gateway, reviewer, str(uuid.uuid4())).status_code == 404
    json_part = gateway.put(f"/v1/moderation/lexicon-imports/{import_id}/parts/1", headers=reviewer.auth, json={})
    assert json_part.status_code == 415, json_part.text
    # Parts numbered from 1 without gaps.
    gap = gateway.put(f"/v1/moderation/lexicon-imports/{import_id}/parts/2", headers=headers, content=b"term\n")
    assert gap.status_code == 200, gap.text
    missing = complete(gateway, reviewer, import_id)
    assert missing.status_code == 422 and "missing: [1]" in missing.json()["detail"], missing.text
    # MB-12: only staff who work with the lexicon read or import it.
    operator, user = flow.staff("operator"), flow.verified_user()
    assert gateway.get("/v1/moderation/lexicon/entries.tsv", headers=operator.auth).status_code == 403
    assert gateway.post("/v1/moderation/lexicon-imports", headers=user.auth, json={"reason": "x" * 5}).status_code in (
        401,
        403,
    )
