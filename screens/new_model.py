"""The new-model wizard: layer, name (checked as you type), source table for staging, and the
existing models that look like it, before anything is written.

From a candidate the user opens it or extends it instead; "create" with likely duplicates asks
for a one-line reason, recorded in `.dbt-workbench/decisions/`. The file is written only after
the user confirmed the starter SQL shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.syntax import Syntax
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, RadioButton, RadioSet, Static
from textual.widgets.option_list import Option

from screens.destination import Destination
from screens.dialogs import DIALOG_CSS, PromptDialog, drafts_of
from tui.bindings import bindings_for
from tui.core.commands import CREATE_CONFIRM_COMMANDS, NEW_MODEL_COMMANDS
from tui.core.discover.decisions import record_create_anyway
from tui.core.discover.finder import Candidate, DuplicateIndex
from tui.core.discover.new_model import (
    NewModel,
    create_model,
    layered_sql,
    model_file,
    name_problem,
    prefixes_for,
    source_columns,
    staging_sql,
    suggested_name,
)
from tui.core.discover.profiles import draft_profile
from tui.core.discover.report import project_index, sql_dialect
from tui.core.discover.shape_cache import ShapeCache
from tui.core.errors import WorkbenchError
from tui.core.project.dbt_project import DbtProject
from tui.core.project.layers import Layer, LayerRules
from tui.core.project.records import ProjectScan, SourceTable

LAYERS = (Layer.STAGING, Layer.INTERMEDIATE, Layer.MARTS)
DRAFT = "new_model"
"""The app's draft key: (layer, name, source) of a wizard closed with Esc."""


class LayerButton(RadioButton):
    """Shows its state by shape, not by colour alone (NO_COLOR, monochrome terminals): ● chosen, ○ not."""

    @property
    def _button(self):
        self.BUTTON_INNER = "●" if self.value else "○"
        return super()._button


