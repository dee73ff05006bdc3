"""Esc never discards work: the wizard and every question closed with Esc open again with what was
typed (also when Esc was half of an arrow key whose bytes came apart on a slow link); copies of a
model's name go through the terminal (OSC 52)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from screens.dialogs import PromptDialog
from screens.main import MainScreen
from screens.new_model import NewModelScreen
from tests.pilot.conftest import open_app, settle
from tests.pilot.test_new_model import open_wizard_with
from tui.app import WorkbenchApp
from tui.core.config import WorkbenchConfig


async def test_the_wizard_comes_back_as_esc_left_it(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_wizard_with(pilot, "stg_raw__kept_draft")  # and raw.cases picked
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        await pilot.press("n")
        await settle(pilot)
        wizard = app.screen
        assert isinstance(wizard, NewModelScreen)
        assert wizard.query_one("#nm-name", Input).value == "stg_raw__kept_draft"
        assert wizard.source is not None and wizard.source.qualified == "raw.cases"
    assert not list(demo_project.rglob("stg_raw__kept_draft.sql"))  # nothing was written on the way


async def test_a_question_closed_with_esc_opens_with_what_was_typed(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("e", "ctrl+f")
        assert isinstance(app.screen, PromptDialog)
        await pilot.press(*"renamed as")
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, PromptDialog)
        assert app.screen.query_one(Input).value.endswith("renamed as")


async def test_the_open_models_name_is_copied_through_the_terminal(demo_project: Path) -> None:
    from tests.pilot.conftest import lint_in_process

    app = WorkbenchApp(demo_project, config=WorkbenchConfig(clipboard="osc52"), project_linter=lint_in_process, warm_jobs=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert app.clipboard == app.screen.open_model.name == "stg_cases"
        assert any(n.message == "Copied the name stg_cases (through the terminal, OSC 52)." for n in app._notifications)


async def test_keys_that_arrive_with_esc_go_where_the_focus_goes_not_into_the_text(demo_project: Path) -> None:
    """Over a slow link Esc and the next keys arrive in one read: the app hands all of them on
    before the editor has moved the focus. They must reach the tree (n: the wizard), not the SQL."""
    from textual import events

    from tui.widgets.editor.code_editor import CodeEditor

    app = open_app(demo_project)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        editor = app.focused
        assert isinstance(editor, CodeEditor)
        before = editor.text
        for key, character in (("escape", None), ("left_square_bracket", "["), ("A", "A"), ("n", "n")):
            app.post_message(events.Key(key, character))  # one batch, nothing awaited between them
        await settle(pilot)
        assert editor.text == before  # nothing typed into the SQL
        assert isinstance(app.screen, NewModelScreen)  # n reached the tree once the focus had moved
