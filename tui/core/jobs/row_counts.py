"""How many rows each model a job built holds now, counted read-only after dbt exited.

dbt-duckdb reports no rows affected, so for a DuckDB target the built relation is counted on a
read-only connection; other adapters' own `rows_affected` is used as it is.
"""

from __future__ import annotations

from pathlib import Path

from tui.core.errors import WorkbenchError
from tui.core.jobs.results import NodeResult
from tui.core.warehouse.query_rows import duckdb_query_rows


def built_row_counts(results: tuple[NodeResult, ...], duckdb_file: Path | None) -> dict[str, int]:
    """Rows by unique_id, for the models that were built and whose count could be read."""
    counts: dict[str, int] = {}
    for result in results:
        if result.resource_type not in ("model", "seed", "snapshot") or result.status != "success":
            continue
        if result.rows_affected is not None:
            counts[result.unique_id] = result.rows_affected
        elif duckdb_file is not None and result.relation_name:
            try:
                counted = duckdb_query_rows(duckdb_file, f"select count(*) as n from {result.relation_name}", limit=1, count=False)
            except WorkbenchError:
                continue
            counts[result.unique_id] = int(counted.rows[0][0])
    return counts
