"""What a model's SQL does, normalised so that two models doing the same thing compare equal.

Jinja calls become placeholders (`ref('x')` -> `__ref_x`, `source('a', 'b')` -> `__src_a__b`,
anything else `__jinja`), then sqlglot parses the text. From every select the shape keeps the
projections, the filters (each AND-ed condition) and the join conditions, with table qualifiers,
aliases, case and whitespace dropped, so renamed CTEs and aliases do not matter. When the SQL does
not parse, word shingles of the same text stand in for it.
"""

from __future__ import annotations

import re
import sys
import threading
from dataclasses import dataclass
from typing import Iterable

import sqlglot
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.generator import Generator

_COMMENT = re.compile(r"\{#.*?#\}|--[^\n]*|/\*.*?\*/", re.S)
_STATEMENT = re.compile(r"\{%.*?%\}", re.S)
_REF = re.compile(r"""\{\{-?\s*ref\s*\(\s*(?:['"][^'"]+['"]\s*,\s*)?['"]([^'"]+)['"][^}]*\}\}""")
_SOURCE = re.compile(r"""\{\{-?\s*source\s*\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)\s*-?\}\}""")
_EXPRESSION = re.compile(r"\{\{.*?\}\}", re.S)
_WORD = re.compile(r"[a-z_][a-z0-9_]*|\d+|'[^']*'")
SHINGLE_WIDTH = 3


@dataclass(frozen=True, slots=True)
class SqlShape:
    """The comparable parts of one model's SQL."""

    projections: frozenset[str]
    filters: frozenset[str]
    joins: frozenset[str]
    output_columns: tuple[str, ...]
    """Names of the final select's columns (empty when it is `select *` or did not parse)."""
    shingles: frozenset[str]
    parsed: bool
    features: frozenset[str] = frozenset()
    """Everything compared when both sides parsed, tagged by the clause it came from."""


def _features(projections: set[str], filters: set[str], joins: set[str]) -> frozenset[str]:
    tagged = [*(f"p:{p}" for p in projections), *(f"w:{w}" for w in filters), *(f"j:{j}" for j in joins)]
    return frozenset(map(sys.intern, tagged))


def placeholders(sql_text: str) -> str:
    """The SQL with comments dropped and Jinja replaced by names sqlglot can parse."""
    text = _COMMENT.sub(" ", sql_text)
    text = _STATEMENT.sub(" ", text)
    text = _REF.sub(lambda m: f" __ref_{_safe(m.group(1))} ", text)
    text = _SOURCE.sub(lambda m: f" __src_{_safe(m.group(1))}__{_safe(m.group(2))} ", text)
    return _EXPRESSION.sub(" __jinja ", text)


def _safe(name: str) -> str:
    return re.sub(r"\W", "_", name.lower())


SHAPE_MAX_CHARS = 200_000
"""A model longer than this (generated SQL, a 10 MB union) is compared by the shingles of its
start only and never parsed: a parse would take minutes and say nothing a person could use."""


def shape_of(sql_text: str, dialect: str = "duckdb") -> SqlShape:
    """Parse and normalise; an unparseable text still gets its shingles (and parsed=False)."""
    if len(sql_text) > SHAPE_MAX_CHARS:
        return SqlShape(frozenset(), frozenset(), frozenset(), (), word_shingles(placeholders(sql_text[:SHAPE_MAX_CHARS])), False)
    text = placeholders(sql_text)
    shingles = word_shingles(text)
    try:
        statement = sqlglot.parse_one(text, read=dialect)
    except (sqlglot.errors.ParseError, sqlglot.errors.TokenError, ValueError):
        return SqlShape(frozenset(), frozenset(), frozenset(), (), shingles, False)
    if statement is None:
        return SqlShape(frozenset(), frozenset(), frozenset(), (), shingles, False)
    projections: set[str] = set()
    filters: set[str] = set()
    joins: set[str] = set()
    for select in statement.find_all(exp.Select):
        projections.update(_projection_text(p) for p in select.expressions if not isinstance(p, exp.Star))
        where = select.args.get("where")
        if where is not None:
            filters.update(_normal(part) for part in _conjuncts(where.this))
        for join in select.args.get("joins") or ():
            on = join.args.get("on")
            if on is not None:
                joins.update(_normal(part) for part in _conjuncts(on))
    features = _features(projections, filters, joins)
    return SqlShape(
        frozenset(projections), frozenset(filters), frozenset(joins), _output_columns(statement), shingles, True, features
    )


