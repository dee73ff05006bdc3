"""The project-wide duplicate report: every likely duplicate pair with its reasons, best first.

The same pairs as `dbt-workbench dupes --all`. Building the index reads and parses every model,
which takes seconds on a large project, so it runs in a worker while the screen says so; the
side panel's index is reused when it is current. Enter opens the pair's first model, `o` its
second.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from screens.destination import Destination
from tui.bindings import bindings_for
from tui.core.commands import DUPES_REPORT_COMMANDS
from tui.core.discover.finder import DuplicateIndex, Pair
from tui.core.discover.report import project_index
from tui.core.discover.shape_cache import ShapeCache
from tui.core.project.dbt_project import DbtProject
from tui.core.project.layers import LayerRules
from tui.core.project.records import ProjectScan


class DupesReportScreen(ModalScreen["Destination | None"]):

    DEFAULT_CSS = """
    DupesReportScreen { align: center middle; }
    DupesReportScreen > OptionList { width: 100%; height: 1fr; border: round $primary; margin: 1 2 0 2; }
    DupesReportScreen > #dupes-summary { height: auto; padding: 0 3; color: $text-muted; }
    """
    BINDINGS = bindings_for(DUPES_REPORT_COMMANDS)
    COMMANDS_LIST = DUPES_REPORT_COMMANDS

    class Reported(Message):
        def __init__(self, pairs: list[Pair], model_count: int) -> None:
            super().__init__()
            self.pairs = pairs
            self.model_count = model_count

    def __init__(self, project: DbtProject, scan: ProjectScan, rules: LayerRules, index: DuplicateIndex | None = None) -> None:
        """`index`: one already built for this scan (the side panel's), else one is built here."""
        super().__init__()
        self.project = project
        self.scan = scan
        self.rules = rules
        self.index = index
        self.pairs: list[Pair] | None = None

    def compose(self) -> ComposeResult:
        count = sum(1 for m in self.scan.models if m.enabled and m.language == "sql")
        yield Static(f"Comparing {count} models (reading and parsing each; seconds on a large project)...", id="dupes-summary")
        yield OptionList()
        yield Footer()

    def on_mount(self) -> None:
        listing = self.query_one(OptionList)
        listing.border_title = "Likely duplicate pairs (enter: open the first, o: the second)"
        listing.focus()
        self.report()

    @work(thread=True, exclusive=True, exit_on_error=False, group="dupes-report")
    def report(self) -> None:
        index = self.index or project_index(self.project, self.scan, self.rules, ShapeCache(self.project.root))
        self.post_message(self.Reported(index.pairs(), len(index)))

    @on(Reported)
    def reported(self, message: Reported) -> None:
        self.pairs = message.pairs
        summary = f"{len(message.pairs)} likely duplicate pair(s) among {message.model_count} models"
        self.query_one("#dupes-summary", Static).update(summary + (": extend one, or say why both exist." if message.pairs else "."))
        listing = self.query_one(OptionList)
        listing.clear_options()
        for number, pair in enumerate(message.pairs):
            listing.add_option(Option(pair_text(pair), id=str(number)))
        if message.pairs:
            listing.highlighted = 0
        else:
            listing.add_option(Option(Text("No two models look alike: nothing to merge.", "green"), disabled=True))

    def _highlighted_pair(self) -> Pair | None:
        index = self.query_one(OptionList).highlighted
        return self.pairs[index] if self.pairs and index is not None and index < len(self.pairs) else None

    @on(OptionList.OptionSelected)
    def action_open_first(self) -> None:
        pair = self._highlighted_pair()
        if pair is not None:
            self.dismiss(Destination(pair.first.path))

    def action_open_second(self) -> None:
        pair = self._highlighted_pair()
        if pair is not None:
            self.dismiss(Destination(pair.second.path))


def pair_text(pair: Pair) -> Text:
    text = Text.assemble((f"{pair.score:.2f} ", "bold"), (pair.first.name, "bold"), " ≈ ", (pair.second.name, "bold"))
    text.append(f"  {pair.first.path}  {pair.second.path}", "dim")
    for reason in pair.second.reasons:
        text.append(f"\n     - {reason}", "dim")
    return text
