"""Saving keeps the undo history: keys in the SQL and YAML panes, ctrl+o, then ctrl+z and ctrl+y.

After a save the area rescans and reopens the YAML pane; none of that may clear the history or
move the cursor, so a save never costs the user their undo.
"""

from __future__ import annotations

from pathlib import Path

from tests.pilot.conftest import open_app, settle
from tests.pilot.test_main_screen import highlighted_model, pane, pane_text, pane_title

STG_CASES = "models/staging/stg_cases.sql"
STAGING_YML = "models/staging/_staging.yml"
INTERMEDIATE_YML = "models/intermediate/_intermediate.yml"


async def test_undo_after_saving_sql_brings_back_the_text_before_the_edit(demo_project: Path) -> None:
    target = demo_project / STG_CASES
    original = target.read_text()
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("e", *"-- ok ")
        editor = pane(app, "sql").editor
        cursor = editor.cursor_location
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert target.read_text() == "-- ok " + original
        assert editor.cursor_location == cursor == (0, 6)
        assert not pane(app, "sql").dirty
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert pane_text(app, "sql") == original
        assert pane(app, "sql").dirty  # modified against the file just saved
        assert pane_title(app, "sql").startswith("● ")
        assert target.read_text() == "-- ok " + original  # undo writes nothing
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert pane_text(app, "sql") == "-- ok " + original
        assert not pane(app, "sql").dirty


async def test_undo_after_saving_a_yaml_entry_brings_back_the_entry(demo_project: Path) -> None:
    target = demo_project / STAGING_YML
    before = target.read_text()
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        entry = pane_text(app, "yaml")
        await pilot.press("y", "down", "end", *" Checked")
        editor = pane(app, "yaml").editor
        cursor = editor.cursor_location
        await pilot.press("ctrl+o")
        await settle(pilot)  # the save's rescan reopens the YAML pane from the file
        after = target.read_text()
        assert after != before and " Checked\n" in after
        assert editor.cursor_location == cursor
        assert not pane(app, "yaml").dirty
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert pane_text(app, "yaml") == entry
        assert pane(app, "yaml").dirty
        assert target.read_text() == after
        await pilot.press("ctrl+o")  # saving the undone text restores the file
        await settle(pilot)
        assert target.read_text() == before
        assert not pane(app, "yaml").dirty


async def test_typing_after_a_save_is_a_new_undo_step(demo_project: Path) -> None:
    target = demo_project / STG_CASES
    original = target.read_text()
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("e", *"-- a", "ctrl+o")
        await settle(pilot)
        await pilot.press(*"b")
        assert pane(app, "sql").dirty
        await pilot.press("ctrl+z")  # back to what was saved, not past it
        await settle(pilot)
        assert pane_text(app, "sql") == "-- a" + original == target.read_text()
        assert not pane(app, "sql").dirty


async def test_a_tidied_new_entry_keeps_the_cursor_and_undo(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"workload", "enter")
        await settle(pilot)
        assert highlighted_model(app) == "int_reviewer_workload"
        # Two trailing blank lines, which saving trims as it splices the entry into the file.
        await pilot.press("y", "down", "end", "left", *"Per reviewer.", "down", "enter", "enter")
        await pilot.press("up", "up", "up")  # back on the description, a line the tidying keeps
        typed = pane_text(app, "yaml")
        assert typed.endswith('"Per reviewer."\n\n\n')
        editor = pane(app, "yaml").editor
        cursor = editor.cursor_location
        assert cursor[0] == 1
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert '- name: int_reviewer_workload\n    description: "Per reviewer."\n' in (
            (demo_project / INTERMEDIATE_YML).read_text()
        )
        assert pane_text(app, "yaml").endswith('"Per reviewer."\n')
        assert pane_title(app, "yaml").endswith("· entry int_reviewer_workload")
        assert editor.cursor_location == cursor
        assert not pane(app, "yaml").dirty
        await pilot.press("ctrl+z")  # undoes the tidying first: the text as it was typed
        await settle(pilot)
        assert pane_text(app, "yaml") == typed
        assert pane(app, "yaml").dirty
