"""Which output columns of a compiled model pass through unchanged from an upstream relation.

A column passes through when the final select takes it as a bare column of the same name (or
through `*`), following CTEs, from one relation named in `from`/`join`. Anything else (renamed,
cast, computed, aggregated, from a subquery, ambiguous) passes nothing: a wrong inherited
description is worse than none. Parsed with sqlglot in the target's dialect.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlglot
from sqlglot import exp

MAX_DEPTH = 20


@dataclass(frozen=True, slots=True)
class PassedThrough:
    column: str
    relation: str
    """The upstream relation's name (its last part, lower case: a model's alias is its name);
    empty for a column named in the select that does not pass (so a `*` beside it is not used)."""


def passed_through(sql: str, dialect: str | None = None) -> dict[str, PassedThrough]:
    """Output column (lower case) -> the relation it comes from unchanged; {} when unparsable."""
    try:
        tree = sqlglot.parse_one(sql, read=dialect or None)
    except (sqlglot.errors.ParseError, sqlglot.errors.TokenError, ValueError):
        return {}
    select = _final_select(tree)
    if select is None:
        return {}
    return _trace_select(select, _ctes_of(tree), 0)


def _final_select(tree: exp.Expression) -> exp.Select | None:
    if isinstance(tree, exp.Select):
        return tree
    return None  # a union or anything else: no column is one upstream column


def _ctes_of(tree: exp.Expression) -> dict[str, exp.Expression]:
    ctes = {}
    for cte in tree.find_all(exp.CTE):
        ctes[cte.alias_or_name.lower()] = cte.this
    return ctes


def _sources(select: exp.Select) -> dict[str, exp.Expression]:
    """Alias (or name) -> the table or subquery each `from`/`join` names."""
    found: dict[str, exp.Expression] = {}
    from_ = select.args.get("from_") or select.args.get("from")
    parts = [from_.this] if from_ is not None else []
    parts += [join.this for join in select.args.get("joins") or []]
    for part in parts:
        found[(part.alias_or_name or "").lower()] = part
    return found


def _trace_select(select: exp.Select, ctes: dict[str, exp.Expression], depth: int) -> dict[str, PassedThrough]:
    if depth > MAX_DEPTH or select.args.get("group") is not None:
        return {}
    sources = _sources(select)
    traced: dict[str, PassedThrough] = {}
    blocked: dict[str, bool] = {}
    for projection in select.expressions:
        star = projection.this if isinstance(projection, exp.Column) and isinstance(projection.this, exp.Star) else projection
        if isinstance(star, exp.Star):
            for excepted in (star.args.get("except") or star.args.get("exclude") or []) + (star.args.get("replace") or []):
                blocked[(excepted.alias_or_name or "").lower()] = True
        if isinstance(projection, exp.Star):
            if len(sources) == 1:
                traced.update(_everything_from(next(iter(sources.values())), ctes, depth))
            continue
        if isinstance(projection, exp.Column) and isinstance(projection.this, exp.Star):
            source = sources.get(projection.table.lower())
            if source is not None:
                traced.update(_everything_from(source, ctes, depth))
            continue
        column = projection.this if isinstance(projection, exp.Alias) else projection
        name = (projection.alias_or_name or "").lower()
        blocked[name] = True  # named here: never taken from a `*` beside it
        if not isinstance(column, exp.Column) or not isinstance(column.this, exp.Identifier):
            continue
        if column.name.lower() != name:
            continue  # renamed: its meaning may differ
        source = sources.get(column.table.lower()) if column.table else (next(iter(sources.values())) if len(sources) == 1 else None)
        if source is not None:
            found = _column_from(source, name, ctes, depth)
            if found is not None:
                traced[name] = found
                blocked.pop(name, None)
    for name in blocked:
        traced.setdefault(name, PassedThrough(name, ""))  # no relation: it does not pass through
    return traced


def _everything_from(source: exp.Expression, ctes: dict[str, exp.Expression], depth: int) -> dict[str, PassedThrough]:
    """`select *` from a source: every column the source passes (a table: any column, marked by '*')."""
    if isinstance(source, exp.Table):
        cte = ctes.get(source.name.lower()) if not source.db else None
        if isinstance(cte, exp.Select):
            return _trace_select(cte, ctes, depth + 1)
        return {"*": PassedThrough("*", source.name.lower())}
    return {}


def _column_from(source: exp.Expression, name: str, ctes: dict[str, exp.Expression], depth: int) -> PassedThrough | None:
    if not isinstance(source, exp.Table):
        return None
    cte = ctes.get(source.name.lower()) if not source.db else None
    if cte is None:
        return PassedThrough(name, source.name.lower())
    if not isinstance(cte, exp.Select):
        return None
    inner = _trace_select(cte, ctes, depth + 1)
    if name in inner:
        return inner[name] if inner[name].relation else None
    star = inner.get("*")
    return PassedThrough(name, star.relation) if star is not None else None
