"""Textual bindings made from the command table (tui.core.commands), with ids so a keymap can rebind them."""

from __future__ import annotations

from typing import Iterable

from textual.binding import Binding

from tui.core.commands import Command


def bindings_for(commands: Iterable[Command]) -> list[Binding]:
    """One Binding per command: its default keys, action, footer title and id."""
    return [
        Binding(
            command.keys,
            command.action_name,
            command.title,
            show=command.show,
            priority=command.priority,
            id=command.id,
        )
        for command in commands
    ]
