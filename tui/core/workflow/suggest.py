"""Step 3's test suggestions: the model's data profiled in one aggregate query, tests proposed with evidence.

The profile runs the model's compiled query as a subquery on a read-only connection (nothing is
written, the model need not be built): rows, and per column its non-null and distinct counts, in
one query; then, in a second, the values of the text columns with at most MAX_VALUES of them,
and one query per `*_id` column that may reference a parent model's key. Suggestions use dbt
1.11's `data_tests:` key and `arguments:` form; a test the entry has already is not suggested.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

from tui.core.warehouse.query_rows import as_subquery
from tui.core.warehouse.reader import Reader

MAX_VALUES = 10
KEY_NAME = re.compile(r"^(id|.*_(id|key|sk|pk))$")
TEXT_TYPES = ("varchar", "text", "string", "char")
COMPOSITE_CANDIDATES = 5


@dataclass(frozen=True, slots=True)
class ColumnProfile:
    name: str
    data_type: str
    non_null: int
    distinct: int
    values: tuple[Any, ...] | None = None
    """Its distinct values when they are few and it is text."""


@dataclass(frozen=True, slots=True)
class Profile:
    rows: int
    columns: tuple[ColumnProfile, ...]
    pairs_distinct: Mapping[tuple[str, str], int]


@dataclass(frozen=True, slots=True)
class Suggestion:
    column: str | None
    """None: a model-level test."""
    test: Any
    """As it goes in the entry's `data_tests:` list."""
    evidence: str

    @property
    def title(self) -> str:
        name = self.test if isinstance(self.test, str) else next(iter(self.test))
        return f"{self.column}: {name}" if self.column else f"model: {name}"


def profile_query(sql: str, columns: Sequence[tuple[str, str]], pairs: Sequence[tuple[str, str]], quote: Callable[[str], str]) -> str:
    """`quote`: the reader's way of quoting a name (Reader.quote)."""
    parts = ["count(*)"]
    for name, _ in columns:
        parts += [f"count({quote(name)})", f"count(distinct {quote(name)})"]
    parts += [f"count(distinct ({quote(a)}, {quote(b)}))" for a, b in pairs]
    return f"select {', '.join(parts)} from {as_subquery(sql)} as profiled"


def profile_model(reader: Reader, sql: str, columns: Sequence[tuple[str, str]]) -> Profile:
    """One aggregate query for the counts, one for the few values of text columns."""
    pairs = _pair_candidates(columns)
    with reader.session(f"Profiling the model failed in {reader.label}") as session:
        counts = session.one(profile_query(sql, columns, pairs, reader.quote))
        rows = int(counts[0])
        profiles = [
            ColumnProfile(name, data_type, int(counts[1 + 2 * i]), int(counts[2 + 2 * i]))
            for i, (name, data_type) in enumerate(columns)
        ]
        few = [p for p in profiles if _is_text(p.data_type) and 0 < p.distinct <= MAX_VALUES and p.distinct < rows]
        if few:
            lists = ", ".join(reader.distinct_values(reader.quote(p.name)) for p in few)
            found = session.one(f"select {lists} from {as_subquery(sql)} as profiled")
            values = {p.name: tuple(sorted(v for v in found[i] if v is not None)) for i, p in enumerate(few)}
            profiles = [ColumnProfile(p.name, p.data_type, p.non_null, p.distinct, values.get(p.name)) for p in profiles]
    offset = 1 + 2 * len(columns)
    pairs_distinct = {pair: int(counts[offset + i]) for i, pair in enumerate(pairs)}
    return Profile(rows, tuple(profiles), pairs_distinct)


def _is_text(data_type: str) -> bool:
    return data_type.lower().startswith(TEXT_TYPES)


