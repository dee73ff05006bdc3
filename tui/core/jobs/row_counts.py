"""How many rows each model a job built holds now, counted read-only after dbt exited.

Where the adapter reports no rows affected (dbt-duckdb never does), the built relation is
counted through the target's reader on a read-only connection; a reported `rows_affected` is
used as it is.
"""

from __future__ import annotations

from tui.core.errors import WorkbenchError
from tui.core.jobs.results import NodeResult
from tui.core.warehouse.query_rows import query_rows
from tui.core.warehouse.reader import Reader


def built_row_counts(results: tuple[NodeResult, ...], reader: Reader | None) -> dict[str, int]:
    """Rows by unique_id, for the models that were built and whose count could be read."""
    counts: dict[str, int] = {}
    for result in results:
        if result.resource_type not in ("model", "seed", "snapshot") or result.status != "success":
            continue
        if result.rows_affected is not None:
            counts[result.unique_id] = result.rows_affected
        elif reader is not None and result.relation_name:
            try:
                counted = query_rows(reader, f"select count(*) as n from {result.relation_name}", limit=1, count=False)
            except WorkbenchError:
                continue
            counts[result.unique_id] = int(counted.rows[0][0])
    return counts
