"""The columns of the relations the project has built, for comparing models by what they output.

One read-only query per index build, through the target's reader. A warehouse that cannot be
read (not built yet, held by another process, an adapter not read directly) gives nothing and
the reason, never an error: the finder works without it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Mapping

from tui.core.errors import WorkbenchError
from tui.core.project.profiles import Connection
from tui.core.warehouse.catalog import all_columns
from tui.core.warehouse.reader import maybe_reader


def built_columns(connection: Connection, skip_schemas: frozenset[str] = frozenset()) -> tuple[Mapping[str, tuple[str, ...]], str]:
    """Relation name (lower case) -> column names in order, and what was read (or why not).

    `skip_schemas` are the sources' schemas: a raw table named like a model is not that model."""
    reader, why_not = maybe_reader(connection)
    if reader is None:
        return {}, f"no warehouse columns ({why_not})"
    try:
        rows = all_columns(reader)
    except WorkbenchError as error:
        return {}, f"no warehouse columns: {error}"
    columns: dict[str, list[str]] = defaultdict(list)
    for schema, table, column in rows:
        if schema.lower() not in skip_schemas:
            columns[table.lower()].append(column.lower())
    return {table: tuple(names) for table, names in columns.items()}, f"columns of {len(columns)} built relations"
