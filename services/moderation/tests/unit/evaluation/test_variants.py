"""The adversarial set (issue 16, MB-12): each technique writes what it says, the span is the variant, and the
set is the same every time it is generated."""

from __future__ import annotations

from collections import Counter

import pypinyin
import pytest
from moderation.engine.lexicon import Entry, read_tsv
from moderation.evaluation import corpus
from moderation.evaluation.variants import TECHNIQUES, Homophones, Variant, generate, split_forms
from moderation.settings import SAMPLE_LEXICON


def entry(term: str, action: str = "stop", id: str = "1") -> Entry:
    return Entry(id, term, "bj10.obscenity_gambling_violence_terror_crime", action, ("MB-12",))


@pytest.fixture(scope="module")
def drug() -> dict[str, list[Variant]]:
    out: dict[str, list[Variant]] = {}
    for v in generate([entry("冰毒")]):
        out.setdefault(v.technique, []).append(v)
    return out


@pytest.fixture(scope="module")
def sample() -> list[Variant]:
    return generate([entry(r[0], r[2], str(i)) for i, r in enumerate(read_tsv(SAMPLE_LEXICON))])


def written(variants: dict[str, list[Variant]], technique: str) -> list[str]:
    return [v.written for v in variants[technique]]


def toneless(char: str) -> str:
    return pypinyin.lazy_pinyin(char)[0]


def test_every_variant_is_in_its_sentence_at_its_span(sample: list[Variant]) -> None:
    for v in sample:
        assert v.text[v.start : v.end] == v.written
        assert v.text != v.written  # embedded in an ordinary sentence


def test_the_sample_lexicon_gives_thousands_over_every_technique_of_stop_and_review_entries(
    sample: list[Variant],
) -> None:
    assert len(sample) >= 3000
    assert {v.technique for v in sample} == set(TECHNIQUES)
    assert {v.action for v in sample} == {"stop", "review"}  # 稳赚不赔 is a label: not in the set
    assert "稳赚不赔" not in {v.term for v in sample}
    per = Counter(v.technique for v in sample)
    assert all(per[t] >= 2 for t in TECHNIQUES)


def test_generation_is_deterministic(sample: list[Variant]) -> None:
    again = generate([entry(r[0], r[2], str(i)) for i, r in enumerate(read_tsv(SAMPLE_LEXICON))])
    assert again == sample
    assert generate([entry("冰毒")], seed=1) != generate([entry("冰毒")], seed=2)  # the seed chooses


def test_separators_emoji_invisible_strikes(drug: dict[str, list[Variant]]) -> None:
    assert {"冰.毒", "冰 毒", "冰、毒", "冰*毒"} <= set(written(drug, "separators"))
    assert "冰😀毒" in written(drug, "emoji")
    assert "冰\u200b毒" in written(drug, "zero_width")
    assert "冰\u0336毒\u0336" in written(drug, "strike_through")
    assert written(drug, "as_written") == ["冰毒"]


def test_pinyin_forms(drug: dict[str, list[Variant]]) -> None:
    assert {"bingdu", "bing du"} == set(written(drug, "pinyin"))
    assert "Bing Du" in written(drug, "pinyin_spaced_capitalised")
    assert "bīngdú" in written(drug, "pinyin_tone_marks")
    assert "ｂｉｎｇｄｕ" in written(drug, "full_width")
    assert all(w != "bingdu" and w.isalpha() for w in written(drug, "cyrillic_lookalike"))
    assert written(drug, "half_pinyin") == ["冰du"]
    assert "initials" not in drug  # two letters stand for too many words


def test_homophones_are_common_characters_of_the_same_toneless_reading_never_the_original() -> None:
    homophones = Homophones(corpus.frequencies())
    for char in "冰毒品迷药":
        others = homophones.of(char)
        assert others, char
        assert char not in others
        assert all(toneless(o) == toneless(char) for o in others)
    assert "兵" in homophones.of("冰") and "米" in homophones.of("迷")
    assert "冰" not in homophones.of("冰")


def test_homophone_one_and_every(drug: dict[str, list[Variant]]) -> None:
    ones = written(drug, "homophone_one")
    assert len(ones) >= 4
    for w in ones:
        assert len(w) == 2 and sum(a != b for a, b in zip(w, "冰毒", strict=True)) == 1
        assert [toneless(c) for c in w] == ["bing", "du"]
    assert "病毒" not in ones  # an ordinary word (People's Daily's vocabulary), not an evasion
    every = written(drug, "homophone_every")
    assert every
    for w in every:
        assert all(a != b for a, b in zip(w, "冰毒", strict=True))
        assert [toneless(c) for c in w] == ["bing", "du"]


def test_split_one_and_every() -> None:
    assert "氵去" in split_forms("法") and "火乍" in split_forms("炸")
    assert split_forms("冰") == ["冫水"]  # the table's 冰水 holds the character itself: no split
    assert split_forms("一") == []
    by = {}
    for v in generate([entry("炸药配方")]):
        by.setdefault(v.technique, []).append(v.written)
    assert "火乍药配方" in by["split_one"]
    assert all(len(w) > 4 for w in by["split_one"])
    assert any(w.startswith("火乍") and len(w) >= 7 for w in by["split_every"])


def test_mixed_initials_and_pinyin_at_every_split_point(drug: dict[str, list[Variant]]) -> None:
    assert set(written(drug, "mixed_initials")) == {"冰d", "b毒"}
    assert set(written(drug, "mixed_pinyin")) == {"冰du", "bing毒"}
    many = {v.written: v.technique for v in generate([entry("网络赌博")])}
    for w in ("网络db", "wl赌博", "网l赌b", "网络赌b"):  # every split point, and per-character mixtures
        assert many[w] == "mixed_initials"
    for w in ("网络dubo", "wangluo赌博", "网luo赌bo"):
        assert many[w] == "mixed_pinyin"
    assert many["wldb"] == "initials"


def test_a_term_with_digits_or_letters_keeps_one_reading_per_character() -> None:
    for v in generate([entry("鳕鲟01"), entry("vip代理")]):
        assert v.text[v.start : v.end] == v.written
    mixed = {v.written for v in generate([entry("鳕鲟01")]) if v.technique == "mixed_pinyin"}
    assert "鳕xun01" in mixed


def test_numerals() -> None:
    found = {v.written for v in generate([entry("六合彩投注")]) if v.technique == "numerals"}
    assert found == {"6合彩投注", "陆合彩投注"}