def shape_from_parts(
    sql_text: str, parsed: bool, projections: Iterable[str], filters: Iterable[str], joins: Iterable[str],
    output_columns: Iterable[str],
) -> SqlShape:
    """A shape whose parsed parts are known already (the disk cache): only the shingles are rebuilt."""
    shingles = word_shingles(placeholders(sql_text))
    p, w, j = set(projections), set(filters), set(joins)
    return SqlShape(frozenset(p), frozenset(w), frozenset(j), tuple(output_columns), shingles, parsed, _features(p, w, j))


def _conjuncts(condition: exp.Expression) -> list[exp.Expression]:
    if isinstance(condition, exp.And):
        return [*_conjuncts(condition.left), *_conjuncts(condition.right)]
    if isinstance(condition, exp.Paren):
        return _conjuncts(condition.this)
    return [condition]


def _projection_text(projection: exp.Expression) -> str:
    """A select item without its alias, unless it is a bare column (then its output name counts)."""
    inner = projection.unalias() if isinstance(projection, exp.Alias) else projection
    return _normal(inner)


_QUALIFIER = re.compile(r'(?<![\w."])(?:"[^"]+"|[a-z_][a-z0-9_$]*)\.(?=["a-z_])')


_GENERATORS = threading.local()


def _generator() -> Generator:
    """One DuckDB generator per thread, reused: `node.sql()` builds a generator and copies the
    node on every call, which cost more than the parse itself."""
    generator = getattr(_GENERATORS, "duckdb", None)
    if generator is None:
        generator = _GENERATORS.duckdb = Dialect.get_or_raise("duckdb").generator()
    return generator


def _normal(node: exp.Expression) -> str:
    """The expression's SQL with qualifiers dropped, lower case, single spaces (generated once,
    then qualifiers cut from the text: copying the tree to drop them costs twice as much)."""
    text = " ".join(_generator().sql(node).lower().split())
    return _QUALIFIER.sub("", text)


def _output_columns(statement: exp.Expression) -> tuple[str, ...]:
    """The final select's column names; through `select * from last_cte` to that CTE's."""
    select = statement if isinstance(statement, exp.Select) else statement.find(exp.Select)
    seen = 0
    while isinstance(select, exp.Select) and seen < 20:
        seen += 1
        names = [p.alias_or_name.lower() for p in select.selects if not isinstance(p, exp.Star)]
        if names and len(names) == len(select.selects):
            return tuple(names)
        select = _star_target(statement, select)
    return ()


def _star_target(statement: exp.Expression, select: exp.Select) -> exp.Select | None:
    """For `select * from x` where x is a CTE of the statement: that CTE's select."""
    source = select.args.get("from_") or select.args.get("from")
    table = source.this if source is not None else None
    if not isinstance(table, exp.Table) or select.args.get("joins"):
        return None
    for cte in statement.find_all(exp.CTE):
        if cte.alias_or_name.lower() == table.name.lower() and isinstance(cte.this, exp.Select):
            return cte.this
    return None


def word_shingles(text: str) -> frozenset[str]:
    """Runs of SHINGLE_WIDTH words: the fallback comparison, and the index's key for SQL."""
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE_WIDTH:
        return frozenset(words)
    # Interned: the same runs recur across a project's models, and one copy each halves a large index.
    return frozenset(sys.intern(" ".join(words[i : i + SHINGLE_WIDTH])) for i in range(len(words) - SHINGLE_WIDTH + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared over all; the union is counted, not built (a project scan asks this of every pair)."""
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)
