"""Articles' bodies as safe rich text (issue 13 §2, PA-11): Markdown rendered by markdown-it-py with raw
HTML off, HTML cleaned by nh3 against an allow-list (no script, style, ``on*`` or ``javascript:``), and
images only from the platform's media (``/v1/media/{id}``). Then the moderation text: the title and every
text node, ``alt`` and ``title`` value, link text and ``href`` in document order, so markup cannot hide a
phrase from moderation (MB-6.1, MB-12.2). Pure: no I/O."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3
from markdown_it import MarkdownIt

TAGS = frozenset(
    {
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "i", "u", "s", "del", "sub",
        "sup", "blockquote", "code", "pre", "ul", "ol", "li", "a", "img", "figure", "figcaption", "table",
        "thead", "tbody", "tr", "th", "td", "span",
    }
)  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "*": {"title"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Removed with their content, not just unwrapped (the text of a script is not the article's).
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template", "textarea", "select"}
MEDIA_SRC = re.compile(r"^/v1/media/([0-9a-fA-F-]{36})$")
# Elements whose boundary separates words in the moderation text; inline ones join (a phrase split by
# <b> is still one phrase).
BLOCKS = frozenset(
    {"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "li", "figure",
     "figcaption", "table", "thead", "tbody", "tr", "th", "td"}
)  # fmt: skip

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table").enable("strikethrough")


@dataclass(frozen=True, slots=True)
class Sanitised:
    html: str
    text: str  # the moderation text (title first)
    media_ids: tuple[uuid.UUID, ...]  # the platform media its images show, in order


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if MEDIA_SRC.match(value) else None  # images only from the platform's own media
    return value


def clean_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        attribute_filter=_keep_attribute,
        url_schemes=set(URL_SCHEMES),
        strip_comments=True,
    )


def render(format_: str, source: str) -> str:
    """The sanitised HTML of a body in ``format_`` ("markdown" or "html")."""
    html = _MARKDOWN.render(source) if format_ == "markdown" else source
    return clean_html(html)


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.attributes: list[str] = []  # alt, title and href values, in document order
        self.media: list[uuid.UUID] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            self.parts.append("\n")
        values = dict(attrs)
        for name in ("alt", "title", "href"):
            if values.get(name):
                self.attributes.append(values[name] or "")
        if tag == "img" and values.get("src"):
            found = MEDIA_SRC.match(values["src"] or "")
            if found:
                self.media.append(uuid.UUID(found.group(1)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def moderation_text(title: str, html: str) -> tuple[str, tuple[uuid.UUID, ...]]:
    """The text moderation decides, and the media the body's images show: the title, then the body's text
    (link text included; inline markup joins, so a phrase split by tags stays one), then every alt, title
    and href value in document order, each on its own line (an attribute between two words does not split
    them)."""
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    body = re.sub(r"[ \t]*\n\s*", "\n", "".join(parser.parts)).strip()
    lines = [title.strip(), body, *(a.strip() for a in parser.attributes)]
    return "\n".join(line for line in lines if line), tuple(parser.media)


def sanitise(title: str, format_: str, source: str) -> Sanitised:
    html = render(format_, source)
    text, media = moderation_text(title, html)
    return Sanitised(html=html, text=text, media_ids=media)
