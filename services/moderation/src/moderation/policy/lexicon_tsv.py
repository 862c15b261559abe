"""The lexicon as a TSV file (MB-12, BJ-10): written for export, read and validated whole for import.
Pure: no I/O.

The format is IANA's text/tab-separated-values: a header row naming the fields, then one record per line,
fields separated by a tab. A field cannot contain a tab or a line break (the format has no escape): an
export never meets one (a term is visible text of one line: the import refuses those characters), and the
import refuses them by construction (a line with the wrong number of fields). The header names at least
``term``, ``category``, ``action`` and ``legal_basis`` (requirement IDs separated by commas), in any order;
other columns (the export's ``id``, ``added_in``) are read and ignored, so an export can be imported again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from contracts.categories import Bj10Category
from kit.bodies import ContentTooLarge
from kit.inputs import is_visible, unstorable

from moderation.engine.lexicon import Action
from moderation.policy.domain import REQUIREMENT_ID

MEDIA_TYPE = "text/tab-separated-values"
REQUIRED = ("term", "category", "action", "legal_basis")
EXPORTED = (*REQUIRED, "id", "added_in")
MAX_TERM = 64  # lexicon_entry.term's CHECK
MAX_BASIS = 10
MAX_ERRORS = 100  # an answer lists this many errors at most, and says how many there were
_CATEGORIES = frozenset(c.value for c in Bj10Category)
_ACTIONS = frozenset(a.value for a in Action)


@dataclass(frozen=True, slots=True)
class TsvEntry:
    term: str
    category: str
    action: str
    legal_basis: tuple[str, ...]

    def as_change(self) -> dict[str, Any]:
        """As a lexicon change's `add` item."""
        return {
            "term": self.term,
            "category": self.category,
            "action": self.action,
            "legal_basis": list(self.legal_basis),
        }


@dataclass(frozen=True, slots=True)
class LineError:
    line: int  # 1-based, the header being line 1
    error: str


@dataclass(slots=True)
class Parsed:
    entries: list[TsvEntry] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    error_count: int = 0

    def refuse(self, line: int, error: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(LineError(line, error))


def check_part_size(size: int, limit: int) -> None:
    """MB-12: a file is uploaded in parts, each within the gateway's body limit (a 413 past it)."""
    if size > limit:
        raise ContentTooLarge(f"A part is {limit} bytes at most.", requirement="MB-12")


def _field(value: object) -> str:
    text = "" if value is None else str(value)
    if "\t" in text or "\n" in text or "\r" in text:  # cannot happen for stored entries; never write a broken file
        raise ValueError("a TSV field cannot hold a tab or a line break")
    return text


def tsv_line(values: Iterable[object]) -> str:
    return "\t".join(_field(v) for v in values) + "\n"


def export_lines(rows: Iterable[Mapping[str, Any]], *, header: bool = True) -> Iterator[str]:
    """The header, then one line per entry (term, category, action, legal_basis, id, added_in)."""
    if header:
        yield tsv_line(EXPORTED)
    for row in rows:
        yield tsv_line(
            (row["term"], row["category"], row["action"], ",".join(row["legal_basis"]), row["id"], row["added_in"])
        )


def parse(text: str) -> Parsed:
    """Every line checked; the errors by line number (at most MAX_ERRORS listed, all counted): a missing
    header, the wrong number of fields, an empty or invisible term, one too long, an unknown category, an
    action other than stop/review/label, a legal basis that is not requirement IDs, a duplicate term."""
    parsed = Parsed()
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final line break
    if not lines:
        parsed.refuse(1, "the file is empty: a header row (term, category, action, legal_basis) is needed")
        return parsed
    header = [h.strip().lower() for h in lines[0].removesuffix("\r").removeprefix("\ufeff").split("\t")]
    missing = [name for name in REQUIRED if name not in header]
    if missing or len(set(header)) != len(header):
        parsed.refuse(1, f"the header row must name each of {', '.join(REQUIRED)} once (missing: {missing})")
        return parsed
    at = {name: header.index(name) for name in REQUIRED}
    width = len(header)
    seen: dict[str, int] = {}
    for number, raw in enumerate(lines[1:], start=2):
        line = raw.removesuffix("\r")
        if not line.strip():
            parsed.refuse(number, "an empty line")
            continue
        fields = line.split("\t")
        if len(fields) != width:
            parsed.refuse(number, f"{len(fields)} fields where the header has {width}")
            continue
        term, category, action, basis = (fields[at[name]].strip() for name in REQUIRED)
        if not term or not is_visible(term):
            parsed.refuse(number, "an empty term")
            continue
        problem = unstorable(term)
        if problem:
            parsed.refuse(number, f"the term {problem}")
            continue
        if len(term) > MAX_TERM:
            parsed.refuse(number, f"a term longer than {MAX_TERM} characters")
            continue
        if category not in _CATEGORIES:
            parsed.refuse(number, f"unknown category {category[:40]!r} (BJ-10 category codes only)")
            continue
        if action not in _ACTIONS:
            parsed.refuse(number, f"bad action {action[:40]!r} (stop, review or label)")
            continue
        ids = tuple(dict.fromkeys(b.strip() for b in basis.split(",") if b.strip()))
        if not ids or len(ids) > MAX_BASIS or not all(REQUIREMENT_ID.match(i) for i in ids):
            parsed.refuse(number, f"the legal basis must be 1 to {MAX_BASIS} requirement IDs such as MB-12.2")
            continue
        if term in seen:
            parsed.refuse(number, f"duplicate term (first on line {seen[term]})")
            continue
        seen[term] = number
        parsed.entries.append(TsvEntry(term, category, action, ids))
    return parsed


def plan_change(
    entries: list[TsvEntry], live: Iterable[Mapping[str, Any]], *, replace: bool
) -> tuple[list[dict[str, Any]], list[int]]:
    """What a lexicon change must add and remove so the live lexicon holds the file's entries: a term
    that is live with the same category, action and legal basis stays; one that differs is replaced; with
    ``replace``, a live term the file lacks is removed too."""
    live_by_term: dict[str, list[Mapping[str, Any]]] = {}
    for row in live:
        live_by_term.setdefault(row["term"], []).append(row)
    add: list[dict[str, Any]] = []
    remove: list[int] = []
    wanted = set()
    for entry in entries:
        wanted.add(entry.term)
        current = live_by_term.get(entry.term, [])
        same = [
            r
            for r in current
            if (r["category"], r["action"], tuple(r["legal_basis"]))
            == (entry.category, entry.action, entry.legal_basis)
        ]
        if same and len(current) == 1:
            continue
        remove.extend(r["id"] for r in current)
        add.append(entry.as_change())
    if replace:
        remove.extend(r["id"] for term, rows in live_by_term.items() if term not in wanted for r in rows)
    return add, sorted(set(remove))
