"""The app by keyboard on a warehouse other than DuckDB, the same path for each: p previews the
open model, x runs and tests it in the warm worker, j shows the results with the failing test's
rows read from the warehouse (tests/e2e/test_postgres.py, tests/e2e/test_spark.py)."""

from __future__ import annotations

from pathlib import Path

from tui.core.jobs.queue import JobState
from tui.core.process import live_child_pids

FAILING_TEST = "select case_id, priority from {{ ref('stg_cases') }} where priority <> 'low'\n"


async def preview_run_and_test_by_keys(demo: Path, rows: int, failing_rows: int, integer_type: str) -> None:
    """`rows`: stg_cases's rows and `failing_rows`: those the failing test returns, as counted
    apart; `integer_type`: how the warehouse names stg_cases.case_id's type."""
    from textual.widgets import DataTable, Static

    from screens.jobs import JobsScreen
    from screens.main import MainScreen
    from screens.preview import PreviewScreen
    from tests.pilot.conftest import open_app, settle

    (demo / "tests").mkdir()
    (demo / "tests" / "stg_cases_only_low_priority.sql").write_text(FAILING_TEST)
    app = open_app(demo, warm_jobs=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.screen.open_model.name == "stg_cases" and app.screen.jobs.warm.usable
        await pilot.press("p")
        assert isinstance(app.screen, PreviewScreen)
        await settle(pilot)
        assert str(app.screen.query_one("#preview-status", Static).render()).startswith(f"Rows 1–100 of {rows} ")
        shown = app.screen.query_one("#preview-rows", DataTable)
        assert shown.row_count == 101 and str(shown.get_row_at(0)[0]) == integer_type  # the types, then the rows
        await pilot.press("escape", "x", "j")
        assert isinstance(app.screen, JobsScreen)
        await settle(pilot)
        jobs = app.screen.queue.jobs  # the preview's compile, the run, the test
        assert [(job.spec.describe(), job.state) for job in jobs] == [
            ("dbt compile --select stg_cases", JobState.PASSED),
            ("dbt run --select stg_cases", JobState.PASSED),
            ("dbt test --select stg_cases", JobState.FAILED),
        ]
        assert all(job.outcome.warm for job in jobs)
        failing = app.screen.query_one("#job-failing", DataTable)
        assert failing.display and failing.border_title.startswith(f"Failing rows of stg_cases_only_low_priority: 100 shown of {failing_rows}")
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        runner = app.screen.jobs
    runner.stopping.join(15)
    assert not runner.stopping.is_alive() and live_child_pids() == []
