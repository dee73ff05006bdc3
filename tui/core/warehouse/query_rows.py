"""The first rows of a query, and how many rows it has in all, read without holding the warehouse.

For a DuckDB target the query runs on a read-only connection with external access off, opened
for it and closed at once (so a dbt job can take the file right after). The query is wrapped as a
subquery, so an `order by` or a trailing `limit` in it keeps its meaning, and only `limit` rows
ever reach memory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tui.core.errors import WorkbenchError
from tui.core.project.profiles import Connection
from tui.core.warehouse.duckdb_catalog import read_only_connection

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


def duckdb_query_rows(database: Path, sql: str, limit: int = ROWS_SHOWN, offset: int = 0, count: bool = True) -> QueryRows:
    """Rows `offset`..`offset + limit` of the query and, when `count`, its row count."""
    if not database.is_file():
        raise WorkbenchError(f"The DuckDB file {database} does not exist yet: build the project first.")
    wrapped = as_subquery(sql)
    with read_only_connection(database, "The query failed in DuckDB") as connection:
        cursor = connection.execute(f"select * from {wrapped} as shown limit {int(limit)} offset {int(offset)}")
        described = cursor.description or []
        rows = tuple(tuple(row) for row in cursor.fetchall())
        total = connection.execute(f"select count(*) from {wrapped} as counted").fetchone()[0] if count else None
    return QueryRows(tuple(d[0] for d in described), tuple(str(d[1]).lower() for d in described), rows, total)


def query_columns(connection: Connection, sql: str) -> list[tuple[str, str]]:
    """The (name, type) of each column a query outputs, without reading its rows."""
    if connection.adapter_type != "duckdb" or connection.duckdb_path is None:
        adapter = connection.adapter_type or "this"
        raise WorkbenchError(f"Columns are read from DuckDB targets for now; a {adapter} target is not read yet.")
    described = duckdb_query_rows(connection.duckdb_path, sql, limit=0, count=False)
    return list(zip(described.columns, described.types))
