"""No default key is one a terminal, SSH or tmux swallows or aliases; a user keymap binding one
is warned about, naming the key and why."""

from __future__ import annotations

import pytest

from tui.core.commands import ALL_COMMANDS, UNSAFE_KEYS, unsafe_key_warnings

SWALLOWED = {"ctrl+s", "ctrl+q", "ctrl+h", "ctrl+i", "ctrl+m", "ctrl+j", "ctrl+enter", "ctrl+b"}


def test_the_list_names_every_key_terminals_and_tmux_take() -> None:
    assert SWALLOWED <= set(UNSAFE_KEYS) and all(UNSAFE_KEYS.values())


@pytest.mark.parametrize("command", ALL_COMMANDS, ids=lambda command: command.id)
def test_no_default_binding_uses_a_swallowed_key(command) -> None:
    assert not set(command.keys_in_force({})) & SWALLOWED


def test_a_keymap_binding_a_swallowed_key_is_warned_about_by_name() -> None:
    warnings = unsafe_key_warnings({"save": "ctrl+s", "filter": "f, ctrl+b", "lint": "l"})
    assert warnings == [
        "keys.save: ctrl+s may never reach the workbench (flow control: many terminals stop output on it (XOFF)).",
        "keys.filter: ctrl+b may never reach the workbench (tmux's prefix key: tmux keeps it).",
    ]
