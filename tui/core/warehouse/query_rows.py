"""The first rows of a query, and how many rows it has in all, read without holding the warehouse.

The query runs through the target's reader on a read-only connection opened for it and closed at
once (for DuckDB with external access off, so a dbt job can take the file right after). It is
wrapped as a subquery, so an `order by` or a trailing `limit` in it keeps its meaning, and only
`limit` rows ever reach memory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from tui.core.warehouse.reader import Reader

ROWS_SHOWN = 100
_TRAILING_SEMICOLON = re.compile(r";(\s*(?:--[^\n]*)?)$")


@dataclass(frozen=True, slots=True)
class QueryRows:
    columns: tuple[str, ...]
    types: tuple[str, ...]
    rows: tuple[tuple, ...]
    total: int | None
    """All rows of the query; None when it was not counted."""


def as_subquery(sql: str) -> str:
    """The query as something `select ... from (...)` can hold: no trailing `;`, and a newline
    before the closing parenthesis so that a trailing `-- comment` cannot swallow it."""
    body = sql.strip()
    while True:
        trimmed = _TRAILING_SEMICOLON.sub(r"\1", body).strip()
        if trimmed == body:
            return f"(\n{body}\n)"
        body = trimmed


def query_rows(reader: Reader, sql: str, limit: int = ROWS_SHOWN, offset: int = 0, count: bool = True) -> QueryRows:
    """Rows `offset`..`offset + limit` of the query and, when `count`, its row count."""
    wrapped = as_subquery(sql)
    with reader.session(f"The query failed in {reader.label}") as session:
        described, rows = session.fetch(f"select * from {wrapped} as shown limit {int(limit)} offset {int(offset)}")
        total = int(session.one(f"select count(*) from {wrapped} as counted")[0]) if count else None
    return QueryRows(tuple(name for name, _ in described), tuple(kind for _, kind in described), tuple(tuple(row) for row in rows), total)


def query_columns(reader: Reader, sql: str) -> list[tuple[str, str]]:
    """The (name, type) of each column a query outputs, without reading its rows."""
    described = query_rows(reader, sql, limit=0, count=False)
    return list(zip(described.columns, described.types))
