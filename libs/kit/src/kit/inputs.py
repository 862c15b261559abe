"""Types for what a request carries: texts PostgreSQL can store, integers that fit its columns, and
JSON scalars taken as they are written (no `true` read as 1, no `"3"` read as 3).

Every service's request bodies derive from ``RequestModel``; query and path parameters use ``Text``,
``BigInt`` and ``RowId``, so that bad input is a 422 problem before any SQL runs.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any

from annotated_types import Ge, Le
from pydantic import AfterValidator, BaseModel, Field, StrictBool, StrictFloat, StrictInt, model_validator
from pydantic_core import PydanticCustomError

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

# Characters that print nothing: controls, format characters (zero-width space and joiner, bidi
# controls, BOM), separators, combining marks standing alone, and the few letters and symbols that
# render blank (Hangul fillers, the braille blank).
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})
_BLANK_GLYPHS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")


def unstorable(text: str) -> str | None:
    """Why PostgreSQL cannot store ``text`` (a NUL character, or half of a UTF-16 surrogate pair), or None."""
    if "\x00" in text:
        return "contains a NUL character (U+0000), which text cannot hold"
    if any("\ud800" <= c <= "\udfff" for c in text):
        return "contains a lone surrogate (U+D800..U+DFFF), which is not a character"
    return None


def is_visible(text: str) -> bool:
    """True when ``text`` shows something: at least one character that is neither blank nor invisible."""
    return any(c not in _BLANK_GLYPHS and unicodedata.category(c) not in _INVISIBLE_CATEGORIES for c in text)


def _storable(text: str) -> str:
    why = unstorable(text)
    if why is not None:
        raise PydanticCustomError("unstorable_text", "The text " + why + ".")
    return text


def _visible(text: str) -> str:
    if not is_visible(text):
        raise PydanticCustomError(
            "invisible_text", "The text shows nothing: it is only spaces, controls or invisible characters."
        )
    return text


# A text PostgreSQL can store: for query parameters and body fields alike.
Text = Annotated[str, AfterValidator(_storable)]
# A text someone must be able to read (posts, names, reasons): also refuses blank and invisible-only text.
VisibleText = Annotated[str, AfterValidator(_storable), AfterValidator(_visible)]

# Integers in paths and query strings (written as text): any 64-bit value PostgreSQL's bigint holds.
BigInt = Annotated[int, Ge(INT64_MIN), Le(INT64_MAX)]
# An id of a bigserial row: positive.
RowId = Annotated[int, Ge(1), Le(INT64_MAX)]
# JSON body scalars, taken only as written: `true` is no number, `1` no boolean, `"1"` neither.
Int = Annotated[StrictInt, Ge(INT64_MIN), Le(INT64_MAX)]
Int32 = Annotated[StrictInt, Ge(-(2**31)), Le(2**31 - 1)]  # for an `integer` column
Bool = StrictBool
Float = Annotated[StrictFloat, Field(allow_inf_nan=False)]  # an integer is a float too; `true` is not


def _refuse_unstorable(value: Any, path: tuple[str | int, ...] = ()) -> None:
    """Walk raw JSON input: any string (key or value) PostgreSQL could not store is refused."""
    if isinstance(value, str):
        why = unstorable(value)
        if why is not None:
            where = ".".join(str(p) for p in path) or "body"
            raise PydanticCustomError("unstorable_text", "{where}: the text " + why + ".", {"where": where})
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_unstorable(key, path)
            _refuse_unstorable(item, (*path, key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _refuse_unstorable(item, (*path, index))


class RequestModel(BaseModel):
    """Base of every request body: no string anywhere in it may hold what PostgreSQL refuses (a NUL,
    a lone surrogate), whatever the field's type. Fields use ``Int``/``Bool``/``Float`` for JSON
    scalars so that loose values are refused rather than coerced."""

    @model_validator(mode="before")
    @classmethod
    def _storable_strings(cls, data: Any) -> Any:
        _refuse_unstorable(data)
        return data
