"""The models like the open one, re-scored in a worker as its SQL is typed.

The house rule is to extend an existing model rather than repeat it; this panel says so while
the SQL is written, not after. The duplicate index is built off the UI thread the first time a
model is opened after a scan, and each change of the SQL re-scores against it after a short
pause. The panel hides itself when nothing looks alike, so it costs no room on a small screen.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import OptionList
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tui.core.discover.finder import Candidate, DuplicateIndex
from tui.core.discover.profiles import draft_profile
from tui.core.discover.report import project_index, sql_dialect
from tui.core.discover.shape_cache import ShapeCache
from tui.core.project.dbt_project import DbtProject
from tui.core.project.layers import LayerRules
from tui.core.project.records import ModelFile, ProjectScan

TYPING_DEBOUNCE_S = 0.4
SHOWN = 3
"""The panel lists this many candidates: the best ones; the wizard and the report show more."""


class SimilarPanel(OptionList):
    """`scan` is bound by the screen; `sql_changed` hands in the open model's text."""

    DEFAULT_CSS = """
    SimilarPanel { height: auto; max-height: 5; border: round $accent 40%; padding: 0; display: none; }
    SimilarPanel:focus { border: round $accent; }
    SimilarPanel.-shown { display: block; }
    """

    scan: reactive[ProjectScan | None] = reactive(None, always_update=True, init=False)

    class CandidateChosen(Message):
        """Enter on a candidate: open that model (the screen asks about unsaved edits first)."""

        def __init__(self, path: str) -> None:
            super().__init__()
            self.path = path

    class _IndexBuilt(Message):
        def __init__(self, scan: ProjectScan, index: DuplicateIndex) -> None:
            super().__init__()
            self.scan = scan
            self.index = index

    class _Scored(Message):
        def __init__(self, model_path: str, text: str, candidates: list[Candidate]) -> None:
            super().__init__()
            self.model_path = model_path
            self.text = text
            self.candidates = candidates

    def __init__(self, project: DbtProject, rules: LayerRules, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.project = project
        self.rules = rules
        self.index: DuplicateIndex | None = None
        self.indexed_scan: ProjectScan | None = None
        self.candidates: list[Candidate] = []
        self.scored_text: str | None = None
        """The SQL text the shown candidates are for (tests wait on it)."""
        self._model: ModelFile | None = None
        self._text = ""
        self._timer: Timer | None = None
        self._shown_lines: list[tuple[str, str]] = []
        self.border_title = "Models like this one"

    # --- inputs -------------------------------------------------------------------------------

    def watch_scan(self, scan: ProjectScan | None) -> None:
        """A new scan makes the index stale; it is rebuilt when a model is open to score."""
        if scan is not None and self._model is not None:
            self._build_index(scan)

    def sql_changed(self, model: ModelFile, text: str) -> None:
        """Score this text of the model: at once when newly opened, after a pause while typing."""
        typing = self._model is not None and self._model.path == model.path
        self._model, self._text = model, text
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.scan is not None and self.indexed_scan is not self.scan:
            self._build_index(self.scan)
        elif typing:
            self._timer = self.set_timer(TYPING_DEBOUNCE_S, self._score_open_model)
        else:
            self._score_open_model()

    def forget_model(self) -> None:
        """No model is open: nothing to compare."""
        self._model = None
        self._show([])

    def index_of(self, scan: ProjectScan) -> DuplicateIndex | None:
        """The index, when it was built from exactly this scan (screens reuse it, not rebuild it)."""
        return self.index if self.indexed_scan is scan else None

    def use_rules(self, rules: LayerRules) -> None:
        self.rules = rules
        self.indexed_scan = None

    # --- workers ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="similar-index")
    def _build_index(self, scan: ProjectScan) -> None:
        self.post_message(self._IndexBuilt(scan, project_index(self.project, scan, self.rules, ShapeCache(self.project.root))))

    @on(_IndexBuilt)
    def _index_built(self, message: _IndexBuilt) -> None:
        self.index, self.indexed_scan = message.index, message.scan
        self._score_open_model()

    def _score_open_model(self) -> None:
        if self._model is not None and self.index is not None and self.scan is not None:
            self._score(self.index, self.scan, self._model, self._text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="similar-score")
    def _score(self, index: DuplicateIndex, scan: ProjectScan, model: ModelFile, text: str) -> None:
        entry = scan.schema.entries.get(model.name)
        draft = draft_profile(
            self.rules,
            model.layer,
            model.name,
            text,
            columns=entry.column_names if entry else (),
            description=entry.description if entry else "",
            dialect=sql_dialect(self.project),
        )
        found = index.candidates(draft, limit=SHOWN)
        if not get_current_worker().is_cancelled:
            self.post_message(self._Scored(model.path, text, found))

    @on(_Scored)
    def _scored(self, message: _Scored) -> None:
        if self._model is None or message.model_path != self._model.path:
            return  # another model is open now
        self.scored_text = message.text
        self._show(message.candidates)

    # --- showing ------------------------------------------------------------------------------

    def _show(self, candidates: list[Candidate]) -> None:
        """The candidates in one update (a list filled option by option re-lays the screen out
        once per option: kilobytes over a slow link); the same lines as shown change nothing."""
        lines = [candidate_line(candidate) for candidate in candidates]
        same = [(c.path, line.plain) for c, line in zip(candidates, lines)] == self._shown_lines
        self.candidates = candidates
        if same:
            return
        self._shown_lines = [(c.path, line.plain) for c, line in zip(candidates, lines)]
        self.set_options(Option(line, id=candidate.path) for candidate, line in zip(candidates, lines))
        self.set_class(bool(candidates), "-shown")
        likely = sum(1 for c in candidates if c.likely)
        self.border_title = f"Models like this one: {likely} likely duplicate(s)" if likely else "Models like this one"
        if candidates:
            self.highlighted = 0

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.CandidateChosen(event.option.id))


def candidate_line(candidate: Candidate) -> Text:
    """One line: score, name, likely or related, and the strongest reason."""
    mark = ("≈ likely duplicate", "bold red") if candidate.likely else ("~ related", "yellow")
    reason = candidate.reasons[0] if candidate.reasons else ""
    return Text.assemble((f"{candidate.score:.2f} ", "bold"), (candidate.name, "bold"), "  ", mark, (f"  {reason}", "dim"))
