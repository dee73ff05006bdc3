"""'Find data' by keyboard: each branch of the decision tree (a mart fits; only staging fits;
nothing fits) and where it leads (copy the snippet, open the mart, the wizard at a layer)."""

from __future__ import annotations

from pathlib import Path

from screens.find_data import FindDataScreen
from screens.main import MainScreen
from screens.new_model import NewModelScreen
from tests.pilot.conftest import open_app, settle
from tests.unit.test_find_data import HEARINGS_SQL, HEARINGS_YML
from tui.core.project.layers import Layer
from tui.widgets.tree.model_tree import ModelTree


def verdict_text(app) -> str:
    return str(app.screen.query_one("#fd-verdict").render())


def match_names(app) -> list[str]:
    return [option.id for option in app.screen.query_one("#fd-matches").options if option.id]


async def ask(pilot, words: str) -> None:
    await settle(pilot)
    await pilot.press("d")
    await settle(pilot)
    assert isinstance(pilot.app.screen, FindDataScreen)
    await pilot.press(*words)
    await settle(pilot)


async def test_a_mart_fits_its_snippet_is_copied_and_it_opens(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(pilot, "case decisions by reviewer")
        assert verdict_text(app).startswith("✓ A mart has it")
        assert match_names(app)[0] == "fct_case_decisions"
        assert app.screen.query_one("#fd-snippet").display
        assert "from {{ ref('fct_case_decisions') }}" in app.screen.snippet()
        await pilot.press("enter", "c")  # to the list, copy
        assert app.clipboard.endswith("from {{ ref('fct_case_decisions') }}\n")
        assert "    reviewer_id,\n" in app.clipboard
        await pilot.press("w")  # a mart fits: no new model
        assert isinstance(app.screen, FindDataScreen)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.query_one(ModelTree).cursor_node.data.name == "fct_case_decisions"
        assert app.screen.open_model.name == "fct_case_decisions"


async def test_only_staging_fits_so_a_new_mart_starts_in_the_wizard(demo_project: Path) -> None:
    (demo_project / "models/staging/stg_hearings.sql").write_text(HEARINGS_SQL)
    (demo_project / "models/staging/stg_hearings.yml").write_text(HEARINGS_YML)
    app = open_app(demo_project)
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(pilot, "hearings by courtroom")
        assert verdict_text(app).startswith("No mart fits, but a staging model does")
        assert match_names(app)[0] == "stg_hearings"
        await pilot.press("enter", "c")  # exploration: the snippet reads the staging model
        assert app.clipboard.endswith("from {{ ref('stg_hearings') }}\n")
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, NewModelScreen)
        assert app.screen.draft_layer is Layer.MARTS


async def test_nothing_fits_so_a_staging_model_over_the_source_starts(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(pilot, "appeal payouts ledger")
        assert verdict_text(app).startswith("No model has it")
        assert match_names(app)[0] == "raw.decisions"
        assert not app.screen.query_one("#fd-snippet").display  # no snippet over a raw table
        await pilot.press("enter", "c")
        assert not app.clipboard
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, NewModelScreen)
        assert app.screen.draft_layer is Layer.STAGING
        assert app.screen.source.qualified == "raw.decisions"
        assert app.screen.typed_name == "stg_raw__decisions"


async def test_escape_closes_and_the_empty_state_says_what_to_type(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, "")
        assert verdict_text(app).startswith("Say what you need")
        assert match_names(app) == []
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
