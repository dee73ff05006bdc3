"""The jobs screen by keyboard, with real dbt jobs: x runs and tests the open model, j shows the
progress and results, the failing test's rows, the history; X and c cancel."""

from __future__ import annotations

from pathlib import Path

import pytest

from textual.widgets import DataTable, Static

from screens.jobs import JobsScreen
from screens.main import MainScreen
from tests.pilot.conftest import open_app, settle
from tui.core.jobs.queue import JobState
from tui.core.process import live_child_pids

pytestmark = pytest.mark.e2e


def static_text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def column(table: DataTable, index: int) -> list[str]:
    return [str(table.get_row_at(row)[index]) for row in range(table.row_count)]


async def test_run_and_test_show_results_and_the_failing_rows(built_demo: Path) -> None:
    (built_demo / "tests").mkdir()
    (built_demo / "tests/stg_cases_only_low_priority.sql").write_text(
        "select case_id, priority from {{ ref('stg_cases') }} where priority <> 'low'\n"
    )
    app = open_app(built_demo, warm_jobs=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)  # the warm dbt worker has parsed the project too
        assert app.screen.jobs.warm.usable
        assert app.screen.open_model.name == "stg_cases"
        await pilot.press("x", "j")
        assert isinstance(app.screen, JobsScreen)
        await settle(pilot)  # the jobs' worker runs dbt twice, then ends
        screen = app.screen
        assert [job.state for job in screen.queue.jobs] == [JobState.PASSED, JobState.FAILED]
        assert all(job.outcome.warm for job in screen.queue.jobs)  # run by the warm worker
        assert static_text(app, "#job-title").startswith("Job 2 of 2: dbt test --select stg_cases")
        assert "✗ failed" in static_text(app, "#job-title")
        nodes = screen.query_one("#job-nodes", DataTable)
        assert "stg_cases_only_low_priority" in column(nodes, 0) and "✗ FAIL" in column(nodes, 1)
        failing = screen.query_one("#job-failing", DataTable)
        assert failing.display and failing.row_count == 100
        assert failing.border_title.startswith("Failing rows of stg_cases_only_low_priority: 100 shown of ")
        assert "priority" in [str(c.label) for c in failing.columns.values()]
        await pilot.press("comma")  # the older job: the run
        assert static_text(app, "#job-title").startswith("Job 1 of 2: dbt run --select stg_cases")
        assert column(nodes, 1) == ["✓ ok"] and column(nodes, 3)[0].endswith(" rows")
        await pilot.press("c")
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        runner = app.screen.jobs
    runner.stopping.join(15)  # the app has exited; its warm worker is stopped off the UI thread
    assert not runner.stopping.is_alive() and live_child_pids() == []


async def test_the_jobs_screen_says_when_there_is_no_job_yet(built_demo: Path) -> None:
    app = open_app(built_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("X")  # nothing to cancel: nothing is queued by it
        await pilot.press("j")
        assert isinstance(app.screen, JobsScreen) and app.screen.queue.jobs == []
        assert static_text(app, "#job-title").startswith("No dbt job yet this session")
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_the_preview_shows_the_compiled_sql_and_a_page_of_rows(built_demo: Path) -> None:
    from screens.preview import PreviewScreen

    app = open_app(built_demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        assert isinstance(app.screen, PreviewScreen)
        await settle(pilot)  # the compile job, then the read of the first page
        assert static_text(app, "#preview-status").startswith("Rows 1–100 of ")
        shown_sql = app.screen.query_one("#preview-sql-text", Static).content  # the highlighted SQL (a rich Syntax)
        assert 'from "demo"."raw"."cases"' in shown_sql.code and "{{" not in shown_sql.code
        rows = app.screen.query_one("#preview-rows", DataTable)
        assert rows.row_count == 101  # the types, then 100 rows
        assert str(rows.get_row_at(0)[0]) == "integer"
        await pilot.press("n")
        await settle(pilot)
        assert static_text(app, "#preview-status").startswith("Rows 101–200 of ")
        await pilot.press("p", "escape")
        assert isinstance(app.screen, MainScreen)
        assert [job.spec.describe() for job in app.screen.jobs.queue.jobs] == ["dbt compile --select stg_cases"]


async def test_a_compilation_error_opens_at_its_file_and_line(built_demo: Path) -> None:
    from tui.widgets.editor.code_editor import CodeEditor

    (built_demo / "models/staging/stg_cases.sql").write_text("select 1 as x\n\n{% if %}\n")
    app = open_app(built_demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.screen.open_model.name == "stg_cases"
        await pilot.press("x", "j")
        await settle(pilot)
        built, tested = app.screen.queue.jobs
        assert built.state is JobState.FAILED and tested.state is JobState.SKIPPED
        await pilot.press("comma")  # the run, which failed
        assert "models/staging/stg_cases.sql:3; e opens it" in static_text(app, "#job-progress")
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        editor = app.screen.query_one("#sql-pane").query_one(CodeEditor)
        assert app.focused is editor and editor.cursor_location[0] + editor.line_number_start == 3
