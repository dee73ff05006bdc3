"""The new-model wizard by keyboard: names checked as typed, candidates before anything exists,
open or extend instead, create (anyway, with a reason) after seeing the file, nothing written
otherwise."""

from __future__ import annotations

import json
from pathlib import Path

from screens.dialogs import PromptDialog
from screens.main import MainScreen
from screens.new_model import ConfirmCreateDialog, NewModelScreen
from tests.pilot.conftest import open_app, settle
from tests.pilot.test_editing import until
from tui.widgets.editor.code_editor import CodeEditor
from tui.widgets.tree.model_tree import ModelTree


def check_text(app) -> str:
    return str(app.screen.query_one("#nm-check").render())


def candidate_names(app) -> list[str]:
    return [option.id for option in app.screen.query_one("#nm-candidates").options if option.id]


async def open_wizard_with(pilot, name: str, pick_source: bool = True) -> None:
    """n, the name typed, then (staging) tab to the sources and enter on the first (raw.cases)."""
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)
    await pilot.press(*name)
    if pick_source:
        await pilot.press("tab", "enter")
    await settle(pilot)


async def test_create_anyway_records_the_reason_and_opens_the_new_model(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_wizard_with(pilot, "stg_raw__cases")
        assert isinstance(app.screen, NewModelScreen)
        assert check_text(app).startswith("✓ stg_raw__cases is free")
        assert candidate_names(app)[0] == "stg_cases"  # reads raw.cases already
        await pilot.press("enter")  # create: a likely duplicate exists, so why?
        await settle(pilot)
        assert isinstance(app.screen, PromptDialog)
        await pilot.press(*"the new export has other columns", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmCreateDialog)
        created = demo_project / "models/staging/stg_raw__cases.sql"
        assert not created.exists()  # shown, not written
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert "{{ source('raw', 'cases') }}" in created.read_text()
        assert "case_ref" in created.read_text()  # the source's YAML columns
        decision = json.loads((demo_project / ".dbt-workbench/decisions/stg_raw__cases.json").read_text())
        assert decision["reason"] == "the new export has other columns"
        assert decision["candidates"][0]["name"] == "stg_cases"
        assert app.screen.open_model.name == "stg_raw__cases"
        assert isinstance(app.focused, CodeEditor) and app.focused.id == "sql-editor" or isinstance(app.focused, CodeEditor)
        assert app.screen.query_one(ModelTree).cursor_node.data.name == "stg_raw__cases"


async def test_without_a_likely_duplicate_it_goes_straight_to_the_file(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("shift+tab", "down", "down", "enter")  # the layer list: Marts
        await pilot.press("tab", *"dim_regions")
        await settle(pilot)
        assert "dim_regions is free: it will be models/marts/dim_regions.sql" in check_text(app)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmCreateDialog)
        await pilot.press("y")
        await settle(pilot)
        created = demo_project / "models/marts/dim_regions.sql"
        assert "select * from final" in created.read_text()
        assert not (demo_project / ".dbt-workbench/decisions/dim_regions.json").exists()
        assert app.screen.open_model.name == "dim_regions"


async def test_bad_names_are_explained_and_nothing_is_written(demo_project: Path) -> None:
    before = sorted(p.relative_to(demo_project) for p in demo_project.rglob("*"))
    app = open_app(demo_project)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_wizard_with(pilot, "", pick_source=False)
        box = app.screen.query_one("#nm-name")
        for typed, words in (
            ("Stg_Cases", "Use lower case: stg_cases"),
            ("stg cases", "no spaces"),
            ("../x", "not a path"),
            ("/etc/x", "not a path"),
            ("cases", "Staging models start with stg_"),
            ("stg_cases", "A model named stg_cases exists already"),
        ):
            box.value = ""
            await pilot.press(*typed)
            await settle(pilot)
            assert words in check_text(app), typed
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, NewModelScreen)
        box.value = ""
        await pilot.press(*"stg_fresh")  # a good name, but staging needs its source
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, NewModelScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    assert sorted(p.relative_to(demo_project) for p in demo_project.rglob("*")) == before


async def test_extend_instead_opens_the_candidate_in_the_sql_editor(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "down")  # the cursor leaves stg_cases first
        await open_wizard_with(pilot, "stg_raw__cases")
        await pilot.press("tab", "tab")  # name -> sources -> candidates
        assert app.focused.id == "nm-candidates"
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.open_model.name == "stg_cases"
        assert isinstance(app.focused, CodeEditor)
        assert not (demo_project / "models/staging/stg_raw__cases.sql").exists()


async def test_open_shows_the_candidate_and_leaves_the_focus_in_the_tree(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("end")  # the last model, away from the candidate
        await open_wizard_with(pilot, "dim_case", pick_source=False)
        await pilot.press("shift+tab", "down", "down", "enter")  # the layer: Marts
        await pilot.press("tab", "tab")  # layer -> name -> candidates (no sources outside staging)
        await settle(pilot)
        assert app.focused.id == "nm-candidates" and candidate_names(app)[0] == "dim_cases"
        await pilot.press("o")
        await settle(pilot)
        assert app.screen.open_model.name == "dim_cases"
        assert app.screen.query_one(ModelTree).cursor_node.data.name == "dim_cases"


async def test_backing_out_of_the_file_or_the_reason_writes_nothing(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_wizard_with(pilot, "stg_raw__cases")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")  # an empty reason
        await settle(pilot)
        assert isinstance(app.screen, NewModelScreen)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press(*"because", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmCreateDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, NewModelScreen)
    assert not (demo_project / "models/staging/stg_raw__cases.sql").exists()
    assert not (demo_project / ".dbt-workbench").exists()


def source_ids(app) -> list[str]:
    return [option.id for option in app.screen.query_one("#nm-sources").options if option.id]


async def test_a_source_declared_while_the_wizard_is_open_appears_in_it(demo_project: Path) -> None:
    """The wizard follows the project: a source declared in YAML (in vim, say) while it is open is
    listed and can be picked; the source already picked stays picked."""
    app = open_app(demo_project)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_wizard_with(pilot, "stg_crm__customers")
        wizard = app.screen
        assert isinstance(wizard, NewModelScreen) and wizard.source.qualified == "raw.cases"
        assert "crm.customers" not in source_ids(app)
        (demo_project / "models/staging/_crm_sources.yml").write_text(
            "version: 2\nsources:\n  - name: crm\n    tables:\n      - name: customers\n"
        )
        assert await until(pilot, lambda: "crm.customers" in source_ids(app))
        assert app.screen is wizard and wizard.source.qualified == "raw.cases"
        sources = wizard.query_one("#nm-sources")
        assert sources.get_option_at_index(sources.highlighted).id == "raw.cases"
        sources.focus()
        sources.highlighted = source_ids(app).index("crm.customers")
        await pilot.press("enter")
        await settle(pilot)
        assert wizard.source.qualified == "crm.customers"
        assert check_text(app).startswith("✓ stg_crm__customers is free")
