"""Textual bindings made from the command table (tui.core.commands), with ids so a keymap can rebind them."""

from __future__ import annotations

from typing import Iterable

from textual.binding import Binding

from tui.core.commands import Command


def bindings_for(commands: Iterable[Command], qualified: bool = False) -> list[Binding]:
    """One Binding per command: its default keys, action, footer title and id.

    `qualified` keeps the `app.` of app actions, so a screen can bind them itself and so put
    them first in its footer (Help and Quit must show at 80 columns)."""
    return [
        Binding(
            command.keys,
            command.action if qualified and command.target == "app" else command.action_name,
            command.title,
            show=command.show,
            priority=command.priority,
            id=command.id,
        )
        for command in commands
    ]
