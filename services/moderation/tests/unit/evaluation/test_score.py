"""The scorer (issue 16, MB-12): a variant is caught only by a stop or review hit over its span; a clean sentence
is a false positive on any stop or review hit; the goals are shown next to the figures."""

from __future__ import annotations

from moderation.engine.lexicon import Lexicon
from moderation.evaluation import corpus
from moderation.evaluation.score import FP_GOAL, RECALL_GOAL, evaluate, evaluate_rows
from moderation.evaluation.variants import Variant

ROWS = [
    ("1", "网络赌博", "bj10.obscenity_gambling_violence_terror_crime", "stop", ["MB-12"]),
    ("2", "内部消息称", "bj10.rumours_disrupting_order", "review", ["MB-6.1"]),
    ("3", "天气", "bj10.other_prohibited", "label", ["MB-12"]),
]


def variant(written: str, technique: str, before: str = "有人说", after: str = "，小心。", term: str = "网络赌博"):
    text = before + written + after
    return Variant("1", term, "stop", technique, written, text, len(before), len(before) + len(written))


def test_recall_counts_a_hit_over_the_span_and_lists_the_misses() -> None:
    lexicon = Lexicon.from_rows(ROWS)
    figures = evaluate(
        lexicon,
        {"a": ["今天天气很好，我们去公园散步吧"]},  # a label entry's hit is no false positive
        [
            variant("网络赌博", "as_written"),
            variant("网.络.赌.博", "separators"),
            variant("网罗堵搏", "homophone_every"),
            # a hit outside the variant's span does not catch it
            variant("xyz", "pinyin", before="网络赌博就是"),
        ],
    )
    per = figures["recall"]["by_technique"]
    assert per["as_written"] == {"variants": 1, "caught": 1, "recall": 1.0}
    assert per["separators"]["recall"] == 1.0
    assert per["pinyin"] == {"variants": 1, "caught": 0, "recall": 0.0}
    assert figures["recall_min"] == 0.0
    assert figures["recall"]["by_action_technique"]["stop"]["pinyin"] == 0.0
    assert figures["recall"]["by_action"]["stop"] == {"variants": 4, "caught": 3, "recall": 0.75}
    assert "pinyin" in figures["recall"]["techniques_below_goal"]
    assert {"technique": "pinyin", "term": "网络赌博", "written": "xyz", "text": "网络赌博就是xyz，小心。"} in figures[
        "recall"
    ]["miss_sample"]
    assert figures["false_positive_rate"] == 0.0
    assert figures["recall_goal"] == RECALL_GOAL and figures["false_positive_goal"] == FP_GOAL
    assert figures["meets_goals"] is False
    assert figures["variants"] == 4 and figures["sentences"] == 1
    assert figures["lexicon_version"] == lexicon.version and figures["engine_version"].startswith("qinglang-engine/")


def test_false_positives_per_source_and_channel() -> None:
    lexicon = Lexicon.from_rows(ROWS)
    clean = {
        "news": ["据内部消息称明天放假", "今天天气很好", "大家去公园散步"],
        "reviews": ["这家网络赌博网站被查了", "酒店不错"],
    }
    fp = evaluate(lexicon, clean, [variant("网络赌博", "as_written")])["false_positives"]
    assert fp["by_source"]["news"] == {"sentences": 3, "flagged": 1, "rate": round(1 / 3, 5)}
    assert fp["by_source"]["reviews"] == {"sentences": 2, "flagged": 1, "rate": 0.5}
    assert fp["false_positive_rate"] == 0.4
    assert fp["flagged_by_channel"]["text"]["sentences"] == 2
    assert {s["term"] for s in fp["sample"]} == {"内部消息称", "网络赌博"}


def test_the_clean_corpus_is_the_packages_sentences_deduplicated() -> None:
    full = corpus.load()
    assert set(full) == {"people_daily", "reviews", "cantonese"}
    assert sum(map(len, full.values())) >= 100_000
    assert len(full["people_daily"]) + len(full["reviews"]) >= 80_000
    every = [s for texts in full.values() for s in texts]
    assert len(every) == len(set(every))
    assert all(len(corpus._HAN.findall(s)) >= 2 and not any(c in s for c in "。！？；…!? \n") for s in every[::97])
    assert {k: len(v) for k, v in corpus.load(10).items()} == {k: 10 for k in full}


def test_evaluate_rows_bounded_by_the_corpus_limit() -> None:
    figures = evaluate_rows(ROWS, release="7", corpus_limit=50)
    assert figures["sentences"] == 150 and figures["corpus_limit"] == 50
    assert figures["lexicon_version"].startswith("r7-")
    assert figures["entries"] == 3 and figures["entries_evaluated"] == 2
    assert figures["recall"]["by_technique"]["as_written"]["recall"] == 1.0
