"""Files as real projects have them, edited through the panes: other line breaks (U+2028, form
feeds...) kept byte for byte, a file that became non-UTF-8 under an open pane, a hard link."""

from __future__ import annotations

import os
from pathlib import Path

from screens.dialogs import ConflictDialog
from screens.main import MainScreen
from tests.pilot.conftest import open_app, settle
from tests.pilot.test_editing import STAGING_YML, STG_CASES, until
from tests.pilot.test_main_screen import pane, pane_text, pane_title

SEPARATED_HEAD = "-- notes\x0cpage two\nselect 'a\u2028b' as x, 'c\u2029d' as y, 'e\x85f\x0bg\x1ch\x1di\x1ej' as z\n"
"""Ten editor lines, two file lines: the model's own SQL follows from editor line 11."""


def _separated_model(project: Path) -> bytes:
    """stg_cases.sql with every other line break str.splitlines knows, on disk as bytes."""
    data = (SEPARATED_HEAD + (project / STG_CASES).read_text()).encode("utf-8")
    (project / STG_CASES).write_bytes(data)
    return data


async def test_a_file_with_other_line_breaks_opens_unmodified(demo_project: Path) -> None:
    _separated_model(demo_project)
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert pane_text(app, "sql").startswith("-- notes\npage two\nselect 'a\nb' as x, 'c\nd' as y,")
        assert not pane(app, "sql").dirty
        assert pane_title(app, "sql") == "models/staging/stg_cases.sql"
        await pilot.press("e", "x", "backspace")  # typed and taken back: not an edit
        await settle(pilot)
        assert not pane(app, "sql").dirty


async def test_saving_unedited_other_line_breaks_writes_nothing(demo_project: Path) -> None:
    data = _separated_model(demo_project)
    inode = (demo_project / STG_CASES).stat().st_ino
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("e", "ctrl+o")
        await settle(pilot)
        assert (demo_project / STG_CASES).read_bytes() == data
        assert (demo_project / STG_CASES).stat().st_ino == inode  # not even rewritten the same
        assert not pane(app, "sql").dirty


async def test_an_edit_elsewhere_saves_the_other_line_breaks_byte_for_byte(demo_project: Path) -> None:
    data = _separated_model(demo_project)
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("e", "ctrl+g", "1", "1", "enter", *"-- ok ")
        await settle(pilot)
        assert pane(app, "sql").dirty
        await pilot.press("ctrl+o")
        await settle(pilot)
        head = SEPARATED_HEAD.encode("utf-8")
        assert (demo_project / STG_CASES).read_bytes() == head + b"-- ok " + data[len(head):]
        assert not pane(app, "sql").dirty
        await pilot.press("ctrl+z", "ctrl+o")  # undone and saved: the file is as it was
        await settle(pilot)
        assert (demo_project / STG_CASES).read_bytes() == data


async def test_a_schema_file_with_other_line_breaks_saves_byte_for_byte(demo_project: Path) -> None:
    target = demo_project / STAGING_YML
    text = target.read_text()
    data = text.replace("\nmodels:\n", "\n# layout notes\x0cpage two\nmodels:\n", 1).encode("utf-8")
    data = data.replace(b"description: ", "description: \u2028".encode("utf-8"), 1)
    target.write_bytes(data)
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        # dbt's YAML reader takes U+2028 for a line break and refuses \x0c: the whole file opens.
        assert pane_title(app, "yaml").endswith("· whole file")
        assert not pane(app, "yaml").dirty
        await pilot.press("y", "ctrl+o")
        await settle(pilot)
        assert target.read_bytes() == data
        await pilot.press("down", "down", "down", "end", *" (ok)", "ctrl+o")  # on the form feed's line
        await settle(pilot)
        assert target.read_bytes() == data.replace(b"\x0cpage two\n", b"\x0cpage two (ok)\n", 1)
        assert not pane(app, "yaml").dirty


async def test_overwrite_into_a_file_that_became_non_utf8_is_refused_clearly(demo_project: Path) -> None:
    schema = demo_project / "models/staging/_staging.yml"
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("y", "end", *"  # mine")
        latin1 = schema.read_text().replace("Primary key", "Clé primaire").encode("latin-1")
        schema.write_bytes(latin1)
        assert await until(pilot, lambda: isinstance(app.screen, ConflictDialog) and app.screen.armed)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        messages = [n.message for n in app._notifications]
        assert any("is no longer UTF-8 text (byte 0xE9" in m and "Nothing was written" in m for m in messages), messages
        assert "# mine" in pane_text(app, "yaml") and pane(app, "yaml").dirty
    assert schema.read_bytes() == latin1


async def test_saving_a_hard_linked_model_keeps_the_link(demo_project: Path) -> None:
    model = demo_project / STG_CASES
    other = demo_project / "stg_cases_shared_copy.sql"  # outside model-paths: not a second model
    os.link(model, other)
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("e", *"-- through both names", "enter")
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
    assert other.read_text().startswith("-- through both names\n")
    assert model.stat().st_ino == other.stat().st_ino and model.stat().st_nlink == 2
