"""The failing rows of each failed test: its compiled query, run again with a limit, read-only.

No `--store-failures` and no writes to the warehouse: for a DuckDB target the test's compiled
SQL (from run_results.json) runs on a read-only connection once the dbt child has exited.
Other adapters get a clear "not read" note (their previews go through `dbt show`, see the
warehouse issue).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tui.core.errors import WorkbenchError
from tui.core.jobs.results import NodeResult
from tui.core.warehouse.query_rows import ROWS_SHOWN, QueryRows, duckdb_query_rows


@dataclass(frozen=True, slots=True)
class FailingRows:
    test: NodeResult
    rows: QueryRows | None
    problem: str | None = None


def failing_rows(results: tuple[NodeResult, ...], duckdb_file: Path | None, limit: int = ROWS_SHOWN) -> list[FailingRows]:
    """For every failed or erroring test: up to `limit` of its rows and their total."""
    found = []
    for result in results:
        if result.resource_type != "test" or result.status not in ("fail", "warn", "error"):
            continue
        if result.status == "error" or not result.compiled_code:
            found.append(FailingRows(result, None, "the test did not run to the end: " + (result.message or "no compiled SQL")))
        elif duckdb_file is None:
            found.append(FailingRows(result, None, "failing rows are read from DuckDB targets only for now"))
        else:
            try:
                found.append(FailingRows(result, duckdb_query_rows(duckdb_file, result.compiled_code, limit)))
            except WorkbenchError as error:
                found.append(FailingRows(result, None, str(error)))
    return found
