"""After a save the summary's lineage is current, and nothing moves: not the editor's cursor,
not the tree's."""

from __future__ import annotations

from pathlib import Path

from tests.pilot.conftest import open_app, settle
from tests.pilot.test_main_screen import highlighted_model
from tui.widgets.editor.pane import EditorPane
from tui.widgets.summary import ModelSummary


async def test_summary_follows_a_saved_ref_without_moving_the_cursor(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"int_reviewer_workload", "enter")
        await settle(pilot)
        summary = app.screen.query_one(ModelSummary)
        assert "reads int_case_decisions_joined · " in str(summary.render())
        await pilot.press("e", *"-- also {{ ref('stg_reviewers') }}", "enter")
        pane = app.screen.query_one("#sql-pane", EditorPane)
        cursor_before = pane.editor.cursor_location
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert "reads stg_reviewers, int_case_decisions_joined · " in str(summary.render())
        assert pane.editor.cursor_location == cursor_before
        assert highlighted_model(app) == "int_reviewer_workload"
        assert app.focused is pane.editor
