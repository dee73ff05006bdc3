"""SVG snapshots of the key screens at 80x24 and at a wide size (update with --snapshot-update)."""

from __future__ import annotations

from pathlib import Path

from tests.pilot.conftest import open_app, settle


async def wait_for_scan(pilot) -> None:
    await settle(pilot)


def test_main_screen_wide(snap_compare, demo_project: Path) -> None:
    assert snap_compare(open_app(demo_project), terminal_size=(160, 48), run_before=wait_for_scan)


def test_main_screen_80x24(snap_compare, demo_project: Path) -> None:
    assert snap_compare(open_app(demo_project), terminal_size=(80, 24), run_before=wait_for_scan)


def test_yaml_tab_80x24(snap_compare, demo_project: Path) -> None:
    async def show_yaml(pilot) -> None:
        await settle(pilot)
        await pilot.press("down", "v")
        await settle(pilot)

    assert snap_compare(open_app(demo_project), terminal_size=(80, 24), run_before=show_yaml)


def test_filtered_tree_wide(snap_compare, demo_project: Path) -> None:
    async def filter_models(pilot) -> None:
        await settle(pilot)
        await pilot.press("slash", *"dim")
        await settle(pilot)

    assert snap_compare(open_app(demo_project), terminal_size=(160, 48), run_before=filter_models)


def test_help_screen_80x24(snap_compare, demo_project: Path) -> None:
    async def open_help(pilot) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(open_app(demo_project), terminal_size=(80, 24), run_before=open_help)


def test_conflict_dialog_80x24(snap_compare, demo_project: Path) -> None:
    async def make_conflict(pilot) -> None:
        await settle(pilot)
        await pilot.press("e", *"-- mine", "enter")
        await settle(pilot)
        (demo_project / "models/staging/stg_cases.sql").write_text("select 'theirs' as x\n")
        await pilot.press("ctrl+o", "d")
        await settle(pilot)

    assert snap_compare(open_app(demo_project), terminal_size=(80, 24), run_before=make_conflict)