def _pair_candidates(columns: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    keys = [name for name, _ in columns if KEY_NAME.match(name.lower())][:COMPOSITE_CANDIDATES]
    return [(a, b) for i, a in enumerate(keys) for b in keys[i + 1:]]


def unmatched_count(reader: Reader, sql: str, column: str, parent_relation: str, parent_column: str) -> int:
    """Rows whose `column` has a value the parent's key does not have (0: every value matches)."""
    quote = reader.quote
    query = (
        f"select count(*) from {as_subquery(sql)} as child where child.{quote(column)} is not null "
        f"and child.{quote(column)} not in (select {quote(parent_column)} from {parent_relation} where {quote(parent_column)} is not null)"
    )
    with reader.session(f"Checking {column} against {parent_relation} failed") as session:
        return int(session.one(query)[0])


def suggestions(profile: Profile, existing: Mapping[str, Sequence[str]], dbt_utils: bool) -> list[Suggestion]:
    """Tests the data supports, best first; `existing` is the test names each column has ('' = model)."""
    found: list[Suggestion] = []
    rows = profile.rows
    if rows == 0:
        return []
    keys = [p for p in profile.columns if KEY_NAME.match(p.name.lower()) and p.distinct == rows and p.non_null == rows]
    key_names = {keys[0].name} if keys else set()
    for column in profile.columns:
        has = set(existing.get(column.name.lower(), ()))
        nulls = rows - column.non_null
        if column.name in key_names:
            evidence = f"{rows:,} rows, {column.distinct:,} distinct, 0 null"
            found += [Suggestion(column.name, t, evidence) for t in ("unique", "not_null") if t not in has]
            continue
        if nulls == 0 and "not_null" not in has:
            found.append(Suggestion(column.name, "not_null", f"{rows:,} rows, 0 null"))
        if column.values and "accepted_values" not in has:
            shown = ", ".join(str(v) for v in column.values)
            found.append(Suggestion(
                column.name, {"accepted_values": {"arguments": {"values": list(column.values)}}},
                f"{rows:,} rows, {column.distinct} distinct values: {shown}",
            ))
    if not keys and dbt_utils:
        found += _composite(profile, existing.get("", ()))
    return found


def _composite(profile: Profile, model_tests: Sequence[str]) -> list[Suggestion]:
    if "dbt_utils.unique_combination_of_columns" in model_tests:
        return []
    for (a, b), distinct in profile.pairs_distinct.items():
        if distinct == profile.rows:
            test = {"dbt_utils.unique_combination_of_columns": {"arguments": {"combination_of_columns": [a, b]}}}
            return [Suggestion(None, test, f"{profile.rows:,} rows, {distinct:,} distinct ({a}, {b}) pairs")]
    return []


def relationship_suggestion(column: str, parent_model: str, parent_column: str, unmatched: int, rows: int) -> Suggestion | None:
    if unmatched:
        return None
    test = {"relationships": {"arguments": {"to": f"ref('{parent_model}')", "field": parent_column}}}
    return Suggestion(column, test, f"every one of {rows:,} rows' {column} is a {parent_model}.{parent_column}")


def with_tests(entry: Mapping[str, Any], chosen: Sequence[Suggestion]) -> dict[str, Any]:
    """The entry with the chosen tests added under `data_tests:` (a column missing is added)."""
    result = dict(entry)
    columns = [dict(c) if isinstance(c, dict) else c for c in result.get("columns") or []]
    for suggestion in chosen:
        if suggestion.column is None:
            key = _test_key(result)
            result[key] = [*(result.get(key) or []), suggestion.test]
            continue
        column = next((c for c in columns if isinstance(c, dict) and str(c.get("name")).lower() == suggestion.column.lower()), None)
        if column is None:
            column = {"name": suggestion.column}
            columns.append(column)
        key = _test_key(column)
        column[key] = [*(column.get(key) or []), suggestion.test]
    if columns:
        result["columns"] = columns
    return result


def _test_key(node: Mapping[str, Any]) -> str:
    """`tests:` where the node uses it already (dbt refuses both keys on one node), else `data_tests:`."""
    return "tests" if "tests" in node and "data_tests" not in node else "data_tests"


def test_names(tests: Sequence[Any]) -> list[str]:
    """The names of tests as an entry lists them (`unique`, `accepted_values: {...}`)."""
    names = []
    for test in tests or ():
        if isinstance(test, str):
            names.append(test)
        elif isinstance(test, dict) and test:
            names.append(str(next(iter(test))))
    return names
