"""The failing rows of each failed test: its compiled query, run again with a limit, read-only.

No `--store-failures` and no writes to the warehouse: the test's compiled SQL (from
run_results.json) runs through the target's reader on a read-only connection once the dbt child
has exited. A target no reader reads gets a clear note instead of rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from tui.core.errors import WorkbenchError
from tui.core.jobs.results import NodeResult
from tui.core.warehouse.query_rows import ROWS_SHOWN, QueryRows, query_rows
from tui.core.warehouse.reader import Reader


@dataclass(frozen=True, slots=True)
class FailingRows:
    test: NodeResult
    rows: QueryRows | None
    problem: str | None = None


def failing_rows(results: tuple[NodeResult, ...], reader: Reader | None, why_not: str = "", limit: int = ROWS_SHOWN) -> list[FailingRows]:
    """For every failed or erroring test: up to `limit` of its rows and their total
    (`why_not`: why there is no reader)."""
    found = []
    for result in results:
        if result.resource_type != "test" or result.status not in ("fail", "warn", "error"):
            continue
        if result.status == "error" or not result.compiled_code:
            found.append(FailingRows(result, None, "the test did not run to the end: " + (result.message or "no compiled SQL")))
        elif reader is None:
            found.append(FailingRows(result, None, f"failing rows not read: {why_not}"))
        else:
            try:
                found.append(FailingRows(result, query_rows(reader, result.compiled_code, limit)))
            except WorkbenchError as error:
                found.append(FailingRows(result, None, str(error)))
    return found