class NewModelScreen(ModalScreen["Destination | None"]):
    DEFAULT_CSS = """
    NewModelScreen { align: center middle; }
    NewModelScreen > Vertical { width: 100; max-width: 100%; height: 100%; border: round $primary; padding: 0 1; }
    NewModelScreen RadioSet { width: 100%; height: auto; }
    NewModelScreen #nm-check { height: auto; margin-bottom: 1; }
    NewModelScreen #nm-check.-bad { color: $error; }
    NewModelScreen #nm-check.-good { color: $success; }
    NewModelScreen #nm-sources { height: auto; max-height: 6; border: round $primary 50%; }
    NewModelScreen #nm-sources.-hidden { display: none; }
    NewModelScreen #nm-candidates { height: 1fr; min-height: 5; border: round $primary 50%; }
    NewModelScreen #nm-status { height: auto; color: $text-muted; }
    """
    BINDINGS = bindings_for(NEW_MODEL_COMMANDS)
    COMMANDS_LIST = NEW_MODEL_COMMANDS

    class IndexReady(Message):
        def __init__(self, index: DuplicateIndex) -> None:
            super().__init__()
            self.index = index

    class FileReady(Message):
        """The new file's text, its starter SQL read off the UI thread (a warehouse read may wait)."""

        def __init__(self, new: NewModel, columns_said: str, reason: str | None, likely: list[Candidate]) -> None:
            super().__init__()
            self.new = new
            self.columns_said = columns_said
            self.reason = reason
            self.likely = likely

    class CandidatesFound(Message):
        def __init__(self, name: str, candidates: list[Candidate]) -> None:
            super().__init__()
            self.name_typed = name
            self.candidates = candidates

    def __init__(
        self,
        project: DbtProject,
        scan: ProjectScan,
        rules: LayerRules,
        layer: Layer = Layer.STAGING,
        source: str | None = None,
        index: DuplicateIndex | None = None,
        name: str = "",
    ) -> None:
        """`source` (`source.table`) is picked already, when "find data" started the wizard over it;
        `index` is the main screen's duplicate index when it was built from this very scan."""
        super().__init__()
        self.project = project
        self.scan = scan
        self.rules = rules
        self.draft_layer = layer
        self.index: DuplicateIndex | None = index
        self.candidates: list[Candidate] = []
        self.source: SourceTable | None = next((t for t in scan.schema.sources if t.qualified == source), None)
        self._suggested = ""
        self.draft_name = name
        """A name typed before Esc closed the wizard (it opens with it)."""

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "New model: check what exists first"
            with RadioSet(id="nm-layer"):
                for layer in LAYERS:
                    yield LayerButton(f"{layer.title} ({' / '.join(prefixes_for(layer, self.rules))})", value=layer is self.draft_layer)
            typed = Input(placeholder="model name, e.g. stg_crm__customers", id="nm-name")
            typed.cursor_blink = False  # no animation: a blink is bytes on a slow link
            yield typed
            yield Static(id="nm-check")
            yield OptionList(id="nm-sources")
            yield OptionList(id="nm-candidates")
            yield Static("Reading the project's models for the duplicate check...", id="nm-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#nm-sources", OptionList).border_title = "Source table (staging reads one): enter picks"
        self._list_sources()
        self.query_one("#nm-candidates", OptionList).border_title = "Existing models like it (tab to here; o: open, x: extend instead)"
        self._show_layer()
        name_box = self.query_one("#nm-name", Input)
        if self.draft_name:
            name_box.value = self.draft_name
        elif self.source is not None and self.draft_layer is Layer.STAGING:
            self._suggested = name_box.value = suggested_name(self.source)
        name_box.focus()
        if self.index is None:
            self.build_index()
        else:
            self.index_ready(self.IndexReady(self.index))

    def follow_scan(self, scan: ProjectScan) -> None:
        """The project changed while the wizard is open (the YAML index arrived, a file was saved):
        the sources, the name check and the candidates follow; what the user picked stays picked."""
        if scan is self.scan:
            return
        self.scan = scan
        picked = self.source.qualified if self.source else None
        self.source = next((t for t in scan.schema.sources if t.qualified == picked), None)
        self._list_sources()
        self.build_index()

    def _list_sources(self) -> None:
        sources = self.query_one("#nm-sources", OptionList)
        sources.clear_options()
        declared = self.scan.schema.sources
        for table in declared:
            sources.add_option(Option(f"{table.qualified}  ({table.path}:{table.line})", id=table.qualified))
        if not declared:
            sources.add_option(Option(Text("No sources declared in YAML yet: declare one under sources:", "dim"), disabled=True))
        else:
            sources.highlighted = declared.index(self.source) if self.source in declared else 0

    # --- the draft ----------------------------------------------------------------------------

    @property
    def typed_name(self) -> str:
        return self.query_one("#nm-name", Input).value

    def _path(self, name: str) -> Path:
        return model_file(self.project, self.draft_layer, name)

    def problem(self) -> str | None:
        name = self.typed_name
        path = self._path(name) if name and "/" not in name and ".." not in name else None
        return name_problem(name, self.draft_layer, self.rules, (m.name for m in self.scan.models), path)

    @on(RadioSet.Changed, "#nm-layer")
    def layer_changed(self, event: RadioSet.Changed) -> None:
        self.draft_layer = LAYERS[event.index]
        if self.draft_layer is not Layer.STAGING:
            self.source = None
        self._show_layer()
        self._draft_changed()

    def _show_layer(self) -> None:
        staging = self.draft_layer is Layer.STAGING
        self.query_one("#nm-sources").set_class(not staging, "-hidden")
        hint = "stg_<source>__<entity>" if staging else f"{prefixes_for(self.draft_layer, self.rules)[0]}<what it holds>"
        self.query_one("#nm-name", Input).placeholder = f"model name, e.g. {hint}"

    @on(OptionList.OptionSelected, "#nm-sources")
    def source_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.source = next((t for t in self.scan.schema.sources if t.qualified == event.option.id), None)
        name_box = self.query_one("#nm-name", Input)
        if self.source is not None and (not name_box.value or name_box.value == self._suggested):
            self._suggested = suggested_name(self.source)
            name_box.value = self._suggested
        self._draft_changed()
        name_box.focus()

    @on(Input.Changed, "#nm-name")
    def name_changed(self) -> None:
        self._draft_changed()

    def _draft_changed(self) -> None:
        check = self.query_one("#nm-check", Static)
        problem = self.problem()
        if problem:
            check.update(problem)
        else:
            where = self._path(self.typed_name).relative_to(self.project.root).as_posix()
            source = f", reading source {self.source.qualified}" if self.source else ""
            check.update(f"✓ {self.typed_name} is free: it will be {where}{source}.")
        check.set_class(bool(problem) and bool(self.typed_name), "-bad")
        check.set_class(not problem, "-good")
        if self.index is not None:
            self.find_candidates(self.index, self.draft_layer, self.typed_name, self.source)

    # --- candidates, off the UI thread --------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="nm-index")
    def build_index(self) -> None:
        index = project_index(self.project, self.scan, self.rules, ShapeCache(self.project.root))
        self.post_message(self.IndexReady(index))

    @on(IndexReady)
    def index_ready(self, message: IndexReady) -> None:
        self.index = message.index
        self.query_one("#nm-status", Static).update(f"Compared with {len(message.index)} models as you type.")
        self._draft_changed()

    @work(thread=True, exclusive=True, exit_on_error=False, group="nm-candidates")
    def find_candidates(self, index: DuplicateIndex, layer: Layer, name: str, source: SourceTable | None) -> None:
        sources = [(source.source_name, source.table_name)] if source else []
        draft = draft_profile(self.rules, layer, name, sources=sources, dialect=sql_dialect(self.project))
        found = index.candidates(draft) if (name or sources) else []
        self.post_message(self.CandidatesFound(name, found))

    @on(CandidatesFound)
    def candidates_found(self, message: CandidatesFound) -> None:
        if message.name_typed != self.typed_name:
            return  # the user typed on; a newer search follows
        self.candidates = message.candidates
        listing = self.query_one("#nm-candidates", OptionList)
        listing.clear_options()
        for candidate in message.candidates:
            listing.add_option(Option(_candidate_text(candidate), id=candidate.name))
        if message.candidates:
            listing.highlighted = 0
        else:
            empty = "Type a name (or pick a source) to see similar models." if not message.name_typed else "No existing model looks like it."
            listing.add_option(Option(Text(empty, "dim"), disabled=True))

    def _highlighted(self) -> Candidate | None:
        listing = self.query_one("#nm-candidates", OptionList)
        if listing.highlighted is None or not self.candidates:
            return None
        return self.candidates[listing.highlighted] if listing.highlighted < len(self.candidates) else None

    # --- actions ------------------------------------------------------------------------------

    def action_open_candidate(self) -> None:
        candidate = self._highlighted()
        if candidate is not None:
            self.dismiss(Destination(candidate.path))

    def action_extend_candidate(self) -> None:
        candidate = self._highlighted()
        if candidate is not None:
            self.dismiss(Destination(candidate.path, edit=True))

    @on(Input.Submitted, "#nm-name")
    def action_create(self) -> None:
        problem = self.problem()
        if problem:
            self.notify(problem, title="Not yet", severity="warning")
            return
        if self.draft_layer is Layer.STAGING and self.source is None:
            self.notify("Pick the source table this staging model cleans (tab to the list).", severity="warning")
            return
        likely = [c for c in self.candidates if c.likely]
        if likely:
            best = likely[0]
            prompt = (f"{len(likely)} existing model(s) look like this one; the closest is {best.name} "
                      f"({best.reasons[0]}). Why create it anyway? (recorded with the model)")
            self.app.push_screen(PromptDialog("Create anyway?", prompt), lambda reason: self._confirm(reason, likely))
        else:
            self._confirm(None, [])

    def _confirm(self, reason: str | None, likely: list[Candidate]) -> None:
        if likely and not reason:
            return  # no reason, no model
        self._prepare_file(self.typed_name, self.draft_layer, self.source, reason, likely)

    @work(thread=True, exclusive=True, exit_on_error=False, group="nm-file")
    def _prepare_file(self, name: str, layer: Layer, source: SourceTable | None, reason: str | None, likely: list[Candidate]) -> None:
        said = ""
        if layer is Layer.STAGING and source is not None:
            columns, said = source_columns(self.project, source)
            sql = staging_sql(source, columns)
        else:
            sql = layered_sql(name, [])
        self.post_message(self.FileReady(NewModel(name, layer, model_file(self.project, layer, name), sql), said, reason, likely))

    @on(FileReady)
    def _file_ready(self, message: FileReady) -> None:
        new, reason, likely = message.new, message.reason, message.likely
        dialog = ConfirmCreateDialog(new, self.project.root, message.columns_said)
        self.app.push_screen(dialog, lambda ok: self._create(ok, new, reason, likely))

    def _create(self, confirmed: bool | None, new: NewModel, reason: str | None, likely: list[Candidate]) -> None:
        if not confirmed:
            return
        try:
            create_model(self.project, new)
            if reason:
                record_create_anyway(self.project.root, new.name, reason, likely)
        except WorkbenchError as error:
            self.notify(str(error), title="Not created", severity="error")
            return
        drafts_of(self.app).pop(DRAFT, None)
        self.dismiss(Destination(new.relative_to(self.project.root), created=True))

    def action_cancel(self) -> None:
        """Close; the layer, the name and the source picked are kept for the next time."""
        name = self.query_one("#nm-name", Input).value
        if name.strip() and name != self._suggested or self.source is not None:
            drafts_of(self.app)[DRAFT] = (self.draft_layer, name, self.source.qualified if self.source else None)
        self.dismiss(None)


