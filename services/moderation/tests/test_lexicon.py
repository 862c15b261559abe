"""The lexicon check and the decision rule, without I/O."""

from __future__ import annotations

import pytest
from moderation.domain import Outcome, decide
from moderation.lexicon import Lexicon
from moderation.settings import SAMPLE_LEXICON


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.load(SAMPLE_LEXICON)


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("这里有网络赌博", "网络赌博"),  # as written
        ("这里有網絡賭博", "網絡賭博"),  # traditional characters (OpenCC t2s)
        ("加入在线赌场吧", "在线赌场"),
        ("百家乐代理招募", "百家乐代理"),
        ("ｘｘ出售枪支ｙｙ", "出售枪支"),  # full-width neighbours (NFKC)
    ],
)
def test_variants_match_and_map_back_to_the_original_span(lexicon: Lexicon, text: str, matched: str) -> None:
    hits = lexicon.scan(text)
    assert hits, text
    assert text[hits[0].start : hits[0].end] == matched


def test_full_width_latin_and_case_fold_keep_offsets(tmp_path) -> None:
    path = tmp_path / "lexicon.tsv"
    path.write_text("vpn翻墙\tbj10.other_prohibited\tstop\tMB-12\n")
    lexicon = Lexicon.load(path)
    text = "买个ＶＰＮ翻墙工具"
    hit = lexicon.scan(text)[0]
    assert text[hit.start : hit.end] == "ＶＰＮ翻墙"


@pytest.mark.parametrize("text", ["今天天气很好", "我在网络上看到一个博物馆", "枪支管理法律知识普及", ""])
def test_clean_text_does_not_match(lexicon: Lexicon, text: str) -> None:
    assert lexicon.scan(text) == []


@pytest.mark.requirement("MB-12.2")
def test_a_prohibited_term_stops_transmission_with_its_legal_basis(lexicon: Lexicon) -> None:
    verdict = decide("出售枪支，价格私聊", lexicon)
    assert verdict.outcome is Outcome.STOP_TRANSMISSION
    assert verdict.suggestion == "block"
    assert verdict.category == "bj10.obscenity_gambling_violence_terror_crime"
    assert {"MB-12", "BJ-10", "MB-12.2"} <= set(verdict.legal_basis)
    assert verdict.lexicon_version == lexicon.version and len(verdict.content_sha256) == 64


@pytest.mark.requirement("MB-6.1")
def test_clean_text_is_approved_under_publication_review(lexicon: Lexicon) -> None:
    verdict = decide("周末一起去爬山吧", lexicon)
    assert verdict.outcome is Outcome.APPROVE
    assert verdict.legal_basis == ["MB-6.1"]
    assert verdict.suggestion == "pass"


def test_a_malformed_lexicon_line_is_refused(tmp_path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("term\tonly-two-fields\n")
    with pytest.raises(ValueError, match="4 tab-separated fields"):
        Lexicon.load(path)
