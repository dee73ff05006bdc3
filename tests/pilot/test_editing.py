"""Pilot tests of editing: keys in the SQL and YAML panes, saves checked on disk, conflicts, prompts."""

from __future__ import annotations

import os
from pathlib import Path

from screens import dialogs
from screens.dialogs import ConflictDialog, PromptDialog, UnsavedDialog
from screens.main import MainScreen
from tests.pilot.conftest import open_app, settle
from tests.pilot.test_main_screen import highlighted_model, pane, pane_text, pane_title, tree_labels
from tui.widgets.tree.model_tree import ModelTree

STG_CASES = "models/staging/stg_cases.sql"
STAGING_YML = "models/staging/_staging.yml"
SLOW_MACHINE_GUARD_S = 3.0  # long enough for keys sent at once to arrive inside it on a loaded machine


async def until(pilot, condition, attempts: int = 500) -> bool:
    """Wait for something another thread causes (the file watcher), checking after each idle moment."""
    for _ in range(attempts):
        if condition():
            return True
        await pilot.pause()
        await settle(pilot)
    return condition()


async def test_type_in_sql_and_save_writes_the_file(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        original = (demo_project / STG_CASES).read_text()
        await pilot.press("e", *"-- reviewed", "enter")
        await settle(pilot)
        assert pane(app, "sql").dirty
        assert pane_title(app, "sql").startswith("● models/staging/stg_cases.sql")
        assert (demo_project / STG_CASES).read_text() == original  # nothing written before saving
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert (demo_project / STG_CASES).read_text() == "-- reviewed\n" + original
        assert not pane(app, "sql").dirty
        assert pane_title(app, "sql") == "models/staging/stg_cases.sql"


async def test_edit_yaml_entry_changes_only_that_entry(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        before = (demo_project / STAGING_YML).read_text().splitlines()
        await pilot.press("y", "down", "end", *" Checked by hand.")
        await pilot.press("ctrl+o")
        await settle(pilot)
        after = (demo_project / STAGING_YML).read_text().splitlines()
        changed = [number for number, (old, new) in enumerate(zip(before, after)) if old != new]
        assert len(after) == len(before) and len(changed) == 1
        assert after[changed[0]].endswith("Checked by hand.")
        assert after[changed[0]].lstrip().startswith("description:")
        assert not pane(app, "yaml").dirty


async def test_yaml_that_does_not_parse_is_refused_with_its_line(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        original = (demo_project / STAGING_YML).read_bytes()
        await pilot.press("y", "down", "end", "enter", *"bad: [unclosed")
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert (demo_project / STAGING_YML).read_bytes() == original
        assert pane(app, "yaml").dirty  # the buffer is kept
        messages = [notification.message for notification in app._notifications]
        assert any("line" in message for message in messages)


async def test_new_entry_for_a_model_without_one(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"workload", "enter")
        await settle(pilot)
        assert highlighted_model(app) == "int_reviewer_workload"
        assert pane_title(app, "yaml") == "new entry → models/intermediate/_intermediate.yml"
        await pilot.press("y", "down", "end", "left", *"Decisions per reviewer.", "ctrl+o")
        await settle(pilot)
        text = (demo_project / "models/intermediate/_intermediate.yml").read_text()
        assert '- name: int_reviewer_workload\n    description: "Decisions per reviewer."' in text
        assert pane_title(app, "yaml").endswith("· entry int_reviewer_workload")


async def test_a_model_named_in_a_refused_file_opens_that_file_not_a_second_entry(demo_project: Path) -> None:
    broken = demo_project / "models/marts/dim_reviewers.yml"
    broken.write_text("version: 2\nmodels:\n  - name: dim_reviewers\n    description: one\n    description: two\n")
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"dim_reviewers", "enter")
        await settle(pilot)
        assert highlighted_model(app) == "dim_reviewers"
        assert not pane_title(app, "yaml").startswith("new entry")
        assert "models/marts/dim_reviewers.yml" in pane_title(app, "yaml")
        assert pane_text(app, "yaml") == broken.read_text()  # the whole file, to be fixed
        await pilot.press("y", "down", "down", "down", "down", "end", *" (fixed)", "ctrl+o")
        await settle(pilot)
        assert broken.read_text().endswith("    description: two (fixed)\n")


async def test_new_entry_goes_to_the_models_own_yml_when_it_exists(demo_project: Path) -> None:
    own = demo_project / "models/intermediate/int_reviewer_workload.yml"
    own.write_text("version: 2\nsemantic_models:\n  - name: workload\n    model: ref('int_reviewer_workload')\n")
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"workload", "enter")
        await settle(pilot)
        title = pane_title(app, "yaml")  # the path is shortened from the left to fit the pane
        assert title.startswith("new entry → ") and title.endswith("/intermediate/int_reviewer_workload.yml")


async def test_external_change_on_save_opens_the_dialog_and_reload_takes_disk(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("e", *"-- mine", "enter")
        await settle(pilot)
        (demo_project / STG_CASES).write_text("select 'written by the agent next door' as x\n")
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, ConflictDialog)
        assert await until(pilot, lambda: app.screen.armed)  # keys count once the dialog has been seen
        await pilot.press("d")  # show the diff first
        assert app.screen.has_class("-diff")
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert pane_text(app, "sql") == "select 'written by the agent next door' as x\n"
        assert (demo_project / STG_CASES).read_text() == "select 'written by the agent next door' as x\n"


async def test_overwrite_after_an_external_change_writes_ours(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("e", *"-- mine", "enter")
        await settle(pilot)
        (demo_project / STG_CASES).write_text("select 1 as theirs\n")
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert await until(pilot, lambda: isinstance(app.screen, ConflictDialog) and app.screen.armed)
        await pilot.press("o")
        await settle(pilot)
        assert (demo_project / STG_CASES).read_text().startswith("-- mine\nwith source as (")


async def test_clean_pane_follows_a_change_made_outside(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        (demo_project / STG_CASES).write_text("select 'changed by vim' as x\n")
        assert await until(pilot, lambda: pane_text(app, "sql") == "select 'changed by vim' as x\n")
        assert isinstance(app.screen, MainScreen)  # no dialog: nothing of ours was lost


async def test_modified_pane_asks_when_the_file_changes_outside(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("e", *"-- mine", "enter")
        await settle(pilot)
        (demo_project / STG_CASES).write_text("select 'changed by vim' as x\n")
        assert await until(pilot, lambda: isinstance(app.screen, ConflictDialog))
        await pilot.press("escape")
        await settle(pilot)
        assert pane_text(app, "sql").startswith("-- mine\n")  # kept; a later save asks again


async def test_our_own_save_is_not_reported_as_an_outside_change(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("e", *"-- one", "enter", "ctrl+o")
        await settle(pilot)
        await pilot.press(*"-- two", "enter")
        # A change made outside after our save: once the tree shows it, the watcher has
        # reported everything before it, our own save included.
        (demo_project / "models/marts/fct_sentinel.sql").write_text("select 1 as x\n")
        tree = app.screen.query_one(ModelTree)
        assert await until(pilot, lambda: any(label == "··⚠ fct_sentinel" for label in tree_labels(tree)))
        assert isinstance(app.screen, MainScreen)  # no conflict dialog for our own bytes
        assert pane_text(app, "sql").startswith("-- one\n-- two\n")


async def test_switching_models_with_unsaved_edits_asks(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("e", *"-- draft", "enter", "escape", "down")
        await settle(pilot)
        assert isinstance(app.screen, UnsavedDialog)
        await pilot.press("escape")  # stay
        await settle(pilot)
        assert highlighted_model(app) == "stg_cases"
        assert pane_text(app, "sql").startswith("-- draft\n")
        await pilot.press("down")
        await settle(pilot)
        assert await until(pilot, lambda: isinstance(app.screen, UnsavedDialog) and app.screen.armed)
        await pilot.press("d")  # discard
        await settle(pilot)
        assert highlighted_model(app) == "stg_decisions"
        assert pane_title(app, "sql") == "models/staging/stg_decisions.sql"
        assert not (demo_project / STG_CASES).read_text().startswith("-- draft")


async def test_quit_with_unsaved_edits_can_save_first(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("e", *"-- keep me", "enter", "escape", "q")
        await settle(pilot)
        assert isinstance(app.screen, UnsavedDialog)
        assert await until(pilot, lambda: app.screen.armed)
        await pilot.press("s")
        await pilot.pause()
    assert (demo_project / STG_CASES).read_text().startswith("-- keep me\n")


async def test_read_only_file_is_not_written(demo_project: Path) -> None:
    target = demo_project / STG_CASES
    os.chmod(target, 0o444)
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        original = target.read_text()
        await pilot.press("e", *"-- nope", "enter", "ctrl+o")
        await settle(pilot)
        assert target.read_text() == original
        assert pane(app, "sql").dirty
        assert any("read-only" in n.message.lower() for n in app._notifications)


async def test_revert_drops_edits(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("e", *"-- oops", "enter", "ctrl+r")
        await settle(pilot)
        assert pane_text(app, "sql") == (demo_project / STG_CASES).read_text()
        assert not pane(app, "sql").dirty


async def test_go_to_line_and_find(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("e", "ctrl+g")
        assert isinstance(app.screen, PromptDialog)
        await pilot.press("1", "0", "enter")
        await settle(pilot)
        editor = pane(app, "sql").editor
        assert editor.cursor_location[0] == 9
        await pilot.press("ctrl+f", *"where", "enter")
        await settle(pilot)
        row, _ = editor.cursor_location
        assert "where" in editor.document.get_line(row).lower()


def main_screen(app) -> MainScreen:
    """The main screen under a dialog."""
    return next(screen for screen in app.screen_stack if isinstance(screen, MainScreen))


async def test_keys_typed_as_a_dialog_appears_do_not_choose(demo_project: Path, monkeypatch) -> None:
    """The watcher opens the conflict dialog while the user types: `r`, `o`, `d` and enter typed
    for the editor are ignored; the choice needs a key pressed once the dialog is armed. The guard
    is lengthened so that a loaded machine still delivers the early keys inside it."""
    monkeypatch.setattr(dialogs, "KEY_GUARD_S", SLOW_MACHINE_GUARD_S)
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("e", *"-- mine", "enter")
        await settle(pilot)
        (demo_project / STG_CASES).write_text("select 'changed by vim' as x\n")
        assert await until(pilot, lambda: isinstance(app.screen, ConflictDialog))
        await pilot.press("o", "r", "d", "enter", "space")  # still typing
        assert isinstance(app.screen, ConflictDialog) and not app.screen.has_class("-diff")
        assert (demo_project / STG_CASES).read_text() == "select 'changed by vim' as x\n"
        assert main_screen(app).query_one("#sql-pane").text.startswith("-- mine\n")
        assert await until(pilot, lambda: app.screen.armed)
        await pilot.press("o")  # now deliberate
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert (demo_project / STG_CASES).read_text().startswith("-- mine\n")


async def test_unsaved_dialog_ignores_a_discard_typed_too_early(demo_project: Path, monkeypatch) -> None:
    """`d` and enter typed just after the dialog appears do not discard the draft."""
    monkeypatch.setattr(dialogs, "KEY_GUARD_S", SLOW_MACHINE_GUARD_S)
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("e", *"-- draft", "enter", "escape", "down")
        assert await until(pilot, lambda: isinstance(app.screen, UnsavedDialog))
        await pilot.press("d", "enter")
        await settle(pilot)
        assert isinstance(app.screen, UnsavedDialog)
        assert main_screen(app).query_one("#sql-pane").text.startswith("-- draft\n")
        assert await until(pilot, lambda: app.screen.armed)
        await pilot.press("escape")
        await settle(pilot)
        assert pane_text(app, "sql").startswith("-- draft\n")


# --- files holding other line breaks (U+2028, form feed...), which the editor shows as \n ---
