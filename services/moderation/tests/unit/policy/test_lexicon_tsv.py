"""The lexicon as TSV (MB-12, BJ-10): what an export writes an import reads back, and every error of a file
is found and named by its line."""

from __future__ import annotations

import pytest
from contracts.categories import Bj10Category
from hypothesis import given
from hypothesis import strategies as st
from kit.inputs import is_visible
from moderation.policy import lexicon_tsv
from moderation.policy.lexicon_tsv import MAX_ERRORS, TsvEntry, export_lines, parse, plan_change

HEADER = "term\tcategory\taction\tlegal_basis\n"
CATEGORY = Bj10Category.OBSCENITY_GAMBLING_VIOLENCE_TERROR_CRIME.value

# Terms as staff write them: visible text of one line, no tab, trimmed.
terms = (
    st.text(
        alphabet=st.characters(categories=("L", "N", "P", "S"), exclude_characters="\t\n\r\x85\u2028\u2029"),
        min_size=1,
        max_size=64,
    )
    .map(str.strip)
    .filter(lambda t: 0 < len(t) <= 64 and is_visible(t))  # not only blank glyphs (U+3164, U+2800): those are refused
)
entries = st.builds(
    TsvEntry,
    term=terms,
    category=st.sampled_from([c.value for c in Bj10Category]),
    action=st.sampled_from(["stop", "review", "label"]),
    legal_basis=st.lists(
        st.sampled_from(["MB-12", "MB-12.2", "BJ-10", "BJ-7(5)"]), min_size=1, max_size=3, unique=True
    ).map(tuple),
)


@pytest.mark.requirement("MB-12")
@given(st.lists(entries, max_size=40, unique_by=lambda e: e.term))
def test_an_export_reads_back_as_the_same_entries(listed: list[TsvEntry]) -> None:
    rows = [
        {**e.as_change(), "legal_basis": list(e.legal_basis), "id": i, "added_in": 1} for i, e in enumerate(listed, 1)
    ]
    parsed = parse("".join(export_lines(rows)))
    assert parsed.errors == [] and parsed.entries == listed


@pytest.mark.requirement("MB-12")
def test_each_error_is_named_by_its_line() -> None:
    text = HEADER + "\n".join(
        [
            f"赌博网站\t{CATEGORY}\tstop\tMB-12.2",  # line 2: fine
            f"\t{CATEGORY}\tstop\tMB-12.2",  # 3: empty term
            "某词\tbj10.nonsense\tstop\tMB-12.2",  # 4: unknown category
            f"某词\t{CATEGORY}\tdelete\tMB-12.2",  # 5: bad action
            f"赌博网站\t{CATEGORY}\treview\tMB-12",  # 6: duplicate of line 2
            f"多一列\t{CATEGORY}\tstop\tMB-12.2\textra",  # 7: five fields
            f"坏依据\t{CATEGORY}\tstop\tnot an id",  # 8: legal basis
            "x" * 65 + f"\t{CATEGORY}\tstop\tMB-12.2",  # 9: too long
        ]
    )
    parsed = parse(text)
    assert [(e.line, e.error.split(" ")[0]) for e in parsed.errors] == [
        (3, "an"),
        (4, "unknown"),
        (5, "bad"),
        (6, "duplicate"),
        (7, "5"),
        (8, "the"),
        (9, "a"),
    ]
    assert "line 2" in parsed.errors[3].error and parsed.error_count == 7


@pytest.mark.requirement("MB-12")
def test_the_header_is_required_and_its_columns_may_come_in_any_order() -> None:
    assert parse(f"赌博网站\t{CATEGORY}\tstop\tMB-12.2\n").errors[0].line == 1
    assert parse("").errors[0].line == 1
    reordered = parse(f"action\tlegal_basis\tid\tterm\tcategory\r\nstop\tMB-12.2,BJ-10\t9\t赌博网站\t{CATEGORY}\r\n")
    assert reordered.errors == []
    assert reordered.entries == [TsvEntry("赌博网站", CATEGORY, "stop", ("MB-12.2", "BJ-10"))]


@pytest.mark.requirement("MB-12")
def test_the_error_list_is_capped_but_every_error_counted() -> None:
    text = HEADER + "".join("\tbad\tbad\tbad\n" for _ in range(MAX_ERRORS + 50))
    parsed = parse(text)
    assert len(parsed.errors) == MAX_ERRORS and parsed.error_count == MAX_ERRORS + 50


@pytest.mark.requirement("MB-12")
@given(st.text(max_size=200))
def test_any_text_is_read_without_a_crash(text: str) -> None:
    parsed = parse(HEADER + text)
    assert parsed.error_count >= len(parsed.errors)
    for entry in parsed.entries:
        assert "\t" not in entry.term and "\n" not in entry.term


@pytest.mark.requirement("MB-12")
def test_a_field_with_a_tab_is_never_written() -> None:
    with pytest.raises(ValueError):
        lexicon_tsv.tsv_line(["a\tb"])


@pytest.mark.requirement("MB-12")
def test_a_change_adds_what_is_new_or_changed_and_replace_removes_the_rest() -> None:
    live = [
        {"id": 1, "term": "same", "category": CATEGORY, "action": "stop", "legal_basis": ["MB-12.2"]},
        {"id": 2, "term": "changed", "category": CATEGORY, "action": "review", "legal_basis": ["MB-12.2"]},
        {"id": 3, "term": "absent", "category": CATEGORY, "action": "stop", "legal_basis": ["MB-12.2"]},
    ]
    wanted = [
        TsvEntry("same", CATEGORY, "stop", ("MB-12.2",)),
        TsvEntry("changed", CATEGORY, "stop", ("MB-12.2",)),
        TsvEntry("new", CATEGORY, "label", ("MB-12",)),
    ]
    add, remove = plan_change(wanted, live, replace=False)
    assert [a["term"] for a in add] == ["changed", "new"] and remove == [2]
    add, remove = plan_change(wanted, live, replace=True)
    assert [a["term"] for a in add] == ["changed", "new"] and remove == [2, 3]
