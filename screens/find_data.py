""""Find data": the user says what they need; marts first, then staging, then a declared source.

A fitting mart comes with its `ref()` snippet to copy; a fitting staging model with the choice
between a new mart (the wizard at the marts layer) and exploration only; nothing fitting with a
new staging model over a declared source (the wizard at the staging layer). Raw tables are never
offered.
"""

from __future__ import annotations

from rich.syntax import Syntax
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from screens.destination import Destination
from tui.bindings import bindings_for
from tui.core.commands import FIND_DATA_COMMANDS
from tui.core.discover.find_data import DataAnswer, DataMatch, Verdict, find_data, ref_snippet
from tui.core.discover.profiles import catalog_columns
from tui.core.project.dbt_project import DbtProject
from tui.core.project.layers import Layer
from tui.core.project.records import ProjectScan

VERDICT_TEXT = {
    Verdict.EMPTY: "Say what you need, e.g. \"case decisions by reviewer\": marts are searched first.",
    Verdict.MART: "✓ A mart has it: read it with ref(). c copies the snippet, o opens the mart.",
    Verdict.STAGING: (
        "No mart fits, but a staging model does. For a model others will read, make a new mart on it "
        "(w: the wizard at the marts layer); for exploration only, copy the snippet (c)."
    ),
    Verdict.NOTHING: (
        "No model has it. w starts a new staging model over the highlighted declared source "
        "(raw tables are read through staging models only)."
    ),
}


class FindDataScreen(ModalScreen["Destination | None"]):
    DEFAULT_CSS = """
    FindDataScreen { align: center middle; }
    FindDataScreen > Vertical { width: 100; max-width: 100%; height: 100%; border: round $primary; padding: 0 1; }
    FindDataScreen #fd-verdict { height: auto; margin: 0 0 1 0; }
    FindDataScreen #fd-verdict.-mart { color: $success; }
    FindDataScreen #fd-matches { height: 1fr; min-height: 7; border: round $primary 50%; }
    FindDataScreen #fd-snippet { height: auto; max-height: 9; border: round $primary 50%; overflow-y: auto; }
    """
    BINDINGS = bindings_for(FIND_DATA_COMMANDS)
    COMMANDS_LIST = FIND_DATA_COMMANDS

    class Answered(Message):
        def __init__(self, text: str, answer: DataAnswer) -> None:
            super().__init__()
            self.text = text
            self.answer = answer

    def __init__(self, project: DbtProject, scan: ProjectScan) -> None:
        super().__init__()
        self.project = project
        self.scan = scan
        self.answer = DataAnswer(Verdict.EMPTY, ())
        self.built_columns: dict[str, tuple[str, ...]] | None = None

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Find data: what do you need?"
            typed = Input(placeholder="e.g. case decisions by reviewer (enter: to the list)", id="fd-ask")
            typed.cursor_blink = False  # no animation: a blink is bytes on a slow link
            yield typed
            yield Static(VERDICT_TEXT[Verdict.EMPTY], id="fd-verdict")
            yield OptionList(id="fd-matches")
            yield Static(id="fd-snippet")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#fd-matches", OptionList).border_title = "Matches (best first)"
        self.query_one("#fd-snippet", Static).border_title = "Snippet"
        self.query_one("#fd-ask", Input).focus()

    def follow_scan(self, scan: ProjectScan) -> None:
        """The project changed while the question is open: answer it again over the new scan."""
        if scan is not self.scan:
            self.scan = scan
            self.search(self.asked)

    @property
    def asked(self) -> str:
        return self.query_one("#fd-ask", Input).value

    @on(Input.Changed, "#fd-ask")
    def ask_changed(self) -> None:
        self.search(self.asked)

    @on(Input.Submitted, "#fd-ask")
    def to_matches(self) -> None:
        self.query_one("#fd-matches", OptionList).focus()

    @work(thread=True, exclusive=True, exit_on_error=False, group="fd-search")
    def search(self, text: str) -> None:
        """Off the UI thread: the catalog (once) and the scoring over every model."""
        if self.built_columns is None:
            self.built_columns = catalog_columns(self.project.root / self.project.target_path / "catalog.json")
        self.post_message(self.Answered(text, find_data(text, self.scan, self.built_columns)))

    @on(Answered)
    def answered(self, message: Answered) -> None:
        if message.text != self.asked:
            return  # the user typed on; a newer answer follows
        self.answer = message.answer
        verdict = self.query_one("#fd-verdict", Static)
        verdict.update(VERDICT_TEXT[message.answer.verdict])
        verdict.set_class(message.answer.verdict is Verdict.MART, "-mart")
        self._list_matches(message.answer)
        self._show_snippet()

    def _list_matches(self, answer: DataAnswer) -> None:
        listing = self.query_one("#fd-matches", OptionList)
        listing.clear_options()
        for match in answer.matches:
            listing.add_option(Option(_match_text(match), id=match.name))
        if answer.matches:
            listing.highlighted = 0
        elif answer.verdict is Verdict.NOTHING:
            listing.add_option(Option(Text("No source is declared in YAML: declare the raw table under sources: first.", "dim"), disabled=True))

    @on(OptionList.OptionHighlighted, "#fd-matches")
    def match_highlighted(self) -> None:
        self._show_snippet()

    def highlighted(self) -> DataMatch | None:
        listing = self.query_one("#fd-matches", OptionList)
        index = listing.highlighted
        return self.answer.matches[index] if index is not None and index < len(self.answer.matches) else None

    def snippet(self) -> str | None:
        """The `ref()` snippet of the highlighted model; sources get none (they are read in staging)."""
        match = self.highlighted()
        if match is None or self.answer.verdict is Verdict.NOTHING:
            return None
        return ref_snippet(match)

    def _show_snippet(self) -> None:
        box = self.query_one("#fd-snippet", Static)
        snippet = self.snippet()
        box.display = snippet is not None
        if snippet is not None:
            box.update(Syntax(snippet, "sql+jinja", theme="monokai", background_color="default"))

    # --- actions ------------------------------------------------------------------------------

    def action_copy_snippet(self) -> None:
        snippet = self.snippet()
        if snippet is None:
            self.notify("Nothing to copy: a source is read through a new staging model (w).", severity="warning")
            return
        self.app.copy_text(snippet, f"the snippet reading {self.highlighted().name}")

    def action_open_match(self) -> None:
        match = self.highlighted()
        if match is not None and match.layer is not None:
            self.dismiss(Destination(match.path))

    def action_new_model(self) -> None:
        verdict = self.answer.verdict
        if verdict is Verdict.MART:
            self.notify("A mart has this already: read it with the snippet (c) rather than building another.", severity="warning")
        elif verdict is Verdict.STAGING:
            self.dismiss(Destination(wizard=Layer.MARTS))
        elif verdict is Verdict.NOTHING:
            match = self.highlighted()
            self.dismiss(Destination(wizard=Layer.STAGING, source=match.name if match else None))


def _match_text(match: DataMatch) -> Text:
    kind = match.layer.title if match.layer is not None else "declared source"
    text = Text.assemble((f"{match.score:.2f} ", "bold"), (match.name, "bold"), f"  {kind}  {match.path}")
    for reason in match.reasons or ("none of the words; listed so you can pick it",):
        text.append(f"\n     - {reason}", "dim")
    return text
