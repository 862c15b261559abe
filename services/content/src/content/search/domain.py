"""Search rules, free of I/O: what a query may be. How text is cut into tokens (CJK bigrams and
words) is the database's (migration 0012: search_tokens), so a post and a query are cut alike."""

from __future__ import annotations

import unicodedata

from kit.problems import InvalidInput

# A query has 2 to 100 characters once normalised (NFKC, spaces trimmed): a single ideograph cannot be
# looked up in a bigram index, and a long query is no search but a paste.
SEARCH_MIN_CHARS = 2
SEARCH_MAX_CHARS = 100
# At most this many terms (separated by spaces), each of which a post must contain.
SEARCH_MAX_TERMS = 10


class SearchQueryTooShort(InvalidInput):
    type = "search-query-too-short"
    title = "Search query too short"


class SearchQueryTooLong(InvalidInput):
    type = "search-query-too-long"
    title = "Search query too long"


def search_query(q: str) -> str:
    """The query as searched: NFKC-normalised, spaces collapsed; refused when too short or too long."""
    terms = unicodedata.normalize("NFKC", q).split()
    query = " ".join(terms)
    if len(query) < SEARCH_MIN_CHARS:
        raise SearchQueryTooShort(
            f"A search needs at least {SEARCH_MIN_CHARS} characters (a word of two ideographs, or more).",
            min_chars=SEARCH_MIN_CHARS,
        )
    if len(query) > SEARCH_MAX_CHARS or len(terms) > SEARCH_MAX_TERMS:
        raise SearchQueryTooLong(
            f"A search has at most {SEARCH_MAX_CHARS} characters and {SEARCH_MAX_TERMS} terms.",
            max_chars=SEARCH_MAX_CHARS,
            max_terms=SEARCH_MAX_TERMS,
        )
    return query


def unsearchable(query: str) -> SearchQueryTooShort:
    """The refusal of a query with nothing to look up: only single ideographs or punctuation."""
    return SearchQueryTooShort(
        f"Nothing to look up in {query!r}: a search needs a word of two ideographs, or letters or digits.",
        min_chars=SEARCH_MIN_CHARS,
    )
