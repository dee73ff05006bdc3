"""The project-wide duplicate report by keyboard: pairs with reasons, enter/o open a model of the
pair; a project without look-alikes says so."""

from __future__ import annotations

from pathlib import Path

from screens.dupes_report import DupesReportScreen
from screens.main import MainScreen
from tests.pilot.conftest import open_app, settle
from tui.widgets.tree.model_tree import ModelTree


def pair_names(app) -> list[tuple[str, str]]:
    return [(pair.first.name, pair.second.name) for pair in app.screen.pairs or []]


def summary(app) -> str:
    return str(app.screen.query_one("#dupes-summary").render())


async def test_a_copied_model_is_reported_with_its_original_and_opens(demo_project: Path) -> None:
    original = (demo_project / "models/staging/stg_cases.sql").read_text()
    (demo_project / "models/staging/stg_cases_again.sql").write_text(original.replace("case_ref", "case_code"))
    app = open_app(demo_project)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        assert isinstance(app.screen, DupesReportScreen)
        assert summary(app).startswith("1 likely duplicate pair(s) among 9 models")
        assert sorted(pair_names(app)[0]) == ["stg_cases", "stg_cases_again"]
        reasons = app.screen.pairs[0].second.reasons
        assert any("also reads source raw.cases and nothing else" in reason for reason in reasons)
        second = app.screen.pairs[0].second.name
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.query_one(ModelTree).cursor_node.data.name == second
        assert app.screen.open_model.name == second


async def test_the_demo_has_no_look_alikes(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        assert summary(app) == "0 likely duplicate pair(s) among 8 models."
        await pilot.press("enter")  # nothing to open: the screen stays
        assert isinstance(app.screen, DupesReportScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
