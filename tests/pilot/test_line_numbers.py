"""Line numbers mean what the gutter shows: a YAML error in an entry names the file's line, and
go-to-line takes the same numbers."""

from __future__ import annotations

from pathlib import Path

from tests.pilot.conftest import open_app, settle
from tui.widgets.editor.pane import EditorPane

ENTRY_LINE = 39  # `- name: stg_decisions` in the demo's models/staging/_staging.yml


async def open_decisions_yaml(pilot) -> EditorPane:
    await pilot.press("slash", *"stg_decisions", "enter")
    await settle(pilot)
    await pilot.press("y")
    pane = pilot.app.screen.query_one("#yaml-pane", EditorPane)
    assert pane.editor.line_number_start == ENTRY_LINE
    return pane


async def test_yaml_error_names_the_line_the_gutter_shows(demo_project: Path) -> None:
    before = (demo_project / "models/staging/_staging.yml").read_bytes()
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        pane = await open_decisions_yaml(pilot)
        await pilot.press("down", "end", *": oops: x")  # gutter line 40: not YAML any more
        await pilot.press("ctrl+o")
        await settle(pilot)
        errors = [n.message for n in app._notifications]
        assert errors and errors[-1].startswith("line 40, column"), errors
        assert pane.dirty
    assert (demo_project / "models/staging/_staging.yml").read_bytes() == before


async def test_go_to_line_takes_the_gutter_number(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        pane = await open_decisions_yaml(pilot)
        await pilot.press("ctrl+g", *"43", "enter")
        await settle(pilot)
        row = pane.editor.cursor_location[0]
        assert row + ENTRY_LINE == 43
        assert pane.editor.document.get_line(row).strip() == "description: Primary key of the decision."
