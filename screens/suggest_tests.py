"""Pick the suggested tests to keep: each with the evidence from the model's data.

Every suggestion starts picked; space toggles the highlighted one, enter (or a) adds the picked
ones to the YAML pane (not to disk: the user sees them in the entry, saves, then approves).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, SelectionList, Static
from textual.widgets.selection_list import Selection

from tui.bindings import bindings_for
from tui.core.commands import SUGGEST_TESTS_COMMANDS
from tui.core.workflow.suggest import Suggestion


class SuggestTestsScreen(ModalScreen[list[Suggestion] | None]):
    DEFAULT_CSS = """
    SuggestTestsScreen { align: center middle; }
    SuggestTestsScreen > Vertical { width: 100%; height: 100%; border: round $accent; padding: 0 1; }
    SuggestTestsScreen #suggest-help { height: auto; }
    SuggestTestsScreen SelectionList { height: 1fr; }
    """
    BINDINGS = bindings_for(SUGGEST_TESTS_COMMANDS)
    COMMANDS_LIST = SUGGEST_TESTS_COMMANDS

    def __init__(self, model_name: str, suggestions: list[Suggestion]) -> None:
        super().__init__()
        self.model_name = model_name
        self.suggestions = suggestions

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = f"Tests the data of {self.model_name} supports"
            yield Static(
                f"{len(self.suggestions)} suggestion(s) from one profile of the model's query (read-only). "
                "space: keep or drop the highlighted one · enter: add the kept ones to the YAML pane · esc: add none",
                id="suggest-help",
            )
            yield SelectionList[int](*(self._choice(i, s) for i, s in enumerate(self.suggestions)), id="suggestions")
        yield Footer()

    @staticmethod
    def _choice(index: int, suggestion: Suggestion) -> Selection[int]:
        label = Text.assemble((suggestion.title, "bold"), "  ", (suggestion.evidence, "dim"))
        return Selection(label, index, True)

    def action_accept(self) -> None:
        picked = self.query_one(SelectionList).selected
        self.dismiss([self.suggestions[i] for i in sorted(picked)])
