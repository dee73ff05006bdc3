"""The columns of the relations the project has built, for comparing models by what they output.

One read-only query per index build. Only DuckDB is read directly so far; other adapters give
nothing here (their columns come from YAML, a fresh catalog.json or the SQL). A file another
process holds gives nothing and the reason, never an error: the finder works without it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Mapping

from tui.core.errors import WorkbenchError
from tui.core.project.profiles import Connection
from tui.core.warehouse.duckdb_catalog import read_only


def built_columns(connection: Connection, skip_schemas: frozenset[str] = frozenset()) -> tuple[Mapping[str, tuple[str, ...]], str]:
    """Relation name (lower case) -> column names in order, and what was read (or why not).

    `skip_schemas` are the sources' schemas: a raw table named like a model is not that model."""
    if connection.adapter_type != "duckdb" or connection.duckdb_path is None:
        return {}, "no warehouse columns (only DuckDB is read directly)"
    if not connection.duckdb_path.is_file():
        return {}, "no warehouse columns (the DuckDB file is not built yet)"
    try:
        rows = read_only(
            connection.duckdb_path,
            "select table_schema, table_name, column_name from information_schema.columns "
            "where table_catalog = current_database() order by table_schema, table_name, ordinal_position",
        )
    except WorkbenchError as error:
        return {}, f"no warehouse columns: {error}"
    columns: dict[str, list[str]] = defaultdict(list)
    for schema, table, column in rows:
        if str(schema).lower() not in skip_schemas:
            columns[str(table).lower()].append(str(column).lower())
    return {table: tuple(names) for table, names in columns.items()}, f"columns of {len(columns)} built relations"
