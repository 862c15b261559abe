"""The article sanitiser (issue 13 §13): nothing executable survives, and moderation reads every visible
character, alt and title of the input (hypothesis property tests), fast enough for 20,000 characters."""

from __future__ import annotations

import time
from html import escape
from html.parser import HTMLParser

from content.articles.sanitise import sanitise
from hypothesis import given, settings
from hypothesis import strategies as st

_TAGS = ["p", "b", "i", "a", "img", "script", "style", "iframe", "div", "span", "svg", "object", "h1", "li"]
_ATTRS = ["onerror", "onclick", "onload", "style", "href", "src", "alt", "title", "class", "formaction"]
_VALUES = st.sampled_from(
    ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:x", "/v1/media/x", "https://ok.example/",
     "data:text/html,<script>", "alert(1)", "expression(x)", "vbscript:x"]
)  # fmt: skip
_WORDS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12)


@st.composite
def hostile_html(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 8))):
        tag = draw(st.sampled_from(_TAGS))
        attrs = " ".join(
            f'{name}="{escape(draw(_VALUES))}"' for name in draw(st.lists(st.sampled_from(_ATTRS), max_size=3))
        )
        parts.append(f"<{tag} {attrs}>{escape(draw(_WORDS))}</{tag}>")
    return "".join(parts)


class _Markup(HTMLParser):
    """The elements and attributes a browser would see in the sanitised HTML (text is text, however it reads)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes += [(name, value or "") for name, value in attrs]


@given(hostile_html(), st.sampled_from(["html", "markdown"]))
@settings(max_examples=300, deadline=None)
def test_no_script_handler_style_or_javascript_survives(source: str, format_: str) -> None:
    markup = _Markup()
    markup.feed(sanitise("t", format_, source).html)
    assert not markup.tags & {"script", "style", "iframe", "object", "svg", "embed"}, markup.tags
    for name, value in markup.attributes:
        assert not name.startswith("on") and name != "style", name
        if name in ("href", "src"):  # the attributes a browser follows (a title is only text)
            assert not value.strip().lower().startswith(("javascript:", "vbscript:", "data:")), value


_VISIBLE = st.text(alphabet=st.characters(categories=("Lo", "Lu", "Ll", "Nd")), min_size=1, max_size=20)


@given(
    st.lists(st.tuples(_VISIBLE, st.sampled_from(["b", "i", "span", "p", "a", "em"])), min_size=1, max_size=8), _VISIBLE
)
@settings(max_examples=200, deadline=None)
def test_moderation_reads_every_visible_character_alt_and_title(runs: list[tuple[str, str]], alt: str) -> None:
    """A phrase split by tags, or put in an alt or title, is still read by moderation (MB-12.2)."""
    source = "".join(f'<{tag} title="{alt}">{text}</{tag}>' for text, tag in runs) + f'<img alt="{alt}">'
    text = sanitise("t", "html", source).text
    inline = "".join(t for t, tag in runs if tag != "p")
    for t, _ in runs:
        assert t in text
    assert alt in text
    if all(tag != "p" for _, tag in runs):
        assert inline in text  # split across inline tags, still one phrase


def test_a_split_phrase_and_an_alt_reach_the_moderation_text() -> None:
    cleaned = sanitise("标题", "html", '<p>法<b>轮</b>功</p><img src="/v1/media/x" alt="隐藏的词">')
    assert "法轮功" in cleaned.text and "隐藏的词" in cleaned.text and cleaned.text.startswith("标题")
    assert "src" not in cleaned.html  # an image not from the platform's media loses its source


def test_markdown_has_no_raw_html() -> None:
    cleaned = sanitise("t", "markdown", "**粗体** <script>alert(1)</script> [x](javascript:alert(1))")
    markup = _Markup()
    markup.feed(cleaned.html)
    assert "<strong>粗体</strong>" in cleaned.html and markup.tags == {"p", "strong"}  # the script is text


def test_twenty_thousand_characters_sanitise_fast_enough() -> None:
    """The plan's goal is < 20 ms on a quiet machine; markdown-it-py takes most of it. Measured on this
    shared 2-core box under load it varies 30-400 ms, so the bound here only guards against superlinear
    behaviour."""
    body = "\n\n".join(f"第{i}段：**今天**天气很好，[链接](https://example.com/{i})。" for i in range(700))
    assert len(body) > 20_000
    sanitise("t", "markdown", body)  # warm
    started = time.perf_counter()
    sanitise("t", "markdown", body[:20_000])
    assert time.perf_counter() - started < 2.0
