"""SVG snapshots of the key screens at 80x24 and at a wide size (update with --snapshot-update)."""

from __future__ import annotations

from pathlib import Path

from screens.dialogs import ConflictDialog
from tests.pilot.conftest import open_app, settle
from tests.pilot.test_editing import until


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
        await pilot.press("ctrl+o")
        assert await until(pilot, lambda: isinstance(pilot.app.screen, ConflictDialog) and pilot.app.screen.armed)
        await pilot.press("d")  # once the dialog takes keys (a loaded machine took the key before)
        await settle(pilot)

    assert snap_compare(open_app(demo_project), terminal_size=(80, 24), run_before=make_conflict)


def test_main_screen_60x20(snap_compare, demo_project: Path) -> None:
    assert snap_compare(open_app(demo_project), terminal_size=(60, 20), run_before=wait_for_scan)


def test_layer_mapping_80x24(snap_compare, tmp_path: Path) -> None:
    root = tmp_path / "p"
    for folder, prefix, count in (("sources", "crm_", 4), ("prep", "prep_", 3), ("reports", "rpt_", 2)):
        (root / "models" / folder).mkdir(parents=True)
        for n in range(count):
            (root / "models" / folder / f"{prefix}table_{n}.sql").write_text("select 1 as id\n")
    (root / "dbt_project.yml").write_text("name: shop\nversion: '1.0.0'\nprofile: shop\nmodel-paths: [models]\n")

    async def open_mapping(pilot) -> None:
        await wait_for_scan(pilot)
        await pilot.press("m")
        await wait_for_scan(pilot)

    assert snap_compare(open_app(root), terminal_size=(80, 24), run_before=open_mapping)


def test_new_model_wizard_80x24(snap_compare, demo_project: Path) -> None:
    async def draft_over_a_source(pilot) -> None:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("tab", "enter")  # the first source, raw.cases: its name is suggested
        await settle(pilot)

    assert snap_compare(open_app(demo_project), terminal_size=(80, 24), run_before=draft_over_a_source)


def test_find_data_80x24(snap_compare, demo_project: Path) -> None:
    async def ask_for_data(pilot) -> None:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press(*"reviewer approval rate", "enter")
        await settle(pilot)

    assert snap_compare(open_app(demo_project), terminal_size=(80, 24), run_before=ask_for_data)


def test_models_like_the_open_one_wide(snap_compare, demo_project: Path) -> None:
    original = (demo_project / "models/staging/stg_cases.sql").read_text()
    (demo_project / "models/staging/stg_cases_again.sql").write_text(original.replace("case_ref", "case_code"))

    async def open_the_copy(pilot) -> None:
        await settle(pilot)
        await pilot.press("slash", *"stg_cases_again", "enter")
        await settle(pilot)

    assert snap_compare(open_app(demo_project), terminal_size=(160, 48), run_before=open_the_copy)


def _docs_step_open(project: Path, monkeypatch) -> None:
    """stg_cases in the workflow with its SQL approved, at a fixed time by a fixed user."""
    from tui.core.project.dbt_project import load_project
    from tui.core.scan.scanner import scan_project
    from tui.core.workflow import flow
    from tui.core.workflow.steps import Step
    from tui.core.workflow.store import WorkflowStore

    monkeypatch.setattr(flow, "now_text", lambda: "2026-12-04T09:00:00+00:00")
    monkeypatch.setattr(flow, "current_user", lambda: "analyst")
    scan = scan_project(load_project(project))
    model = scan.model_named("stg_cases")
    store = WorkflowStore(project)
    flow.start_change(store, model)
    flow.approve(store, scan, model, Step.SQL, flow.flow_of(store, scan, model).artifacts, "reads the source only")


def test_step_tracker_80x24(snap_compare, demo_project: Path, monkeypatch) -> None:
    _docs_step_open(demo_project, monkeypatch)
    assert snap_compare(open_app(demo_project), terminal_size=(80, 24), run_before=wait_for_scan)


def test_review_docs_step_80x24(snap_compare, demo_project: Path, monkeypatch) -> None:
    _docs_step_open(demo_project, monkeypatch)

    async def review(pilot) -> None:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)

    assert snap_compare(open_app(demo_project), terminal_size=(80, 24), run_before=review)


def test_jobs_screen_empty_80x24(snap_compare, demo_project: Path) -> None:
    async def open_jobs(pilot) -> None:
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)

    assert snap_compare(open_app(demo_project), terminal_size=(80, 24), run_before=open_jobs)


def test_preview_80x24(snap_compare, built_demo: Path) -> None:
    async def preview(pilot) -> None:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)  # the compile job (real dbt), then the first page of rows

    assert snap_compare(open_app(built_demo), terminal_size=(80, 24), run_before=preview)


def test_no_color_main_screen_80x24(snap_compare, demo_project: Path, monkeypatch) -> None:
    """NO_COLOR: the screen in shades of grey; states stay readable by their symbols and words."""
    _docs_step_open(demo_project, monkeypatch)
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(open_app(demo_project), terminal_size=(80, 24), run_before=wait_for_scan)
