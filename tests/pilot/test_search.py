"""Search across models by keyboard: g, a word, the matching lines as path:line, enter opens the
model at that line (SQL or YAML pane); the palette jumps to any model by name."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList, Static

from screens.main import MainScreen
from screens.search import EMPTY_STATE, SearchScreen
from tests.pilot.conftest import open_app, settle
from tests.pilot.test_editing import until
from tui.widgets.editor.code_editor import CodeEditor
from tui.widgets.tree.model_tree import ModelTree


def result_lines(app) -> list[str]:
    return [str(option.prompt) for option in app.screen.query_one("#search-results", OptionList).options]


def summary(app) -> str:
    return str(app.screen.query_one("#search-summary", Static).render())


async def search_for(pilot, word: str) -> None:
    await settle(pilot)
    await pilot.press("g")
    await settle(pilot)
    await pilot.press(*word)
    await settle(pilot)


async def test_a_word_lists_every_line_and_enter_opens_the_sql_at_it(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await search_for(pilot, "median_days")
        assert isinstance(app.screen, SearchScreen)
        lines = result_lines(app)
        assert [line.split("  ")[0] for line in lines] == [
            "models/intermediate/int_reviewer_workload.sql:15",
            "models/marts/dim_reviewers.sql:27",
            "models/marts/dim_reviewers.yml:42",
        ]
        assert lines[2].endswith("· dim_reviewers")  # the YAML line's model
        assert summary(app) == "3 matching line(s) in 3 file(s)"
        await pilot.press("down", "down", "enter")  # to the results, then the second: dim_reviewers.sql
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.open_model.name == "dim_reviewers"
        editor = app.screen.query_one("#sql-pane").query_one(CodeEditor)
        assert app.focused is editor
        assert editor.cursor_location == (26, 0)
        assert "median_days_to_decision" in editor.document.get_line(26)


async def test_a_yaml_hit_opens_the_model_with_the_cursor_in_its_entry(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(80, 24)) as pilot:  # narrow: the YAML tab must come to the front
        await search_for(pilot, "median_days")
        await pilot.press("enter", "end", "enter")  # enter in the box: to the results; the last one
        await settle(pilot)
        assert app.screen.open_model.name == "dim_reviewers"
        editor = app.screen.query_one("#yaml-pane").query_one(CodeEditor)
        assert app.focused is editor and app.screen.query_one("#yaml-pane").display
        row = editor.cursor_location[0]
        assert editor.document.get_line(row).strip() == "- name: median_days_to_decision"
        assert row + editor.line_number_start == 42  # the gutter shows the file's line


async def test_empty_state_no_match_and_escape(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        assert result_lines(app) == [EMPTY_STATE]
        await pilot.press(*"no_such_word")
        await settle(pilot)
        assert result_lines(app) == ["No match for 'no_such_word'"]
        assert summary(app).startswith("No match for 'no_such_word' in ")
        await pilot.press("ctrl+u")  # Input: delete to the start
        await settle(pilot)
        assert result_lines(app) == [EMPTY_STATE]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


async def test_smart_case_upper_case_narrows(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await search_for(pilot, "Primary key")
        lines = result_lines(app)
        assert lines and all(".yml:" in line for line in lines)
        await pilot.press("ctrl+u", *"PRIMARY KEY")
        await settle(pilot)
        assert result_lines(app) == ["No match for 'PRIMARY KEY'"]


async def test_the_palette_jumps_to_a_model_by_name(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"dim_reviewers")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.query_one(ModelTree).cursor_node.data.name == "dim_reviewers"
        assert app.screen.open_model.name == "dim_reviewers"


async def test_the_palette_jump_clears_a_filter_that_hides_the_model(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"stg", "enter")
        await settle(pilot)
        await pilot.press("ctrl+p", *"dim_reviewers")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one(ModelTree).cursor_node.data.name == "dim_reviewers"
        assert app.screen.open_model.name == "dim_reviewers"


async def test_a_jump_reaches_a_model_in_a_folder_not_expanded_yet(demo_project: Path) -> None:
    extra = demo_project / "models" / "staging" / "extra"
    extra.mkdir()
    for number in range(310):  # over 300 models: sub-folders open collapsed, filled on expand
        (extra / f"stg_extra_{number:03}.sql").write_text(f"select {number} as marker_{number:03}\n")
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await search_for(pilot, "marker_207")
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert app.screen.query_one(ModelTree).cursor_node.data.name == "stg_extra_207"
        assert app.screen.open_model.name == "stg_extra_207"


async def test_a_file_changed_while_the_search_is_open_is_searched_as_it_is_now(demo_project: Path) -> None:
    """A model written on disk (by vim, by git) while the search is open: its lines are hits."""
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await search_for(pilot, "appeal_window")
        assert summary(app).startswith("No match")
        (demo_project / "models/intermediate/int_appeals.sql").write_text(
            "select case_id, 30 as appeal_window_days\nfrom {{ ref('stg_cases') }}\n"
        )
        assert await until(pilot, lambda: any("int_appeals.sql:1" in line for line in result_lines(app)))
        assert isinstance(app.screen, SearchScreen)
