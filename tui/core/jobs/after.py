"""What is read from the warehouse once a job's dbt child has exited: failing rows, row counts."""

from __future__ import annotations

from pathlib import Path

from tui.core.jobs.failing import FailingRows, failing_rows
from tui.core.jobs.row_counts import built_row_counts
from tui.core.jobs.run import JobOutcome


def after_job(outcome: JobOutcome, duckdb_file: Path | None) -> tuple[list[FailingRows], dict[str, int]]:
    """Nothing is read for a cancelled job or one that left no results."""
    if outcome.cancelled or not outcome.results:
        return [], {}
    return failing_rows(outcome.results, duckdb_file), built_row_counts(outcome.results, duckdb_file)