def _candidate_text(candidate: Candidate) -> Text:
    mark = ("likely duplicate", "bold red") if candidate.likely else ("related", "yellow")
    text = Text.assemble((f"{candidate.score:.2f} ", "bold"), (candidate.name, "bold"), "  ", mark, f"  {candidate.path}")
    for reason in candidate.reasons:
        text.append(f"\n     - {reason}", "dim")
    return text


class ConfirmCreateDialog(ModalScreen[bool]):
    """The file and its starter SQL, shown before anything is written: y creates, esc goes back."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ConfirmCreateDialog") + """
    ConfirmCreateDialog > Vertical { width: 90; border: round $primary; }
    ConfirmCreateDialog VerticalScroll { height: auto; max-height: 40vh; border: round $primary 50%; }
    """
    BINDINGS = bindings_for(CREATE_CONFIRM_COMMANDS)
    COMMANDS_LIST = CREATE_CONFIRM_COMMANDS

    def __init__(self, new: NewModel, root: Path, columns_said: str) -> None:
        super().__init__()
        self.new = new
        self.root = root
        self.columns_said = columns_said

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Create this model?"
            where = self.new.relative_to(self.root)
            folder_note = "" if self.new.path.parent.is_dir() else " (its folder is created)"
            said = f"\nStarter columns: {self.columns_said}." if self.columns_said else ""
            yield Static(f"Write {where}{folder_note} and open it in the SQL editor.{said}", classes="dialog-text")
            with VerticalScroll():
                yield Static(Syntax(self.new.sql, "sql+jinja", theme="monokai", background_color="default"))
            with Horizontal():
                yield Static("y: create   esc: back (nothing is written)")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)
