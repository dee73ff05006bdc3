"""A model's compiled SQL (from its file as it is now) and a page of its rows, for previews.

The SQL comes from this job's own `dbt compile --select m` (never a `target/` copy a file edit
has made stale). Rows are read by running that SQL as a subquery with a limit and an offset, so
the model's own `order by` and `limit` keep their meaning and only one page is ever in memory;
through the target's reader on a read-only connection opened for the query and closed at once
(for DuckDB with external access off, taking its turn with jobs: tui.core.warehouse.gate).
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.jobs.collect import JobOutcome
from tui.core.jobs.events import Compiled
from tui.core.project.dbt_project import DbtProject
from tui.core.warehouse.query_rows import QueryRows, query_rows
from tui.core.warehouse.reader import reader_for

PAGE_ROWS = 100


@dataclass(frozen=True, slots=True)
class CompiledModel:
    model: str
    sql: str | None
    problem: str | None


def compiled_from(outcome: JobOutcome, model: str) -> CompiledModel:
    """The compiled SQL a compile job printed for `model`, or why there is none."""
    found = next((e for e in outcome.events if isinstance(e, Compiled) and (e.name == model or e.unique_id.endswith(f".{model}"))), None)
    if found is not None and outcome.ok:
        return CompiledModel(model, found.sql, None)
    said = outcome.problem.text if outcome.problem else f"dbt printed no compiled SQL for {model}"
    where = f" ({outcome.problem.path}:{outcome.problem.line})" if outcome.problem and outcome.problem.path else ""
    return CompiledModel(model, None, said + where)


def preview_page(project: DbtProject, sql: str, page: int = 0, rows: int = PAGE_ROWS) -> QueryRows:
    """Page `page` (from 0) of the query's rows, with the total and the columns' types."""
    return query_rows(reader_for(project.connection), sql, limit=rows, offset=page * rows)
