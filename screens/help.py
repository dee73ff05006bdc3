"""The help screen: every key the workbench answers to, as configured, with what it does."""

from __future__ import annotations

from typing import Sequence

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.bindings import bindings_for
from tui.core.commands import HELP_COMMANDS

HelpRow = tuple[str, str, str]
"""(keys as shown, action title, what it does)"""

TREE_KEYS: tuple[HelpRow, ...] = (
    ("↑ / ↓", "", "Move in the tree"),
    ("⏎ / space", "", "Expand or collapse a group"),
    ("esc", "", "In an editor: back to the tree (tab indents there)"),
    ("^z / ^y", "", "In an editor: undo / redo"),
    ("^p", "", "Command palette: every action by name"),
)
LEGEND = (
    "Tree markers: ✎ documented (the YAML entry has a description), ✓ tested (model or column tests), "
    "· in their place when not (·· neither); after the name ✗ a lint error, ⚠ a lint warning, ! a file "
    "problem; a struck-through name is a disabled model. Press m when most models sit in Other."
)


class HelpScreen(ModalScreen[None]):
    """A modal list of keys; any of escape, q, ? or F1 closes it."""

    BINDINGS = bindings_for(HELP_COMMANDS)
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 80; max-width: 100%; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1; }
    HelpScreen .help-legend { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, rows: Sequence[HelpRow]) -> None:
        super().__init__()
        self.rows: tuple[HelpRow, ...] = (*rows, *TREE_KEYS)

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys"
            scroll.border_subtitle = "esc to close"
            yield Static(self._table(), id="help-keys")
            yield Static(LEGEND, classes="help-legend")

    def _table(self) -> Table:
        table = Table(box=None, expand=True, show_header=True, header_style="bold", padding=(0, 1))
        table.add_column("Key", style="bold yellow", no_wrap=True)
        table.add_column("Action", no_wrap=True)
        table.add_column("What it does", ratio=1)
        for keys, title, text in self.rows:
            table.add_row(keys, title, Text(text))
        return table
