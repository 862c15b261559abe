"""The evasion table: ways people write a prohibited term to slip it past a filter, generated from
the sample lexicon's terms, and ordinary texts that must not match. Shared by the engine's unit test
and the end-to-end test through the moderation service."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import opencc
import pypinyin

_S2T = opencc.OpenCC("s2t")
_NUMERAL_DIGITS = {"六": "6", "一": "1", "二": "2", "三": "3"}
_FINANCIAL = {"六": "陆", "一": "壹", "二": "贰", "三": "叁"}
_FULL_WIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}


@dataclass(frozen=True)
class Variant:
    term: str
    how: str
    text: str  # the variant as written; embedded in a sentence it must match, spanning exactly this


def _pinyin(term: str, style: pypinyin.Style = pypinyin.Style.NORMAL) -> list[str]:
    return pypinyin.lazy_pinyin(term, style=style)


def variants(term: str) -> Iterator[Variant]:
    """Sixteen ways of writing one term."""
    chars = list(term)
    syllables = _pinyin(term)
    half = len(chars) // 2
    yield Variant(term, "as written", term)
    yield Variant(term, "traditional", _S2T.convert(term))
    yield Variant(term, "dots between", ".".join(chars))
    yield Variant(term, "spaces between", " ".join(chars))
    yield Variant(term, "emoji between", "😀".join(chars))
    yield Variant(term, "zero-width between", "\u200b".join(chars))
    yield Variant(term, "ideographic punctuation between", "、".join(chars))
    yield Variant(term, "strike-through overlay", "".join(c + "\u0336" for c in chars))
    yield Variant(term, "traditional with stars", "*".join(_S2T.convert(term)))
    yield Variant(term, "pinyin", "".join(syllables))
    yield Variant(term, "pinyin spaced, capitalised", " ".join(s.capitalize() for s in syllables))
    yield Variant(term, "pinyin with tone marks", "".join(_pinyin(term, pypinyin.Style.TONE)))
    yield Variant(term, "full-width pinyin", "".join(syllables).translate(_FULL_WIDTH))
    yield Variant(term, "half characters, half pinyin", "".join(chars[:half]) + "".join(syllables[half:]))
    if len(chars) >= 3:  # two letters stand for too many words to mean a term (MIN_INITIALS)
        yield Variant(term, "initials", "".join(s[0] for s in syllables))
    numerals = [c for c in chars if c in _NUMERAL_DIGITS]
    if numerals:
        yield Variant(term, "digit for numeral", "".join(_NUMERAL_DIGITS.get(c, c) for c in chars))
        yield Variant(term, "financial numeral", "".join(_FINANCIAL.get(c, c) for c in chars))
    else:
        yield Variant(term, "pinyin with look-alike Cyrillic", "".join(syllables).replace("a", "а").replace("o", "о"))


def embed(variant_text: str) -> tuple[str, int, int]:
    """The variant inside a sentence, and its span there."""
    before, after = "今天有人私信我说 ", "，大家小心。"
    return before + variant_text + after, len(before), len(before) + len(variant_text)


CLEAN_TEXTS = [
    "今天天气很好，我们去公园散步吧。",
    "周末在家看了一部关于赌神的老电影，很好看。",
    "网络安全宣传周开始了，大家注意保护个人信息。",
    "这家店出售新鲜水果和蔬菜，价格实惠。",
    "银行卡丢了要及时挂失，别让坏人有机可乘。",
    "六月的合肥下了一场大雨。",
    "在线学习平台上线了新的数学课程。",
    "博物馆里展出了很多古代的钱币。",
    "He said the dubious data was fine, feedback welcome.",
    "Check https://example.com/about for the schedule, see you at 6pm.",
    "我在玩一个叫 Wordle 的游戏，今天三次就猜中了。",
    "安全第一，转账前一定要核实对方身份。",
    "代办护照需要本人到场吗？",
    "仿真花比真花好打理。",
    "百家争鸣，百花齐放。",
    "这篇文章讲的是时时刻刻保持警惕。",
    "保证金退还流程已经更新。",
    "中国人民银行发布了新的利率政策。",
    "Wang Lei and Du Bo went hiking on Sunday.",
    "我买了一把玩具水枪给孩子。",
    "手机支付越来越方便了。",
    "期末考试的成绩出来了，数学考了一百分。",
    "这首歌的旋律让人想起了小时候。",
    "冬天来了，记得多穿衣服。",
    "Our team shipped the release, lgtm!",
]
