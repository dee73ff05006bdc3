"""Pilot tests of the lint panel, the tree markers and the project-wide lint screen (issue 4)."""

from __future__ import annotations

from pathlib import Path

from screens.lint import LintScreen
from screens.main import MainScreen
from tui.app import WorkbenchApp
from tests.pilot.conftest import open_app, settle
from tests.pilot.test_editing import until
from tests.pilot.test_main_screen import highlighted_model, pane, tree_labels
from tui.widgets.lint.panel import LintPanel
from tui.widgets.tree.model_tree import ModelTree

HARD_CODED = "select case_id from raw.cases\n"


def panel(app) -> LintPanel:
    return app.screen.query_one(LintPanel)


def rules(findings) -> set[str]:
    return {finding.rule for finding in findings}


async def test_hard_coded_relation_shows_in_panel_and_tree(demo_project: Path) -> None:
    (demo_project / "models/marts/fct_shortcut.sql").write_text("-- reads the raw table\n" + HARD_CODED)
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert "··✗ fct_shortcut" in tree_labels(app.screen.query_one(ModelTree))
        await pilot.press("slash", *"shortcut", "enter")
        await settle(pilot)
        assert highlighted_model(app) == "fct_shortcut"
        found = [f for f in panel(app).findings if f.rule == "hard_coded_relation"]
        assert [(f.line, f.model) for f in found] == [(2, "fct_shortcut")]
        assert "raw.cases" in found[0].message


async def test_panel_follows_the_sql_as_it_is_typed(demo_project: Path) -> None:
    stg_cases = demo_project / "models/staging/stg_cases.sql"
    on_disk = stg_cases.read_bytes()
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert panel(app).findings == []
        await pilot.press("e", *"-- from raw.x", "enter")  # a comment naming a table is fine
        assert await until(pilot, lambda: panel(app).linted_text == pane(app, "sql").text)
        assert panel(app).findings == []
        await pilot.press("ctrl+k")  # the line under the cursor is the model's first line
        await pilot.press(*"with s as (select * from raw.cases),", "enter", *"unused as (")
        assert await until(pilot, lambda: panel(app).linted_text == pane(app, "sql").text)
        found = next(f for f in panel(app).findings if f.rule == "hard_coded_relation")
        assert "raw.cases" in found.message and found.line == 2
    assert stg_cases.read_bytes() == on_disk  # linted from the editor's text: nothing was saved


async def test_lint_screen_opens_the_model_at_the_line(demo_project: Path) -> None:
    (demo_project / "models/marts/fct_shortcut.sql").write_text("-- one\n-- two\n" + HARD_CODED)
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        assert isinstance(app.screen, LintScreen)
        index = next(i for i, f in enumerate(app.screen.findings) if f.model == "fct_shortcut" and f.rule == "hard_coded_relation")
        options = app.screen.query_one("OptionList")
        target = next(n for n in range(options.option_count) if options.get_option_at_index(n).id == str(index))
        options.highlighted = target
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert highlighted_model(app) == "fct_shortcut"
        assert pane(app, "sql").editor.cursor_location[0] == 2


class HeldLint:
    """A project lint that waits for the test to let it finish: the real lint, on the real files."""

    def __init__(self, fail: str | None = None) -> None:
        import threading

        self.release = threading.Event()
        self.fail = fail

    def __call__(self, project, scan, settings, cancelled):
        from tests.pilot.conftest import lint_in_process
        from tui.core.errors import WorkbenchError

        while not self.release.wait(0.05):
            if cancelled():
                return None
        if self.fail:
            raise WorkbenchError(self.fail)
        return lint_in_process(project, scan, settings, cancelled)


async def pause_until(pilot, condition, attempts: int = 400) -> bool:
    """Wait for the app's workers, except the project lint (held on purpose) and the watcher."""
    from textual.worker import WorkerCancelled

    for _ in range(attempts):
        if condition():
            return True
        busy = [w for w in pilot.app.workers if w.is_running and w.group not in ("watch", "lint-project")]
        try:
            await (pilot.app.workers.wait_for_complete(busy) if busy else pilot.pause())
        except WorkerCancelled:
            pass
    return condition()


def lint_screen_lines(app) -> list[str]:
    from textual.widgets import OptionList

    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_lint_screen_says_running_until_the_lint_is_done(demo_project: Path) -> None:
    held = HeldLint()
    app = WorkbenchApp(demo_project, project_linter=held, warm_jobs=False)
    async with app.run_test(size=(120, 40)) as pilot:
        assert await pause_until(pilot, lambda: panel(app).project_state.value == "running")
        await pilot.press("l")
        assert await pause_until(pilot, lambda: isinstance(app.screen, LintScreen))
        lines = lint_screen_lines(app)
        assert lines == ["The project lint is running... (findings appear here when it is done)"]
        assert "running" in str(app.screen.query_one("#lint-summary").render())
        held.release.set()
        assert await pause_until(pilot, lambda: len(lint_screen_lines(app)) > 1)
        lines = lint_screen_lines(app)
        assert any(line.startswith("fct_undocumented_models") for line in lines)
        row = next(line for line in lines if "int_reviewer_workload has no YAML entry" in line)
        assert row.rsplit("  ", 1)[0].count("int_reviewer_workload") == 1  # named once, by the message
        assert "fct_undocumented_models" not in row  # the rule is the heading above


async def test_lint_screen_says_when_the_lint_failed(demo_project: Path) -> None:
    held = HeldLint(fail="The project lint did not run (exit code 1): boom")
    held.release.set()
    app = WorkbenchApp(demo_project, project_linter=held, warm_jobs=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert lint_screen_lines(app) == ["The project lint failed: The project lint did not run (exit code 1): boom"]
