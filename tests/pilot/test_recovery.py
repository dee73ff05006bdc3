"""Unsaved edits kept when the terminal goes away, and offered back at the next start."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from screens.main import MainScreen
from screens.recovery import RecoveryDialog
from tests.pilot.conftest import open_app, settle
from tests.pilot.test_editing import until
from tests.pilot.test_main_screen import pane
from tui.core.recovery import FOLDER, RecoveredPane, pending_recoveries, write_recovery

STG_CASES = "models/staging/stg_cases.sql"
STAGING_YML = "models/staging/_staging.yml"


async def test_modified_panes_are_kept_and_the_files_left_alone(demo_project: Path) -> None:
    sql_before = (demo_project / STG_CASES).read_bytes()
    yml_before = (demo_project / STAGING_YML).read_bytes()
    app = open_app(demo_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e", *"-- typed before the line dropped", "enter")
        await pilot.press("escape", "y", "down", "end", *" Half written")
        await settle(pilot)
        kept = app.keep_unsaved_edits("SIGHUP")  # what the SIGHUP handler calls first
        sql_text, yml_text = pane(app, "sql").text, pane(app, "yaml").text
    assert kept is not None and kept.parent == demo_project / FOLDER
    [recovery], _ = pending_recoveries(demo_project)
    assert [(p.kind, p.model, p.path) for p in recovery.panes] == [("sql", "stg_cases", STG_CASES), ("entry", "stg_cases", STAGING_YML)]
    assert [p.text for p in recovery.panes] == [sql_text, yml_text]
    assert recovery.panes[0].text.startswith("-- typed before the line dropped\n")
    assert (demo_project / STG_CASES).read_bytes() == sql_before and (demo_project / STAGING_YML).read_bytes() == yml_before


async def test_nothing_modified_keeps_nothing(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.keep_unsaved_edits("SIGTERM") is None
    assert not (demo_project / FOLDER).exists()


def recovered(root: Path) -> Path:
    sql_now = (root / STG_CASES).read_text()
    return write_recovery(root, [RecoveredPane("sql", "stg_cases", STG_CASES, "-- recovered line\n" + sql_now, sql_now)], "SIGHUP")


async def test_the_next_start_offers_the_diff_and_restores_unsaved(demo_project: Path) -> None:
    kept = recovered(demo_project)
    on_disk = (demo_project / STG_CASES).read_text()
    app = open_app(demo_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert await until(pilot, lambda: isinstance(app.screen, RecoveryDialog) and app.screen.armed)
        said = str(app.screen.query_one("#recovery-text", Static).render())
        assert "Unsaved edits of stg_cases were kept on SIGHUP" in said and "Your files were not changed" in said
        diff = app.screen.query_one("#recovery-diff Static", Static).content.code
        assert f"--- {STG_CASES} now" in diff and "+-- recovered line" in diff
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and app.screen.open_model.name == "stg_cases"
        sql = pane(app, "sql")
        assert sql.dirty and sql.text == "-- recovered line\n" + on_disk
        assert (demo_project / STG_CASES).read_text() == on_disk  # restored into the pane, not saved
        told = [n.message for n in app._notifications]
        assert any(m.startswith(f"Restored unsaved edits of {STG_CASES}: review, then save") for m in told), told
        await pilot.press("e", "ctrl+z")  # one undoable edit: undo gives the file's text back
        assert sql.text == on_disk
    assert pending_recoveries(demo_project) == ([], []) and kept.with_name(kept.name + ".restored").exists()


async def test_discard_sets_the_recovery_aside_and_later_keeps_it(demo_project: Path) -> None:
    kept = recovered(demo_project)
    app = open_app(demo_project)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert await until(pilot, lambda: isinstance(app.screen, RecoveryDialog) and app.screen.armed)
        await pilot.press("escape")  # later: nothing changes
        assert isinstance(app.screen, MainScreen) and not pane(app, "sql").dirty
    assert [r.file for r in pending_recoveries(demo_project)[0]] == [kept]
    app = open_app(demo_project)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert await until(pilot, lambda: isinstance(app.screen, RecoveryDialog) and app.screen.armed)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and not pane(app, "sql").dirty
    assert pending_recoveries(demo_project) == ([], []) and kept.with_name(kept.name + ".discarded").exists()
