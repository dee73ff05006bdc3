"""The open model's side of the main screen: what it is, its workflow steps, its SQL and YAML,
its findings and the models like it.

The workspace composes those panels and routes what passes between them: typed SQL goes to the
lint and the finder, the workflow's locks go to the editors (and guard their saves), a docs
scaffold lands in the YAML pane. What needs a screen (a review, the suggestions to pick from, a
dialog) goes on up to the screen as the panels' own messages. `scan` is bound by the screen.
"""

from __future__ import annotations

from typing import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive

from tui.core.buffers import Buffer, PaneKind
from tui.core.config import WorkbenchConfig
from tui.core.jobs.queue import Job
from tui.core.lint.child import ProjectLinter
from tui.core.project.dbt_project import DbtProject
from tui.core.project.records import ModelFile, ProjectScan
from tui.core.scan.watch import SaveEchoes
from tui.core.workflow.artifacts import entry_data_of
from tui.core.workflow.entry_writer import entry_text_of
from tui.core.workflow.locks import save_refusal, yaml_lock
from tui.core.workflow.steps import Step
from tui.core.workflow.suggest import Suggestion, with_tests
from tui.widgets.discover.similar import SimilarPanel
from tui.widgets.editor.area import EditorArea
from tui.widgets.lint.panel import LintPanel
from tui.widgets.summary import ModelSummary
from tui.widgets.workflow.assist import StepAssist
from tui.widgets.workflow.tracker import StepTracker


class ModelWorkspace(Vertical):
    scan: reactive[ProjectScan | None] = reactive(None, always_update=True, init=False)

    def __init__(
        self, project: DbtProject, config: WorkbenchConfig, project_linter: ProjectLinter, echoes: SaveEchoes,
        compile_model: Callable[[str], Job], key_for: Callable[[str], str], *, id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.project = project
        self.config = config
        self.project_linter = project_linter
        self.echoes = echoes
        self.key_for = key_for
        self.assist = StepAssist(project, compile_model)

    def compose(self) -> ComposeResult:
        yield self.assist
        yield ModelSummary(id="summary").data_bind(ModelWorkspace.scan)
        yield StepTracker(self.project.root, self.key_for, id="tracker").data_bind(ModelWorkspace.scan)
        yield EditorArea(self.project.root, self.config.new_entry_file, self.echoes, id="editors").data_bind(ModelWorkspace.scan)
        yield LintPanel(self.project, self.config.lint_settings(), self.project_linter, id="lint-panel").data_bind(ModelWorkspace.scan)
        yield SimilarPanel(self.project, self.config.layer_rules(), id="similar").data_bind(ModelWorkspace.scan)

    def on_mount(self) -> None:
        self.editors.save_guard = self._save_refusal

    @property
    def summary(self) -> ModelSummary:
        return self.query_one(ModelSummary)

    @property
    def tracker(self) -> StepTracker:
        return self.query_one(StepTracker)

    @property
    def editors(self) -> EditorArea:
        return self.query_one(EditorArea)

    @property
    def lint_panel(self) -> LintPanel:
        return self.query_one(LintPanel)

    @property
    def similar(self) -> SimilarPanel:
        return self.query_one(SimilarPanel)

    # --- what is open ---------------------------------------------------------------------------

    @on(EditorArea.ModelOpened)
    def _model_opened(self, message: EditorArea.ModelOpened) -> None:
        """The summary and the tracker follow the model in the panes (the screen hears it too)."""
        self.summary.subject = message.model
        self.tracker.follow(message.model)

    def show_messages(self, sql_message: str, yaml_message: str) -> bool:
        """Nothing to edit (a source, a problem): say so in the panes, only when no edit would be
        lost; True when shown."""
        if self.editors.unsaved_panes():
            return False
        self.tracker.follow(None)
        self.editors.show_messages(sql_message, yaml_message)
        self.lint_panel.forget_model()
        self.similar.forget_model()
        return True

    @on(EditorArea.SqlChanged)
    def _sql_changed(self, message: EditorArea.SqlChanged) -> None:
        self.lint_panel.lint_text(message.model, message.text)
        self.similar.sql_changed(message.model, message.text)

    # --- the workflow's locks and proposals -------------------------------------------------------

    @on(StepTracker.FlowRead)
    def _flow_read(self, message: StepTracker.FlowRead) -> None:
        self.editors.yaml_pane.set_lock(yaml_lock(message.flow))

    def _save_refusal(self, buffer: Buffer, text: str) -> str | None:
        return save_refusal(self.project.root, self.tracker.flow_now(), buffer, text, self.tracker.flow_of_model)

    def proposal_refusal(self, model: ModelFile | None, step: Step) -> str | None:
        """Why a scaffold (step 2) or suggestions (step 3) cannot go into the YAML pane now."""
        if model is None or self.scan is None:
            return "Open a model first."
        flow = self.tracker.flow_now()
        locked = flow.locked_reason(step) if flow is not None else None
        if locked:
            return f"The {step.title.lower()} of {model.name} are locked: {locked}."
        buffer = self.editors.yaml_pane.buffer
        if buffer is None or buffer.kind not in (PaneKind.ENTRY, PaneKind.NEW_ENTRY):
            return "The YAML pane shows no entry of this model to fill (see the pane's message): nothing is proposed."
        if self.editors.yaml_pane.dirty:
            return "Save (ctrl+o) or revert (ctrl+r) the YAML first: what is proposed goes into the YAML pane."
        return "Already preparing a proposal: wait for it." if self.assist.busy else None

    @on(StepAssist.EntryDrafted)
    def _entry_drafted(self, message: StepAssist.EntryDrafted) -> None:
        message.stop()
        if message.scaffold is None:
            self.notify(f"No scaffold: {message.problem}", title="Docs scaffold", severity="error", timeout=10)
        elif not (message.scaffold.added or message.scaffold.inherited):
            said = " ".join(message.scaffold.notes[1:])
            self.notify(f"The entry lists every column the model outputs; nothing to add, the YAML is left as it is. {said}", title="Docs scaffold")
        elif self.editors.propose_yaml(message.model, message.scaffold.text):
            self.notify(" ".join(message.scaffold.notes) + " Edit it, save (ctrl+o), then approve (a).", title="Docs scaffold", timeout=10)

    def add_tests(self, model: ModelFile, chosen: list[Suggestion] | None) -> None:
        """The tests the user kept, added to the entry in the YAML pane (not saved)."""
        if not chosen:
            return
        entry = entry_data_of(self.editors.yaml_pane.text) or {"name": model.name}
        if self.editors.propose_yaml(model, entry_text_of(with_tests(entry, chosen))):
            self.notify(f"{len(chosen)} test(s) added to the entry. Save (ctrl+o), then approve (a).", title="Suggest tests")
