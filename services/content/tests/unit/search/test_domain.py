"""What a search query may be: 2 to 100 characters once normalised, at most 10 terms."""

from __future__ import annotations

import pytest
from content.search.domain import SearchQueryTooLong, SearchQueryTooShort, search_query


def test_a_query_is_normalised() -> None:
    assert search_query("  天气\u3000很好  ") == "天气 很好"  # the ideographic space is a space
    assert search_query("ＩＰｈｏｎｅ") == "IPhone"  # full width folded (NFKC); case is folded in SQL


@pytest.mark.parametrize("q", ["", " ", "天", "\u3000a\u3000"])
def test_too_short_is_refused(q: str) -> None:
    with pytest.raises(SearchQueryTooShort) as refused:
        search_query(q)
    assert refused.value.status == 422


@pytest.mark.parametrize("q", ["天" * 101, " ".join(["天气"] * 11)])
def test_too_long_is_refused(q: str) -> None:
    with pytest.raises(SearchQueryTooLong):
        search_query(q)
