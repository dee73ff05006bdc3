"""What is read from the warehouse once a job's dbt child has exited: failing rows, row counts."""

from __future__ import annotations

from tui.core.jobs.failing import FailingRows, failing_rows
from tui.core.jobs.row_counts import built_row_counts
from tui.core.jobs.run import JobOutcome
from tui.core.jobs.spec import JobKind
from tui.core.project.profiles import Connection
from tui.core.warehouse.reader import maybe_reader


def after_job(outcome: JobOutcome, connection: Connection) -> tuple[list[FailingRows], dict[str, int]]:
    """Nothing is read for a cancelled job or one that left no results; rows are counted only
    after a job that builds (a compile's "success" built nothing, and a count on Spark is a query)."""
    if outcome.cancelled or not outcome.results:
        return [], {}
    reader, why_not = maybe_reader(connection)
    counts = built_row_counts(outcome.results, reader) if outcome.spec.kind in BUILDING else {}
    return failing_rows(outcome.results, reader, why_not), counts


BUILDING = frozenset({JobKind.RUN, JobKind.BUILD})
