"""The decision engine, without I/O: folding with offsets, the evasion table, rumours, routing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from evasion import CLEAN_TEXTS, embed, variants
from moderation.engine.decide import (
    Emergency,
    EmergencyScope,
    Outcome,
    Policy,
    Risk,
    RoutingRules,
    Standing,
    Suggestion,
)
from moderation.engine.lexicon import Channel, Lexicon, read_tsv
from moderation.engine.rumours import (
    Rumour,
    RumourAction,
    RumourIndex,
    RumourProbe,
    folded_sentences,
    shingles,
    stored_form,
)
from moderation.settings import SAMPLE_LEXICON
from textfold import Folder

ROWS = read_tsv(SAMPLE_LEXICON)
STOP_TERMS = [term for term, _, action, _ in ROWS if action == "stop"]


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.from_rows((f"sample-{i}", *row) for i, row in enumerate(ROWS))


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("賭博", "赌博"),  # traditional → simplified (OpenCC t2s)
        ("ＡＢＣ１２３", "abc123"),  # full width (NFKC) and case
        ("赌.博 赌 博赌😀博", "赌博赌博赌博"),  # punctuation, spaces, emoji dropped
        ("赌\u200b博\u200d\ufeff", "赌博"),  # zero-width and invisible characters
        ("dǔ bó", "dubo"),  # tone marks
        ("раypal", "paypal"),  # Cyrillic look-alikes
        ("①⑵六陆陸", "126" + "66"),  # circled and parenthesised digits, numerals
        ("⼈", "人"),  # a Kangxi radical
    ],
)
def test_folding(text: str, folded: str) -> None:
    assert Folder().fold(text) == folded


def test_every_folded_character_knows_where_it_came_from() -> None:
    folder = Folder()
    text = "Ａ.賭😀博①"
    folded = folder.fold(text)
    origin = folder.origins(text).tolist()
    assert folded == "a赌博1"
    assert origin == [0, 2, 4, 5]


@pytest.mark.requirement("MB-12")
def test_evasion_table(lexicon: Lexicon) -> None:
    """At least 200 variants of the sample lexicon's terms, each found and mapped back to exactly
    the span the author wrote."""
    table = [v for term in STOP_TERMS for v in variants(term)]
    assert len(table) >= 200
    missed = []
    for variant in table:
        text, start, end = embed(variant.text)
        spans = [(h.entry.term, text[h.start : h.end]) for h in lexicon.scan(text)]
        if (variant.term, text[start:end]) not in spans:
            missed.append((variant.how, variant.text, spans))
    assert not missed, f"{len(missed)} of {len(table)} variants missed: {missed[:10]}"


@pytest.mark.parametrize("text", CLEAN_TEXTS)
def test_clean_texts_do_not_match(lexicon: Lexicon, text: str) -> None:
    assert lexicon.scan(text) == []


def test_latin_hits_need_a_typed_letter_outside_a_longer_word(lexicon: Lexicon) -> None:
    assert lexicon.scan("wldbx") == []  # initials inside a longer word
    assert [h.channel for h in lexicon.scan("wldb 来")] == [Channel.INITIALS]


RUMOUR = Rumour(
    id="r-water",
    canonical_text="紧急通知：明天起全市自来水停止供应三天，请大家赶快囤水！",
    refutation_text="经核实，市水务集团未发布任何停水通知，该消息不实。",
    refutation_url="https://example.gov.cn/piyao/water",
    authority="市水务集团",
    action=RumourAction.LABEL,
    legal_basis=("MB-11",),
)


@pytest.fixture(scope="module")
def rumours(lexicon: Lexicon) -> RumourIndex:
    return RumourIndex([RUMOUR], version="1", folder=lexicon.folder)


@pytest.mark.requirement("MB-11")
@pytest.mark.parametrize(
    "text",
    [
        "紧急通知：明天起全市自来水停止供应三天，请大家赶快囤水！",  # a copy
        "緊急通知!!明天起全市自來水停止供應三天 請大家趕快囤水",  # traditional, other punctuation
        "听说明天起全市自来水要停止供应三天，大家赶快囤水吧",  # a paraphrase
        "今天天气不错。紧急通知：明天起全市自来水停止供应三天，请大家赶快囤水！我先去超市了，晚上还要加班。",
    ],
)
def test_rumour_paraphrases_and_partial_copies_match(rumours: RumourIndex, text: str) -> None:
    assert [h.rumour.id for h in rumours.match(text)] == ["r-water"]


@pytest.mark.parametrize("text", ["明天全市停水三天", "今天去超市买了很多水果。", *CLEAN_TEXTS[:5]])
def test_unrelated_texts_do_not_match_the_rumour(rumours: RumourIndex, text: str) -> None:
    assert rumours.match(text) == []


def test_retro_probe_agrees_with_the_live_index(rumours: RumourIndex) -> None:
    texts = [
        "听说明天起全市自来水要停止供应三天，大家赶快囤水吧",
        "明天全市停水三天",
        "紧急通知：明天起全市自来水停止供应三天，请大家赶快囤水！",
        *CLEAN_TEXTS,
    ]
    probe = RumourProbe(RUMOUR, rumours.folder)
    found = {key for key, _ in probe.scan((i, stored_form(rumours.folder, t)) for i, t in enumerate(texts))}
    assert found == {i for i, t in enumerate(texts) if rumours.match(t)} == {0, 2}


def _long_article(seed: int, chars: int = 5_000) -> str:
    """A long article in sentences of the rumour's own characters, shuffled: it holds nearly every
    two-character shingle of the rumour somewhere, and quotes none of it."""
    import random

    rng = random.Random(seed)
    alphabet = "".join(dict.fromkeys(RUMOUR.canonical_text.replace("：", "").replace("，", "").replace("！", "")))
    sentences = []
    while sum(map(len, sentences)) < chars:
        sentences.append("".join(rng.choice(alphabet) for _ in range(rng.randint(20, 60))) + "。")
    return "".join(sentences)


@pytest.mark.requirement("MB-11")
def test_a_long_article_holding_the_rumour_s_shingles_scattered_does_not_spread_it(rumours: RumourIndex) -> None:
    """PA-11, MB-11: articles run to thousands of characters; containment is judged within one stretch of
    the text, so shingles scattered over the whole article do not add up to a quote (they did: every
    5,000-character article matched every short rumour written in the same characters)."""
    articles = [_long_article(seed) for seed in range(5)]
    whole = rumours._similarity  # the whole text's containment, as it was judged before
    folded = ["".join(folded_sentences(rumours.folder, a)) for a in articles]
    grams = rumours._shingles[RUMOUR.id]
    assert all(len(shingles(f, 2) & grams) / len(grams) >= whole.t.containment for f in folded)  # scattered
    assert [rumours.match(a) for a in articles] == [[]] * 5
    probe = RumourProbe(RUMOUR, rumours.folder)
    assert list(probe.scan((i, stored_form(rumours.folder, a)) for i, a in enumerate(articles))) == []


@pytest.mark.requirement("MB-11")
@pytest.mark.parametrize("at", [0, 2_000, -1])
def test_a_long_article_quoting_the_rumour_anywhere_spreads_it(rumours: RumourIndex, at: int) -> None:
    article = _long_article(7)
    position = len(article) if at == -1 else at
    quoted = article[:position] + RUMOUR.canonical_text + article[position:]
    assert [h.rumour.id for h in rumours.match(quoted)] == ["r-water"]
    probe = RumourProbe(RUMOUR, rumours.folder)
    assert [k for k, _ in probe.scan([("a", stored_form(rumours.folder, quoted))])] == ["a"]


@pytest.fixture(scope="module")
def policy(lexicon: Lexicon, rumours: RumourIndex) -> Policy:
    return Policy(lexicon=lexicon, rumours=rumours)


TRUSTED = Standing(credit=120, registered_at=datetime.now(UTC) - timedelta(days=30))


@pytest.mark.parametrize(
    ("text", "standing", "outcome", "suggestion", "risk", "rule"),
    [
        ("今天天气很好", TRUSTED, Outcome.APPROVE, Suggestion.PASS, Risk.LOW, "publish.low_risk"),
        ("网络赌博来了", TRUSTED, Outcome.STOP_TRANSMISSION, Suggestion.BLOCK, Risk.HIGH, "lexicon.stop"),
        ("网络dubo来了", TRUSTED, Outcome.STOP_TRANSMISSION, Suggestion.BLOCK, Risk.HIGH, "lexicon.stop"),
        ("wldb 来了", TRUSTED, Outcome.HOLD_FOR_REVIEW, Suggestion.REVIEW, Risk.MEDIUM, "lexicon.review"),
        ("内部消息称明天放假", TRUSTED, Outcome.HOLD_FOR_REVIEW, Suggestion.REVIEW, Risk.MEDIUM, "lexicon.review"),
        ("这个理财稳赚不赔", TRUSTED, Outcome.LABEL, Suggestion.PASS, Risk.LOW, "lexicon.label"),
        (RUMOUR.canonical_text, TRUSTED, Outcome.LABEL, Suggestion.PASS, Risk.MEDIUM, "rumour.label"),
        (
            "今天天气很好",
            Standing(credit=80),
            Outcome.HOLD_FOR_REVIEW,
            Suggestion.REVIEW,
            Risk.LOW,
            "standing.low_credit",
        ),
        (
            "今天天气很好",
            Standing(registered_at=datetime.now(UTC)),
            Outcome.HOLD_FOR_REVIEW,
            Suggestion.REVIEW,
            Risk.LOW,
            "standing.new_account",
        ),
        (
            "今天天气很好",
            Standing(followers=5_000_000),
            Outcome.HOLD_FOR_REVIEW,
            Suggestion.REVIEW,
            Risk.LOW,
            "standing.high_reach",
        ),
    ],
)
@pytest.mark.requirement("MB-6.1")
@pytest.mark.requirement("MB-9")
def test_routing(policy: Policy, text, standing, outcome, suggestion, risk, rule) -> None:
    verdict = policy.decide(text, standing)
    assert (verdict.outcome, verdict.suggestion, verdict.risk, verdict.rule) == (outcome, suggestion, risk, rule)
    assert verdict.lexicon_version == policy.lexicon.version and verdict.rules_version == RoutingRules().version
    assert verdict.legal_basis


@pytest.mark.requirement("MB-9")
@pytest.mark.requirement("PA-7.2")
def test_a_grade_whose_review_is_hold_holds_first_yet_a_prohibited_term_still_stops(policy: Policy) -> None:
    held_grade = Standing(grade=1, credit=120, registered_at=TRUSTED.registered_at, review_hold=True)
    verdict = policy.decide("今天天气很好", held_grade)
    assert (verdict.outcome, verdict.rule) == (Outcome.HOLD_FOR_REVIEW, "grade.hold")
    assert verdict.legal_basis == ["MB-9", "PA-7.2", "MB-6.1"]
    # before the other standing rules (a low-credit author of a hold grade is held by its grade)
    assert policy.decide("今天天气很好", Standing(credit=10, review_hold=True)).rule == "grade.hold"
    # lexicon stops and rumour stops still come first
    assert policy.decide("网络赌博来了", held_grade).outcome is Outcome.STOP_TRANSMISSION
    assert policy.decide("今天天气很好", Standing(registered_at=TRUSTED.registered_at)).rule == "publish.low_risk"


@pytest.mark.requirement("MB-6.1")
def test_emergency_scopes(lexicon: Lexicon, rumours: RumourIndex) -> None:
    beijing = Standing(province_code="110000", registered_at=TRUSTED.registered_at)
    shanghai = Standing(province_code="310000", registered_at=TRUSTED.registered_at)
    topic = Policy(lexicon, rumours, emergencies=[Emergency("e1", EmergencyScope.TOPIC, "某地地震")])
    assert topic.decide("关于某地地震的消息", shanghai).rule == "emergency.topic"
    assert topic.decide("關於某地 地震的消息", shanghai).rule == "emergency.topic"  # folded like everything
    assert topic.decide("今天天气很好", shanghai).outcome is Outcome.APPROVE
    region = Policy(lexicon, rumours, emergencies=[Emergency("e2", EmergencyScope.REGION, "110000")])
    assert region.decide("今天天气很好", beijing).rule == "emergency.region"
    assert region.decide("今天天气很好", shanghai).outcome is Outcome.APPROVE
    everything = Policy(lexicon, rumours, emergencies=[Emergency("e3", EmergencyScope.PLATFORM, "")])
    assert everything.decide("今天天气很好", shanghai).outcome is Outcome.HOLD_FOR_REVIEW
    # a prohibited term still stops, emergency or not
    assert everything.decide("网络赌博", shanghai).outcome is Outcome.STOP_TRANSMISSION
