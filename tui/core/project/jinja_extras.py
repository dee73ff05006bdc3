"""dbt's Jinja filters `as_bool`, `as_number`, `as_text`, `as_native`, for every Jinja we render.

dbt renders with a "native" environment: `"{{ var('x') | as_bool }}"` yields a real boolean.
Ours render to text, so the filters convert the value the way dbt's do (a literal read from the
text) and the caller reads the text back with `truthy`. No Textual here.
"""

from __future__ import annotations

import ast
from typing import Any

FALSE_TEXTS = frozenset({"false", "0", "no", "off", "none", ""})


def _literal(value: Any) -> Any:
    """The Python literal a text spells (`'True'` -> True, `'3'` -> 3); other values unchanged."""
    if not isinstance(value, str):
        return value
    try:
        return ast.literal_eval(value.strip())
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return value


def as_bool(value: Any) -> Any:
    literal = _literal(value)
    if isinstance(literal, str):
        return literal.strip().lower() not in FALSE_TEXTS
    return bool(literal)


def as_number(value: Any) -> Any:
    literal = _literal(value)
    return literal if isinstance(literal, (int, float)) and not isinstance(literal, bool) else value


def as_text(value: Any) -> str:
    return "" if value is None else str(value)


def as_native(value: Any) -> Any:
    return _literal(value)


DBT_FILTERS = {"as_bool": as_bool, "as_number": as_number, "as_text": as_text, "as_native": as_native}


def truthy(value: Any) -> bool:
    """A config value read as dbt would: booleans as they are, texts like 'false' or '0' as False."""
    if isinstance(value, str):
        return value.strip().lower() not in FALSE_TEXTS
    return bool(value)
