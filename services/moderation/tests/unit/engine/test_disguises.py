"""The engine sees through disguises (issue 16): homophones (同音字), split characters (拆字), characters
mixed with initials at any split point, and initials that mean something only among Chinese."""

from __future__ import annotations

import pytest
from moderation.engine.decide import Outcome, Policy
from moderation.engine.lexicon import Channel, Lexicon, read_tsv
from moderation.engine.rumours import RumourIndex
from moderation.engine.sounds import syllable_codes
from moderation.settings import SAMPLE_LEXICON

ROWS = read_tsv(SAMPLE_LEXICON)
SENTENCE = "今天有人私信我说 {}，大家小心。"


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.from_rows((f"sample-{i}", *row) for i, row in enumerate(ROWS))


@pytest.fixture(scope="module")
def policy(lexicon: Lexicon) -> Policy:
    return Policy(lexicon, RumourIndex([], "none"))


def found(lexicon: Lexicon, written: str) -> list[tuple[str, str, str]]:
    text = SENTENCE.format(written)
    return [(h.entry.term, h.channel.value, text[h.start : h.end]) for h in lexicon.scan(text)]


@pytest.mark.requirement("MB-12.2")
@pytest.mark.parametrize(
    ("written", "term", "channel", "outcome"),
    [
        ("兵毒", "冰毒", Channel.HOMOPHONE, Outcome.HOLD_FOR_REVIEW),  # one character, same tone
        ("米药", "迷药", Channel.HOMOPHONE, Outcome.HOLD_FOR_REVIEW),  # another tone: toneless
        ("兵读", "冰毒", Channel.HOMOPHONE, Outcome.HOLD_FOR_REVIEW),  # every character
        ("火乍药配方", "炸药配方", Channel.SPLIT, Outcome.STOP_TRANSMISSION),  # 炸 → 火乍
        ("出售木仓支", "出售枪支", Channel.SPLIT, Outcome.STOP_TRANSMISSION),  # 枪 → 木仓
        ("出 售 木.仓 支", "出售枪支", Channel.SPLIT, Outcome.STOP_TRANSMISSION),  # split and separated
        ("网络贝者博", "网络赌博", Channel.SPLIT, Outcome.STOP_TRANSMISSION),  # 赌 → 贝者
        ("冂乂乂丝各贝者十尃", "网络赌博", Channel.SPLIT, Outcome.STOP_TRANSMISSION),  # every character split
        ("代办钅艮彳亍卡", "代办银行卡", Channel.SPLIT, Outcome.STOP_TRANSMISSION),  # two characters split
        ("亠八合彩投注", "六合彩投注", Channel.SPLIT, Outcome.STOP_TRANSMISSION),  # 六, which folds to 6
        ("买m枪z", "买卖枪支", Channel.MIXED, Outcome.STOP_TRANSMISSION),  # initials in any places
        ("m卖q支", "买卖枪支", Channel.MIXED, Outcome.STOP_TRANSMISSION),
        ("mai卖q支", "买卖枪支", Channel.MIXED, Outcome.STOP_TRANSMISSION),  # pinyin, character, initial
        ("毒p", "毒品", Channel.MIXED, Outcome.STOP_TRANSMISSION),  # character, then an initial
        ("d品", "毒品", Channel.MIXED, Outcome.STOP_TRANSMISSION),  # an initial, then a character
        ("yt丸", "摇头丸", Channel.MIXED, Outcome.STOP_TRANSMISSION),
        ("网络db", "网络赌博", Channel.MIXED, Outcome.STOP_TRANSMISSION),
        ("毒pin", "毒品", Channel.PINYIN, Outcome.STOP_TRANSMISSION),
        ("du品", "毒品", Channel.PINYIN, Outcome.STOP_TRANSMISSION),
        ("wldb", "网络赌博", Channel.INITIALS, Outcome.HOLD_FOR_REVIEW),  # initials among Chinese
    ],
)
def test_a_disguised_term_is_found_where_it_was_written(
    lexicon: Lexicon, policy: Policy, written: str, term: str, channel: Channel, outcome: Outcome
) -> None:
    assert (term, channel.value, written) in found(lexicon, written)
    assert policy.decide(SENTENCE.format(written)).outcome is outcome


@pytest.mark.requirement("MB-12.2")
@pytest.mark.parametrize(
    "text",
    [
        "电脑病毒又出新变种，记得更新杀毒软件。",  # 病毒 reads bingdu like 冰毒, and is a word
        "冰天雪地里，大家都很开心。",  # 冰 alone
        "He said WLDB is fine, see you at the meeting.",  # initials as an English word among English words
        "WLDB",  # initials with no Chinese around them
        "The results of WLDB and others",
        "那张dup车唔到",  # three typed letters are a word, not 毒品 written du + p
    ],
)
def test_ordinary_text_that_sounds_or_spells_like_a_term_is_no_hit(lexicon: Lexicon, text: str) -> None:
    assert lexicon.scan(text) == []


def test_homophones_and_splits_are_for_disguised_categories_only() -> None:
    """A political or other entry is matched as written, not by sound or by shape."""
    rows = [("1", "冰毒", "bj10.other_prohibited", "stop", ["MB-12"])]
    lexicon = Lexicon.from_rows(rows)
    assert lexicon.scan("兵毒") == []
    assert [h.channel for h in lexicon.scan("冰毒")] == [Channel.TEXT]


def test_a_split_form_is_not_reported_again_as_a_homophone(lexicon: Lexicon) -> None:
    assert found(lexicon, "火乍药配方") == [("炸药配方", "split", "火乍药配方")]


def test_sound_codes_typed_as_themselves_stand_for_nothing(lexicon: Lexicon) -> None:
    """A sound code's characters are controls or letters that fold to something else."""
    forged = (syllable_codes()["bing"] + syllable_codes()["du"]).encode("latin-1").decode("latin-1")
    assert lexicon.scan(f"说{forged}了") == []


def test_characters_in_a_latin_form_are_the_term_s_own(lexicon: Lexicon) -> None:
    """`b赌` is no initial of 冰毒 followed by a homophone of 毒, nor `du拼` 毒品 in pinyin: homophones are
    the homophone channel's, among characters only."""
    assert found(lexicon, "b赌") == []
    assert found(lexicon, "du拼") == []
