"""Every default binding of the main screen and the app, pressed as a user presses it, runs its
action (so no key is shadowed by a widget, lost to a priority binding, or bound to nothing).

Each action is wrapped to note that it ran, then run for real, except the ones whose real work
is a dbt child or leaving the app (run_model, preview, quit): those are noted only, since their
own behaviour is tested end to end. After each key the app goes back to the main screen with the
tree focused, as a user would find it.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from screens.main import MainScreen
from tests.pilot.conftest import open_app, settle
from tui.app import WorkbenchApp
from tui.core.commands import APP_COMMANDS, MAIN_COMMANDS, Command
from tui.widgets.tree.model_tree import ModelTree

NOTED_ONLY = {"run_model", "preview", "quit"}
PILOT_KEYS = {"question_mark": "question_mark", "slash": "slash"}


def pressed_keys() -> list[tuple[Command, str]]:
    return [(command, key) for command in (*APP_COMMANDS, *MAIN_COMMANDS) for key in command.keys_in_force({})]


def noting(ran: list[str], command: Command, original):
    @functools.wraps(original)
    async def wrapper(self, *args, **kwargs):
        ran.append(command.id)
        if command.id in NOTED_ONLY:
            return None
        result = original(self, *args, **kwargs)
        if hasattr(result, "__await__"):
            result = await result
        return result

    return wrapper


@pytest.fixture
def ran(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    noted: list[str] = []
    for command in (*APP_COMMANDS, *MAIN_COMMANDS):
        owner = WorkbenchApp if command.target == "app" else MainScreen
        name = f"action_{command.action_name.split('(')[0]}"
        monkeypatch.setattr(owner, name, noting(noted, command, getattr(owner, name)))
    return noted


async def back_to_the_tree(app, pilot) -> None:
    while not isinstance(app.screen, MainScreen):
        app.pop_screen()
        await pilot.pause()
    app.screen.query_one(ModelTree).focus()
    await settle(pilot)


async def test_every_default_key_of_the_main_screen_runs_its_action(demo_project: Path, ran: list[str]) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.screen.open_model is not None
        missed = []
        for command, key in pressed_keys():
            await back_to_the_tree(app, pilot)
            if command.id == "clear_filter":
                await pilot.press("slash", "s", "t", "g")  # escape has a filter to clear
                await settle(pilot)
            before = len(ran)
            await pilot.press(key)
            await settle(pilot)
            if ran[before:] != [command.id]:
                missed.append(f"{key} -> {command.id}: ran {ran[before:]}")
        await back_to_the_tree(app, pilot)
    assert missed == []
    assert set(ran) == {command.id for command in (*APP_COMMANDS, *MAIN_COMMANDS)}
