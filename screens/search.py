"""Search across models: a word typed, every model's SQL and YAML line that holds it, listed as
`path:line`; enter opens the model at the line.

The search runs in a thread worker on every change of the box (exclusive, so a newer query
supersedes the one running and typing never waits); the files are read once per opening.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tui.bindings import bindings_for
from tui.core.commands import SEARCH_COMMANDS
from screens.destination import Destination
from tui.core.discover.grep import GrepHit, GrepResult, ModelSearch
from tui.core.project.records import ProjectScan

EMPTY_STATE = "Type a word to search every model's SQL and YAML"


class SearchScreen(ModalScreen["Destination | None"]):
    """Dismisses with the chosen hit (its path and line, and the model it belongs to) or None."""

    DEFAULT_CSS = """
    SearchScreen { align: center middle; }
    SearchScreen > #search-query { margin: 1 2 0 2; }
    SearchScreen > #search-summary { height: 1; padding: 0 3; color: $text-muted; }
    SearchScreen > OptionList { height: 1fr; border: round $primary; margin: 0 2; }
    """
    AUTO_FOCUS = "#search-query"
    BINDINGS = bindings_for(SEARCH_COMMANDS)
    COMMANDS_LIST = SEARCH_COMMANDS

    class Searched(Message):
        """A query's hits, ready to list (an older query's are dropped on arrival)."""

        def __init__(self, result: GrepResult) -> None:
            super().__init__()
            self.result = result

    def __init__(self, searcher: ModelSearch) -> None:
        super().__init__()
        self.searcher = searcher
        self.hits: tuple[GrepHit, ...] = ()

    def compose(self) -> ComposeResult:
        query = Input(placeholder="word or phrase (case matters only with a capital letter)", id="search-query")
        query.cursor_blink = False
        yield query
        yield Static("", id="search-summary")
        yield OptionList(Option(Text(EMPTY_STATE, "italic"), disabled=True), id="search-results")
        yield Footer()

    def on_mount(self) -> None:
        self.results.border_title = "Matching lines (enter: open the model at the line)"

    def follow_scan(self, scan: ProjectScan) -> None:
        """Files saved or changed on disk, or the YAML index arriving, while the search is open:
        search the files as they are now, and show the query's hits again."""
        if scan is not self.searcher.scan:
            self.searcher = ModelSearch(self.searcher.root, scan)
            self.search(self.query_text)

    @property
    def results(self) -> OptionList:
        return self.query_one("#search-results", OptionList)

    @property
    def query_text(self) -> str:
        return self.query_one("#search-query", Input).value

    @on(Input.Changed, "#search-query")
    def _query_changed(self, event: Input.Changed) -> None:
        self.query_one("#search-summary", Static).update("Searching..." if event.value.strip() else "")
        self.search(event.value)

    @on(Input.Submitted, "#search-query")
    def _query_submitted(self) -> None:
        self.action_focus_results()

    @work(thread=True, exclusive=True, exit_on_error=False, group="grep")
    def search(self, query: str) -> None:
        worker = get_current_worker()
        result = self.searcher.search(query, cancelled=lambda: worker.is_cancelled)
        if result is not None and not worker.is_cancelled:
            self.post_message(self.Searched(result))

    @on(Searched)
    def _searched(self, message: Searched) -> None:
        result = message.result
        if result.query != (self.query_text if self.query_text.strip() else ""):
            return  # typed past it: the newer query's result is on its way
        self.hits = result.hits
        self.query_one("#search-summary", Static).update(result.summary())
        self.results.clear_options()
        self.results.add_options(result_options(result))
        if result.hits:
            self.results.highlighted = 0

    def action_focus_results(self) -> None:
        if self.hits:
            self.results.focus()

    @on(OptionList.OptionSelected, "#search-results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            hit = self.hits[int(event.option.id)]
            self.dismiss(Destination(hit.path, hit.line, hit.model))


def result_options(result: GrepResult) -> list[Option]:
    """One option per hit; the empty state or "No match" as a disabled line."""
    if not result.query:
        return [Option(Text(EMPTY_STATE, "italic"), disabled=True)]
    if not result.hits:
        return [Option(Text(f"No match for '{result.query}'", "italic"), disabled=True)]
    return [Option(hit_text(hit), id=str(index)) for index, hit in enumerate(result.hits)]


def hit_text(hit: GrepHit) -> Text:
    """`path:line  text` with the match highlighted; a YAML line names its model (or none)."""
    line = Text.assemble((f"{hit.path}:{hit.line}", "bold"), "  ", hit.text)
    start = len(line) - len(hit.text)
    line.stylize("reverse", start + hit.match[0], start + hit.match[1])
    if hit.kind == "yaml":
        line.append(f"  · {hit.model}" if hit.model else "  · no model", "dim")
    return line
