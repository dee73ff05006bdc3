"""The help screen: every key the workbench answers to, as configured, with what it does."""

from __future__ import annotations

from typing import Iterable, Mapping

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from tui.commands import Command

TREE_KEYS = (
    ("up / down", "Move in the tree"),
    ("enter / space", "Expand or collapse a group"),
    ("tab / shift+tab", "Move the focus between the tree and the panes"),
    ("ctrl+p", "Command palette: every action by name"),
)
LEGEND = "Tree markers: ✎ documented (the YAML entry has a description), ✓ tested (model or column tests)."


class HelpScreen(ModalScreen[None]):
    """A modal list of keys; any of escape, q, ? or F1 closes it."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close", id="close_help")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 84; max-width: 100%; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1; }
    HelpScreen DataTable { height: auto; }
    HelpScreen .help-legend { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, commands: Iterable[Command], overrides: Mapping[str, str]) -> None:
        super().__init__()
        self.commands = tuple(commands)
        self.overrides = overrides

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys"
            scroll.border_subtitle = "escape to close"
            yield DataTable(show_cursor=False, zebra_stripes=True)
            yield Static(LEGEND, classes="help-legend")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Key", "Action", "What it does")
        for command in self.commands:
            table.add_row(command.key_display(self.overrides), command.title, command.help)
        for keys, text in TREE_KEYS:
            table.add_row(keys, "", text)
