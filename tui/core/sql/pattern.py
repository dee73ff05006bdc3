"""The guard's last resort: relations after `from`/`join` found by pattern in the raw model text.

Used only when a model cannot be rendered or parsed, so that an unparsable model that reads a raw
table is still reported. The text is prepared so the usual false positives of a regex cannot
match: comments, string literals and Jinja are blanked (offsets kept, so lines stay true); CTE
names, table functions (`unnest(...)`, `read_csv(...)`), `is distinct from`, and the `from` inside
`extract(... from ...)`, `substring`, `trim`, `position` and `overlay` are skipped. No Textual here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tui.core.sql.lines import blank_comments

_JINJA = re.compile(r"{{.*?}}|{%.*?%}", re.S)
_NAME_PART = r'(?:[A-Za-z_][\w$]*|"[^"\n]+"|`[^`\n]+`|\[[^\]\n]+\])'
_RELATION = re.compile(
    rf"\b(from|join)\s+({_NAME_PART}(?:\s*\.\s*{_NAME_PART}){{0,2}})(?!\s*\.)",
    re.IGNORECASE,
)
# Any `name as (` defines a CTE, also after a mistyped `with` (the text is being edited).
_CTE_NAME = re.compile(rf"\b({_NAME_PART})\s*(?:\([^()]*\)\s*)?as\s*(?:not\s+)?(?:materialized\s+)?\(", re.IGNORECASE)
_FUNCTIONS_WITH_FROM = frozenset({"extract", "substring", "substr", "trim", "position", "overlay", "date_part", "ltrim", "rtrim"})
_NOT_RELATIONS = frozenset({"select", "lateral", "unnest", "values", "table", "the", "where", "on", "using"})
_WORD_BEFORE = re.compile(r"([A-Za-z_]\w*)\s*$")


@dataclass(frozen=True)
class PatternHit:
    """A relation the pattern found: as written, and its 1-based line in the file."""

    relation: str
    line: int


def prepared_text(text: str) -> str:
    """The model with comments, string contents and Jinja blanked, same length and newlines."""
    blanked = blank_comments(text)
    return _JINJA.sub(lambda m: "".join("\n" if c == "\n" else "\x01" for c in m.group(0)), blanked)


def find_by_pattern(text: str) -> list[PatternHit]:
    """Relations read after `from`/`join` that are not CTEs, functions or placeholders."""
    prepared = prepared_text(text)
    ctes = {_bare(m.group(1)) for m in _CTE_NAME.finditer(prepared)}
    hits: list[PatternHit] = []
    for match in _RELATION.finditer(prepared):
        relation = re.sub(r"\s+", "", match.group(2))
        if _skipped(prepared, match, relation, ctes):
            continue
        hits.append(PatternHit(relation, prepared.count("\n", 0, match.start(2)) + 1))
    return hits


def _bare(name: str) -> str:
    return name.strip('"`[]').lower()


def _skipped(prepared: str, match: re.Match[str], relation: str, ctes: set[str]) -> bool:
    parts = relation.split(".")
    if len(parts) == 1 and (_bare(relation) in ctes or _bare(relation) in _NOT_RELATIONS):
        return True
    after = prepared[match.end(2): match.end(2) + 40].lstrip()
    if after.startswith("(") or after.startswith("\x01"):
        return True  # a table function, or a name Jinja completes
    before = prepared[max(0, match.start(1) - 40): match.start(1)]
    if re.search(r"\bdistinct\s*$", before, re.IGNORECASE):
        return True  # `is distinct from`
    if match.start(1) > 0 and prepared[match.start(1) - 1] in ".\x01":
        return True
    return _inside_function_with_from(prepared, match.start(1))


def _inside_function_with_from(prepared: str, offset: int) -> bool:
    """True when `from` sits inside `extract(` / `substring(` / `trim(`... (not a relation)."""
    depth = 0
    start = max(0, offset - 2000)
    for index in range(offset - 1, start - 1, -1):
        char = prepared[index]
        if char == ")":
            depth += 1
        elif char == "(":
            if depth == 0:
                word = _WORD_BEFORE.search(prepared[max(0, index - 40): index])
                return bool(word) and word.group(1).lower() in _FUNCTIONS_WITH_FROM
            depth -= 1
    return False
