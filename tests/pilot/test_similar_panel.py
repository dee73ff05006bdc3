"""The side panel of models like the open one: shown when something looks alike, re-scored as
the SQL is typed (in a worker), hidden when nothing does; enter opens the candidate."""

from __future__ import annotations

from pathlib import Path

from screens.dialogs import UnsavedDialog
from tests.pilot.conftest import open_app, settle
from tests.pilot.test_editing import until
from tests.pilot.test_main_screen import pane
from tui.widgets.discover.similar import SimilarPanel
from tui.widgets.tree.model_tree import ModelTree

SCRATCH = "models/staging/stg_scratch.sql"


def similar(app) -> SimilarPanel:
    return app.screen.query_one(SimilarPanel)


def shown_names(app) -> list[str]:
    return [candidate.name for candidate in similar(app).candidates] if similar(app).display else []


async def test_a_copy_of_a_model_shows_the_original_as_a_likely_duplicate(demo_project: Path) -> None:
    original = (demo_project / "models/staging/stg_cases.sql").read_text()
    (demo_project / "models/staging/stg_cases_again.sql").write_text(original.replace("case_ref", "case_code"))
    app = open_app(demo_project)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"stg_cases_again", "enter")
        await settle(pilot)
        assert shown_names(app)[0] == "stg_cases"
        assert similar(app).candidates[0].likely
        assert "likely duplicate" in similar(app).border_title


async def test_typing_sql_re_scores_and_enter_opens_the_candidate(demo_project: Path) -> None:
    (demo_project / SCRATCH).write_text("-- scratch\n")
    app = open_app(demo_project)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"stg_scratch", "enter")
        await settle(pilot)
        assert shown_names(app) == []  # nothing alike: the panel takes no room
        await pilot.press("e", *"select case_id, case_type from {{ source('raw', 'cases') }}")
        typed = pane(app, "sql").text
        assert await until(pilot, lambda: similar(app).scored_text == typed)
        assert typed.startswith("select case_id, case_type from {{ source('raw', 'cases') }}")
        assert "stg_cases" in shown_names(app)
        assert (demo_project / SCRATCH).read_text() == "-- scratch\n"  # scoring writes nothing
        await pilot.press("escape", "s")  # to the tree (the filter stays), then to the panel
        assert app.focused is similar(app)
        similar(app).highlighted = shown_names(app).index("stg_cases")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, UnsavedDialog)  # the scratch edits are not dropped silently
        dialog = app.screen
        await pilot.press("escape")
        await settle(pilot)
        assert not dialog.is_attached and len(app.screen_stack) == 2  # one question, asked once
        assert app.screen.open_model.name == "stg_scratch"
        assert app.screen.query_one(ModelTree).cursor_node.data.name == "stg_scratch"
