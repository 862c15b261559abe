"""The fault test: nothing acknowledged is ever lost, nothing is doubled.

Under a steady stream of posts through the gateway, the broker is restarted, service processes are
killed (SIGKILL, with their workers) and PostgreSQL is killed (the postmaster and every backend at
once, a crash); the stack's supervisor starts each again, as Kubernetes would. Afterwards every post
the platform acknowledged (201) is there and decided, no decision, report or penalty is doubled or
orphaned, and the decision latency is back to its baseline within the recovery bound (README). The
clean authors have followers throughout, so the broker restart lands in the middle of the fan-out: every
published post is in every follower's home timeline exactly once (MB-2).

Beside the posts a public account publishes a 5,000-character article a second (issue 13; two of them
prohibited) and readers send read beacons at 50 a second: every acknowledged article is decided with one
report per stop, every acknowledged beacon (204) is stored once per reader and day and counted once, identity
holds the account's newest read count, and an acknowledged feature gate is open after it all (MB-9, MB-13,
PA-11). And the user log's archive holds every acknowledged post's publication exactly once (MB-16.2).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
from devstack.stack import Stack
from devstack.testing import make_stack, poll
from journeys import Flow, PublicAccount, User, every_page
from recovery import (
    PROHIBITED,
    Load,
    database_accepting,
    recover,
    recovered_below,
    services_ready,
    typical_latency,
)

WAITING_FOR_DATABASE = "database unavailable; retrying"  # what a service logs while it waits
POSTS_PER_S = 20
ARTICLES_PER_S = 1  # one per twenty posts
ARTICLES_JUDGED = 30  # acknowledged articles the run judges at least
BEACONS_PER_S = 50
READERS = 50
EVERYDAY = "今天我们去公园散步看见很多花草树木天气晴朗心情愉快朋友一起喝茶聊天吃饭读书写字唱歌跳舞"
FOLLOWERS = 100  # of each clean author, follow rows written into content's database (fan-out's input)


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Stack, Flow]]:
    # Its own PostgreSQL and broker (nobody else's tests are disturbed), durable as `make up` runs
    # them, two processes of content and moderation, and the supervisor `make up` leaves running.
    stack = make_stack(tmp_path_factory.mktemp("faults"), external_ok=False)
    stack.config.workers = {"content": 2, "moderation": 2}
    # Every post of the run stays in the home timelines it was fanned out to (none trimmed away).
    stack.config.service_env.setdefault("content", {})["TIMELINE_MAX_ENTRIES"] = "1000000"
    try:
        info = stack.up()
        stack.supervise()
        with httpx.Client(base_url=info.gateway_url, timeout=15) as gw:
            yield stack, Flow(gw, info)
    finally:
        stack.down()


class Paced(threading.Thread):
    """Calls ``step(i)`` ``per_s`` times a second until stopped; counts the answers it reports."""

    def __init__(self, name: str, gateway_url: str, per_s: float) -> None:
        super().__init__(name=name, daemon=True)
        self.gw = httpx.Client(base_url=gateway_url, timeout=10)
        self.answers: Counter[str] = Counter()
        self._per_s = per_s
        self._halt = threading.Event()
        self.lock = threading.Lock()

    def step(self, i: int) -> None:
        raise NotImplementedError

    def run(self) -> None:
        i = 0
        while not self._halt.is_set():
            started = time.monotonic()
            try:
                self.step(i)
            except httpx.HTTPError as exc:
                self.answers[type(exc).__name__] += 1
            i += 1
            self._halt.wait(max(0.0, 1 / self._per_s - (time.monotonic() - started)))  # the pace

    def stop(self) -> None:
        self._halt.set()
        self.join(30)
        self.gw.close()


class Articles(Paced):
    """A public account's 5,000-character articles, the 8th and 16th prohibited (a third stop would suspend
    the account, PA-13.1); what was acknowledged (201)."""

    def __init__(self, gateway_url: str, account: PublicAccount) -> None:
        super().__init__("articles", gateway_url, ARTICLES_PER_S)
        self._account = account
        self.acknowledged: list[dict] = []

    def step(self, i: int) -> None:
        bad = i in (7, 15)
        text = "".join(EVERYDAY[(i * 7 + k) % len(EVERYDAY)] for k in range(5_000))
        body = text[:2_500] + (PROHIBITED if bad else "") + text[2_500 : 5_000 - (len(PROHIBITED) if bad else 0)]
        draft = self.gw.post(
            "/v1/articles/drafts", headers=self._account.auth, json={"title": f"第{i}篇", "body": body}
        )
        self.answers[f"draft {draft.status_code}"] += 1
        if draft.status_code != 201:
            return
        answer = self.gw.post(
            f"/v1/articles/drafts/{draft.json()['id']}/publication", headers=self._account.auth, json={}
        )
        self.answers[str(answer.status_code)] += 1
        if answer.status_code == 201:
            with self.lock:
                self.acknowledged.append({"id": answer.json()["id"], "bad": bad})


class Beacons(Paced):
    """Read beacons over readers x the clean articles acknowledged so far; the (reader, article) pairs
    acknowledged (204). A beacon for an article not yet published is a 404, and counts nothing."""

    def __init__(self, gateway_url: str, readers: list[User], articles: Articles) -> None:
        super().__init__("beacons", gateway_url, BEACONS_PER_S)
        self._readers = readers
        self._articles = articles
        self.acknowledged: set[tuple[str, str]] = set()

    def step(self, i: int) -> None:
        with self._articles.lock:
            clean = [a["id"] for a in self._articles.acknowledged if not a["bad"]]
        if not clean:
            return
        reader = self._readers[i % len(self._readers)]
        article = clean[-1 - (i // len(self._readers)) % len(clean)]
        answer = self.gw.post(f"/v1/articles/{article}/reads", headers=reader.auth)
        self.answers[str(answer.status_code)] += 1
        if answer.status_code == 204:
            with self.lock:
                self.acknowledged.add((reader.id, article))


def rows(stack: Stack, service: str, sql: str, *params: object) -> list[tuple]:
    with psycopg.connect(stack.info.database_urls[service]) as conn:
        return conn.execute(sql, params or None).fetchall()


def follow_directly(stack: Stack, followers: list[str], followees: list[User]) -> None:
    """Follow rows as the social core writes them (the fan-out reads them as they are when it runs)."""
    with psycopg.connect(stack.info.database_urls["content"]) as conn:
        conn.cursor().executemany(
            "INSERT INTO follow (follower_id, followee_id) VALUES (%s, %s)",
            [(f, e.id) for f in followers for e in followees],
        )


def test_broker_restart_killed_services_and_a_database_crash_lose_nothing_and_double_nothing(faulty) -> None:
    stack, flow = faulty
    clean = [flow.verified_user() for _ in range(3)]
    reader = flow.register()
    follow_directly(stack, [reader.id] + [str(uuid.uuid4()) for _ in range(FOLLOWERS - 1)], clean)
    offenders = [flow.verified_user() for _ in range(40)]
    prober = flow.verified_user()
    baseline = typical_latency(flow.gw, prober)  # recovered when at most recovered_below(baseline)

    # Grade 1 publishes one article a day by default (MB-9): the run's rules allow the stream's.
    chief = flow.staff("chief_editor")
    rules = flow.gw.get("/v1/identity/grading-rules").json()["rules"]["rules"]
    for rule in rules:
        rule.setdefault("privileges", {})["daily_articles"] = 100_000
    assert flow.gw.post("/v1/identity/grading-rules", headers=chief.auth, json={"rules": rules}).status_code == 201
    account = flow.public_account()
    poll(
        lambda: (
            flow.gw.get(f"/v1/identity/staff/accounts/{account.id}/standing", headers=chief.auth).json()["privileges"][
                "daily_articles"
            ]
            == 100_000
        ),
        what="the public account graded by the run's rules",
    )
    readers = [flow.register() for _ in range(READERS)]
    flow.open_gate("trending")
    poll(lambda: flow.gw.get("/v1/trending").status_code == 200, what="the trending gate open")

    load = Load(flow.platform.gateway_url, clean, offenders, per_s=POSTS_PER_S)
    articles = Articles(flow.platform.gateway_url, account)
    beacons = Beacons(flow.platform.gateway_url, readers, articles)
    load.start()
    articles.start()
    beacons.start()
    recovery: dict[str, float] = {}

    def fault(name: str, break_it, back) -> None:
        """Break something mid-stream, wait until it is back, then until decisions are fast again."""
        recovery[name] = recover(name, flow, prober, baseline, load, break_it, back).latency_s

    def accepting() -> bool:
        return database_accepting(stack.info.admin_database_url)

    def ready() -> bool:
        return services_ready(flow.gw)

    try:
        fault("broker restart", stack.restart_broker, ready)
        fault("services killed", lambda: [stack.kill(n) for n in ("content", "moderation", "reporting")], ready)
        fault("PostgreSQL killed", lambda: stack.kill("postgres"), lambda: accepting() and ready())

        def start_while_the_database_is_down() -> None:
            # A service that starts before its database is there waits for it (bounded); it does not
            # exit. Restarted once by the supervisor (after the kill), never again.
            log = Path(stack.managed["moderation"].log)
            waits = log.read_text().count(WAITING_FOR_DATABASE)
            stack.hold("postgres")
            restarts = stack.managed["moderation"].restarts
            stack.kill("moderation")
            poll(lambda: stack.managed["moderation"].restarts == restarts + 1, what="moderation started again")
            started = stack.managed["moderation"]
            poll(lambda: log.read_text().count(WAITING_FOR_DATABASE) >= waits + 3, what="moderation waiting")
            assert stack.managed["moderation"] is started, "moderation exited while the database was down"
            stack.resume("postgres")

        fault("a service starting during a database outage", start_while_the_database_is_down, ready)
        assert stack.managed["moderation"].restarts == 2
        mark = load.count()
        poll(lambda: load.count() >= mark + 40, timeout_s=60, what="posts flowing after the faults")
        # A faster recovery makes a shorter run: the articles' stream runs until it has enough to judge.
        poll(
            lambda: len(articles.acknowledged) > ARTICLES_JUDGED, timeout_s=60, what="articles flowing after the faults"
        )
    finally:
        load.stop()
        articles.stop()
        beacons.stop()

    print(f"baseline {baseline:.3f} s (recovered at most {recovered_below(baseline):.3f} s); recovery {recovery}")
    posts = load.acknowledged
    assert len(posts) > 300, load.answers
    # While a part was down, a post was acknowledged or refused with 503 (database) or 502 (service
    # gone) problems, never a 500.
    assert set(load.answers) <= {"201", "502", "503"}, load.answers

    # Every acknowledged post is there and decided as its text deserves.
    undecided = {p["id"]: (451 if p["bad"] else 200) for p in posts}

    def decided() -> bool:
        for post_id, status in list(undecided.items()):
            if flow.gw.get(f"/v1/posts/{post_id}").status_code == status:
                del undecided[post_id]
        return not undecided

    poll(decided, timeout_s=120, interval_s=0.5, what="every acknowledged post decided")

    acknowledged = {p["id"] for p in posts}
    stopped = {p["id"] for p in posts if p["bad"]}
    content = {str(pid): str(did) for pid, did in rows(stack, "content", "SELECT id, decision_id FROM post")}
    assert acknowledged <= content.keys(), "an acknowledged post is gone"
    decisions = {
        str(did): (str(pid), outcome)
        for did, pid, outcome in rows(
            stack, "moderation", "SELECT id, post_id, outcome FROM decision WHERE stage = 'publication'"
        )
    }
    # No orphan: content points only at decisions moderation has; one publication decision a post.
    assert all(content[p] in decisions for p in acknowledged), "content points at a decision moderation lacks"
    per_post = Counter(pid for pid, _ in decisions.values())
    assert all(per_post[p] == 1 for p in acknowledged), "a post was decided twice"
    # Exactly one report per stop, each for a decision that exists.
    reports = rows(stack, "regulator-gateway", "SELECT decision_id, post_id FROM report WHERE kind = 'stop'")
    assert all(str(did) in decisions for did, _ in reports), "a report for a decision that does not exist"
    reported = Counter(str(pid) for _, pid in reports)
    assert {p: reported[p] for p in stopped} == dict.fromkeys(stopped, 1)
    assert not (reported.keys() & (acknowledged - stopped)), "a clean post was reported"

    # MB-16.2: the user log's archive holds each acknowledged post's publication exactly once, whatever the broker
    # forgot (entries published before a broker loss are published again; the archive keeps one per entry).
    def published_entries() -> Counter:
        return Counter(
            str(subject)
            for (subject,) in rows(
                stack, "regulator-gateway", "SELECT subject_id FROM user_log_record WHERE kind = 'post.published'"
            )
        )

    poll(lambda: acknowledged <= published_entries().keys(), timeout_s=120, what="every acknowledged post in the log")
    assert max(published_entries().values()) == 1, "a post's publication was logged twice"
    # Exactly one penalty per stop, each for a decision that exists.
    penalties = [
        source.removeprefix("decision:")
        for (source,) in rows(stack, "identity", "SELECT source FROM credit_entry WHERE source LIKE 'decision:%'")
    ]
    assert all(d in decisions for d in penalties), "a penalty for a decision that does not exist"
    penalised = Counter(decisions[d][0] for d in penalties)
    assert {p: penalised[p] for p in stopped} == dict.fromkeys(stopped, 1)

    # MB-2: fanned out to every follower exactly once, whatever the broker did mid-fan-out.
    published = acknowledged - stopped
    in_timelines = Counter(
        str(pid)
        for (pid,) in rows(
            stack,
            "content",
            "SELECT e.post_id FROM timeline_entry e JOIN follow f"
            " ON f.follower_id = e.owner_id AND f.followee_id = e.author_id",
        )
    )
    assert {p: in_timelines[p] for p in published} == dict.fromkeys(published, FOLLOWERS), "an entry lost"
    home = Counter(i["id"] for i in every_page(flow.gw, "/v1/timelines/home", reader.auth, limit=500))
    assert published <= home.keys() and max(home.values()) == 1, "the home timeline lost or doubled a post"

    # Articles (PA-11, MB-12.2): every acknowledged one decided as its text deserves, once, one report a stop.
    assert len(articles.acknowledged) > ARTICLES_JUDGED, articles.answers
    assert set(articles.answers) <= {"draft 201", "draft 502", "draft 503", "201", "502", "503"}, articles.answers
    article_status = {a["id"]: (451 if a["bad"] else 200) for a in articles.acknowledged}

    def articles_decided() -> bool:
        for article_id, status in list(article_status.items()):
            if flow.gw.get(f"/v1/articles/{article_id}").status_code == status:
                del article_status[article_id]
        return not article_status

    poll(articles_decided, timeout_s=120, interval_s=0.5, what="every acknowledged article decided")
    decisions = {
        str(did): (str(pid), outcome)
        for did, pid, outcome in rows(
            stack, "moderation", "SELECT id, post_id, outcome FROM decision WHERE stage = 'publication'"
        )
    }
    per_post = Counter(pid for pid, _ in decisions.values())
    assert all(per_post[a["id"]] == 1 for a in articles.acknowledged), "an article was decided twice, or never"
    reported = Counter(str(pid) for (pid,) in rows(stack, "regulator-gateway", "SELECT post_id FROM report"))
    assert {a["id"]: reported[a["id"]] for a in articles.acknowledged} == {
        a["id"]: int(a["bad"]) for a in articles.acknowledged
    }, "a stopped article reported other than once, or a clean one reported"

    # Reads (MB-9): every acknowledged beacon stored once per reader and day, and counted exactly once.
    assert len(beacons.acknowledged) > 300, beacons.answers
    assert set(beacons.answers) <= {"204", "404", "502", "503"}, beacons.answers
    stored = Counter(
        (str(reader), str(article))
        for reader, article in rows(stack, "content", "SELECT reader_id, article_id FROM article_read")
    )
    assert beacons.acknowledged <= stored.keys(), "an acknowledged read is lost"
    assert max(stored.values()) == 1, "a read stored twice"
    poll(
        lambda: rows(stack, "content", "SELECT count(*) FROM article_read WHERE NOT counted")[0][0] == 0,
        what="every read counted",
    )
    mismatched = rows(
        stack,
        "content",
        "SELECT c.article_id FROM article_read_count c LEFT JOIN (SELECT article_id, sum(weight) AS w"
        " FROM article_read GROUP BY article_id) r USING (article_id) WHERE c.reads <> coalesce(r.w, 0)",
    )
    assert mismatched == [], "an article's count is not the sum of its reads' weights"
    [(content_reads,)] = rows(
        stack, "content", "SELECT reads FROM read_count_account WHERE account_id = %s", account.id
    )
    assert content_reads > 0
    poll(
        lambda: rows(stack, "identity", "SELECT reads FROM account WHERE id = %s", account.id)[0][0] == content_reads,
        what="identity holding the account's newest read count",
    )

    # MB-13: the gate acknowledged before the broker restart is open after it all.
    assert flow.gw.get("/v1/trending").status_code == 200

    print(
        f"baseline {baseline:.3f} s; recovery {recovery}; answers {dict(load.answers)};"
        f" articles {dict(articles.answers)}; beacons {dict(beacons.answers)}"
    )
