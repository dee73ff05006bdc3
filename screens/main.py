"""The main screen: the model tree on the left; the open model's summary, editors and lint on the right.

The screen composes panels that own their state (tui/widgets) and routes their messages. What is
truly screen-wide stays here: the project's scan (bound down to every panel; ProjectFiles reads,
indexes and watches the files), the dialogs and screens it opens, and the rule that unsaved
edits are never dropped without asking.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, TextArea

from screens.destination import Destination
from screens.dialogs import ConflictDialog, PromptDialog, UnsavedDialog
from screens.followers import JobFollower, ScanFollower
from screens.layers import LayerMappingScreen, layer_offer, layers_fit, save_mapping
from screens.dupes_report import DupesReportScreen
from screens.find_data import FindDataScreen
from screens.jobs import JobsScreen, job_news
from screens.lint import LintScreen, lint_screen_contents
from screens.preview import PreviewScreen
from screens.recovery import RecoveryOffer
from screens.model_commands import ModelCommands
from screens.new_model import DRAFT as NEW_MODEL_DRAFT, NewModelScreen
from screens.review import ReviewScreen
from screens.search import SearchScreen
from screens.suggest_tests import SuggestTestsScreen
from tui.bindings import bindings_for
from tui.core.commands import APP_COMMANDS, MAIN_COMMANDS
from tui.core.config import WorkbenchConfig
from tui.core.discover.grep import ModelSearch
from tui.core.jobs.queue import JobState
from tui.core.lint.child import ProjectLinter, lint_project_in_child
from tui.core.lint.rules import Finding, Severity
from tui.core.project.dbt_project import DbtProject
from tui.core.project.layer_suggestion import MappingRow, suggest_layers
from tui.core.project.layers import Layer
from tui.core.project.records import ModelFile, ProjectScan
from tui.core.scan.prefetch import ScanPrefetch
from tui.widgets.discover.similar import SimilarPanel
from tui.widgets.editor.area import EditorArea
from tui.widgets.editor.code_editor import CodeEditor
from tui.widgets.jobs.runner import JobRunner
from tui.widgets.project_files import ProjectFiles
from tui.widgets.lint.panel import LintPanel, ProjectLintState, worst_by_model
from tui.widgets.summary import ModelSummary, pick_a_model
from tui.widgets.tree.model_tree import ModelTree
from tui.widgets.tree.panel import TreePanel
from tui.widgets.workflow.assist import StepAssist
from tui.widgets.workflow.tracker import StepTracker
from tui.widgets.workspace import ModelWorkspace
from tui.core.workflow.steps import Step

NARROW_WIDTH = 110
SHORT_HEIGHT = 25
"""Under 25 rows (80x24 too) the editors keep their lines: the summary, lint and similar panels shrink."""


class MainScreen(Screen[None]):
    """Browses and edits the project; scanning and watching run in workers."""

    CSS_PATH = "main.tcss"
    AUTO_FOCUS = "#tree"
    BINDINGS = [*bindings_for(APP_COMMANDS, qualified=True), *bindings_for(MAIN_COMMANDS)]
    COMMANDS_LIST = MAIN_COMMANDS
    COMMANDS = {ModelCommands}
    """The command palette also jumps to any model by name."""

    scan: reactive[ProjectScan | None] = reactive(None, always_update=True, init=False)
    lint_marks: reactive[dict[str, Severity]] = reactive(dict, always_update=True, init=False)

    def __init__(
        self,
        project: DbtProject,
        config: WorkbenchConfig,
        prefetch: ScanPrefetch | None = None,
        project_linter: ProjectLinter = lint_project_in_child,
        warm_jobs: bool = True,
    ) -> None:
        super().__init__()
        self.project = project
        self.config = config
        self.project_linter = project_linter
        self.files = ProjectFiles(project, config.layer_rules(), prefetch)
        self.jobs = JobRunner(project, lambda name: self.scan is not None and self.scan.model_named(name) is not None, warm=warm_jobs)
        self.open_model: ModelFile | None = None
        self.pending_line: tuple[str, int | None] | None = None
        self.pending_open: str | None = None
        """A model file just created: opened when the scan that finds it arrives."""
        self.problems_told = False
        self.layers_offered = False
        self.recovery = RecoveryOffer(self)

    def compose(self) -> ComposeResult:
        yield self.files
        yield self.jobs
        yield Header()
        with Horizontal(id="body"):
            yield TreePanel(self.project.name, id="sidebar").data_bind(MainScreen.scan, MainScreen.lint_marks)
            yield ModelWorkspace(
                self.project, self.config, self.project_linter, self.files.echoes, self.jobs.compile, self._key_for, id="detail"
            ).data_bind(MainScreen.scan)
        yield Footer()

    @property
    def workspace(self) -> ModelWorkspace:
        return self.query_one(ModelWorkspace)

    @property
    def tree_panel(self) -> TreePanel:
        return self.query_one(TreePanel)

    @property
    def editors(self) -> EditorArea:
        return self.workspace.editors

    @property
    def summary(self) -> ModelSummary:
        return self.workspace.summary

    @property
    def tracker(self) -> StepTracker:
        return self.workspace.tracker

    @property
    def lint_panel(self) -> LintPanel:
        return self.workspace.lint_panel

    @property
    def similar(self) -> SimilarPanel:
        return self.workspace.similar

    def _key_for(self, command_id: str) -> str:
        """The key the user has for a command now (their keymap counts), as the footer shows it."""
        action = next(c.action_name for c in MAIN_COMMANDS if c.id == command_id)
        key = self.config.keys.get(command_id, next(c.keys for c in MAIN_COMMANDS if c.id == command_id)).split(",")[0]
        return self.app.get_key_display(Binding(key.strip(), action))

    # --- the project's files ------------------------------------------------------------------

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW_WIDTH, "-narrow")
        self.set_class(self.size.height < SHORT_HEIGHT, "-short")

    def scan_project(self) -> None:
        self.files.scan_project()

    @on(ProjectFiles.ModelsScanned)
    def models_scanned(self, message: ProjectFiles.ModelsScanned) -> None:
        self.scan = replace(message.scan, schema=self.scan.schema) if self.scan else message.scan
        self.call_after_refresh(lambda: self.files.index_schema(self.scan))
        if not message.scan.models:
            paths = ", ".join(self.project.model_paths)
            self.summary.subject = f"No models yet under {paths}. Add a .sql file there."
        elif self.open_model is None and isinstance(self.summary.subject, str):
            self.summary.subject = pick_a_model(message.scan)
        if self.pending_open is not None:
            created = next((m for m in message.scan.models if m.path == self.pending_open), None)
            if created is not None:
                self.pending_open = None
                self.tracker.start(created)  # a model made with the wizard starts in the workflow
                self._show_model_line(created, created.path, None)
        self._offer_layer_mapping()

    def _offer_layer_mapping(self) -> None:
        """Once a session: tell the user when the layers do not fit the project, and the key."""
        if self.layers_offered or self.scan is None:
            return
        key = self.app.get_key_display(Binding(self.config.keys.get("layer_mapping", "m"), "layer_mapping"))
        offer = layer_offer(self.scan.models, key)
        if offer is not None:
            self.layers_offered = True
            self.notify(offer, title="Layers", timeout=12)

    def watch_scan(self, scan: ProjectScan | None) -> None:
        """Screens open over this one (the wizard, find data) follow the project as it changes."""
        if scan is None:
            return
        for screen in self.app.screen_stack:
            if isinstance(screen, ScanFollower):
                screen.follow_scan(scan)

    @on(ProjectFiles.ModelsRendered)
    def models_rendered(self, message: ProjectFiles.ModelsRendered) -> None:
        if self.scan is not None:
            self.scan = replace(self.scan, models=message.scan.models, pending_renders=())

    @on(ProjectFiles.SchemaIndexed)
    def schema_indexed(self, message: ProjectFiles.SchemaIndexed) -> None:
        if self.scan is None:
            return
        self.scan = replace(self.scan, schema=message.index)
        self.recovery.offer()  # once: edits kept when the terminal went away
        problems = self.scan.all_problems()
        if problems and not self.problems_told:
            self.problems_told = True
            self.notify(f"{len(problems)} file problem(s): see Problems in the tree.", severity="warning")

    @on(ProjectFiles.FilesChanged)
    def files_changed(self, message: ProjectFiles.FilesChanged) -> None:
        self.editors.files_changed(message.paths)
        self.scan_project()

    # --- what the tree's cursor is on ---------------------------------------------------------

    @on(ModelTree.ModelHighlighted)
    def model_highlighted(self, message: ModelTree.ModelHighlighted) -> None:
        model = message.model
        if self.scan is None or model.path == self.editors.wanted_path:
            return
        self.confirm_leaving(f"opening {model.name}", lambda: self.editors.open_model(model), self._back_to_open_model)

    def _back_to_open_model(self) -> None:
        if self.open_model is not None:
            self.tree_panel.move_to(self.open_model)

    @on(EditorArea.ModelOpened)
    def model_opened(self, message: EditorArea.ModelOpened) -> None:
        self.open_model = message.model
        self.recovery.model_opened(message.model)
        if self.pending_line is not None:
            path, line = self.pending_line
            self.pending_line = None
            self.editors.show_line(path, line)

    @on(ModelTree.SourceHighlighted)
    def source_highlighted(self, message: ModelTree.SourceHighlighted) -> None:
        source = message.source
        self.summary.subject = source
        self._show_in_panes(
            "Sources are tables loaded outside dbt; models read them with source().",
            f"Declared in {source.path} at line {source.line}.",
        )

    @on(ModelTree.ProblemHighlighted)
    def problem_highlighted(self, message: ModelTree.ProblemHighlighted) -> None:
        self.summary.subject = message.problem

    def _show_in_panes(self, sql_message: str, yaml_message: str) -> None:
        """Messages replace the panes only when no edits would be lost."""
        if self.workspace.show_messages(sql_message, yaml_message):
            self.open_model = None

    # --- editing ------------------------------------------------------------------------------

    @on(SimilarPanel.CandidateChosen)
    def similar_chosen(self, message: SimilarPanel.CandidateChosen) -> None:
        self.go(Destination(message.path))

    @on(EditorArea.Saved)
    def saved(self) -> None:
        self.scan_project()  # markers, lineage and lint follow the saved files

    @on(EditorArea.ConflictFound)
    def conflict_found(self, message: EditorArea.ConflictFound) -> None:
        dialog = ConflictDialog(message.file_name, message.disk_text, message.buffer_text)
        self.app.push_screen(dialog, lambda choice: self.editors.resolve_conflict(message.pane_id, choice))

    def confirm_leaving(self, leaving_to: str, proceed: Callable[[], None], stay: Callable[[], None]) -> None:
        """Ask about unsaved edits before `proceed`; `stay` runs when the user cancels."""
        names = self.editors.unsaved_names()
        if not names:
            proceed()
            return

        def decide(choice: str | None) -> None:
            if choice == "discard" or (choice == "save" and self.editors.save_all()):
                proceed()
            else:
                stay()

        self.app.push_screen(UnsavedDialog(names, leaving_to), decide)

    def quit_when_safe(self) -> None:
        self.confirm_leaving("quitting", self.app.exit, lambda: None)

    @on(CodeEditor.LeaveRequested)
    def leave_editor(self) -> None:
        self.tree_panel.tree.focus()

    # --- dbt jobs -----------------------------------------------------------------------------

    @on(JobRunner.Changed)
    def job_changed(self, message: JobRunner.Changed) -> None:
        job = message.job
        for screen in self.app.screen_stack:
            if isinstance(screen, JobFollower):
                screen.follow_job(job)
        self.tracker.job_changed(job)
        self.workspace.assist.job_changed(job)
        if job.finished and not isinstance(self.app.screen, JobFollower):
            self.notify(job_news(job), title="dbt", severity="information" if job.state is JobState.PASSED else "warning")

    def action_run_model(self) -> None:
        self._not_in_text_field()
        if self.open_model is None:
            self.notify("Open a model first (the tree's cursor on it): x runs and tests that model.")
            return
        refusal = self.tracker.run_refusal()
        if refusal:
            self.notify(f"{self.open_model.name} is in the workflow: {refusal}.", title="Not run", severity="warning")
            return
        self.tracker.ran(self.jobs.run_and_test(self.open_model.name))
        self.notify(f"dbt run, then test, of {self.open_model.name}: j shows the progress.", title="dbt")

    def action_copy_name(self) -> None:
        if self.open_model is None:
            self.notify("No model is open: nothing to copy.", severity="warning")
            return
        self.app.copy_text(self.open_model.name, f"the name {self.open_model.name}")

    def action_jobs(self) -> None:
        self._not_in_text_field()
        self.app.push_screen(JobsScreen(self.jobs.queue, self.jobs.cancel), self.go)

    def action_preview(self) -> None:
        self._not_in_text_field()
        if self.open_model is None:
            self.notify("Open a model first: p previews that model.")
            return
        self.app.push_screen(PreviewScreen(self.project, self.open_model.name, self.jobs.compile))

    def action_cancel_job(self) -> None:
        touched = self.jobs.cancel()
        self.notify(f"Cancelling {len(touched)} job(s)." if touched else "No job is running or waiting.", title="dbt")

    # --- the four-step workflow ---------------------------------------------------------------

    def action_start_change(self) -> None:
        self._not_in_text_field()
        self.notify(self.tracker.start(), title="Workflow")

    def action_review_step(self) -> None:
        self._not_in_text_field()
        model, flow = self.open_model, self.tracker.flow_now()
        if model is None or flow is None or self.scan is None:
            self.notify("Open a model first: its current workflow step is reviewed.")
        elif not flow.managed:
            self.notify(f"{model.name} is not in the workflow: {self._key_for('start_change')} starts a change on it.", title="Workflow")
        elif flow.current is None:
            self.notify(f"Every step of {model.name} is approved, and its run passed.", title="Workflow")
        elif flow.current.step is Step.RUN:
            self.action_run_model()
        elif self.editors.unsaved_panes():
            self.notify("Save first (ctrl+o): a step approves the files as they are on disk.", title="Workflow", severity="warning")
        else:
            lint = lambda text: self.lint_panel.lint_now(model, text)  # noqa: E731
            review = ReviewScreen(self.tracker.store, self.scan, model, flow, flow.current, lint, self.similar.candidates, self.jobs.compile)
            self.app.push_screen(review, self._reviewed)

    def _reviewed(self, said: str | None) -> None:
        if said:
            self.notify(said, title="Workflow")
        self.tracker.reread()

    def action_docs_scaffold(self) -> None:
        self._not_in_text_field()
        refusal = self.workspace.proposal_refusal(self.open_model, Step.DOCS)
        if refusal:
            self.notify(refusal, title="Docs scaffold", severity="warning")
            return
        self.workspace.assist.draft_docs(self.open_model, self.scan)
        self.notify(f"Reading the columns of {self.open_model.name} (a dbt compile, then the warehouse)...", title="Docs scaffold")

    def action_suggest_tests(self) -> None:
        self._not_in_text_field()
        refusal = self.workspace.proposal_refusal(self.open_model, Step.TESTS)
        if refusal:
            self.notify(refusal, title="Suggest tests", severity="warning")
            return
        self.workspace.assist.propose_tests(self.open_model, self.scan)
        self.notify(f"Profiling the data of {self.open_model.name} (a dbt compile, then one read-only query)...", title="Suggest tests")

    @on(StepAssist.TestsProposed)
    def tests_proposed(self, message: StepAssist.TestsProposed) -> None:
        if message.suggestions is None:
            self.notify(f"No suggestions: {message.problem}", title="Suggest tests", severity="error", timeout=10)
        elif not message.suggestions:
            self.notify(f"The data of {message.model.name} supports no test the entry lacks.", title="Suggest tests")
        else:
            picker = SuggestTestsScreen(message.model.name, message.suggestions)
            self.app.push_screen(picker, lambda chosen: self.workspace.add_tests(message.model, chosen))

    # --- lint ---------------------------------------------------------------------------------

    @on(LintPanel.ProjectLinted)
    def project_linted(self, message: LintPanel.ProjectLinted) -> None:
        if isinstance(self.app.screen, LintScreen):
            self.app.screen.show(*self._lint_screen_contents())
        if message.findings is None:
            self.notify(message.problem or "Lint failed.", title="Lint", severity="error")
            return
        self.lint_marks = worst_by_model(message.findings)

    @on(LintPanel.FindingChosen)
    def finding_chosen(self, message: LintPanel.FindingChosen) -> None:
        self.editors.show_line(message.finding.path, message.finding.line)

    def _open_finding(self, finding: Finding | None) -> None:
        if finding is None or self.scan is None:
            return
        model = self.scan.model_named(finding.model)
        if model is not None:
            self._show_model_line(model, finding.path, finding.line)

    def _show_model_line(self, model: ModelFile, path: str, line: int | None) -> None:
        """Open the model (if it is not open) and put the cursor on a line of its SQL or YAML file."""
        if self.open_model is not None and model.path == self.open_model.path:
            self.editors.show_line(path, line)
        else:
            self.pending_line = (path, line)
            self.jump_to_model(model)

    def go(self, to: Destination | None) -> None:
        """Where a screen sent the user: the wizard, a new file, a model, a line of one."""
        if to is None or self.scan is None:
            return
        if to.wizard is not None:
            self.action_new_model(to.wizard, to.source)
        elif to.created:
            self.pending_open = to.path
            self.scan_project()
        elif (model := self._model_at(to)) is None:
            self.notify(f"{to.path}:{to.line} is in no model's file or entry: no model to open.")
        elif to.edit or to.line is not None:
            self._show_model_line(model, to.path if to.line is not None else model.path, to.line)
        else:
            self.jump_to_model(model)

    def _model_at(self, to: Destination) -> ModelFile | None:
        if to.model:
            return self.scan.model_named(to.model)
        return next((m for m in self.scan.models if m.path == to.path), None)

    def jump_to_model(self, model: ModelFile) -> None:
        """Move the tree to the model (the tree's cursor opens it; a filter hiding it is cleared)."""
        self.tree_panel.move_to(model)

    # --- actions (keys and command palette: tui.core.commands.MAIN_COMMANDS) -------------------

    def _not_in_text_field(self) -> None:
        """A letter key typed into a text field stays typing."""
        if isinstance(self.focused, (Input, TextArea)):
            raise SkipAction()

    def action_filter(self) -> None:
        self._not_in_text_field()
        self.tree_panel.open_filter()

    def action_clear_filter(self) -> None:
        if isinstance(self.focused, TextArea):
            self.tree_panel.tree.focus()
        else:
            self.tree_panel.clear_filter()

    def action_switch_pane(self) -> None:
        self.editors.switch_tab()

    def action_focus_tree(self) -> None:
        self.tree_panel.tree.focus()

    def action_focus_lint(self) -> None:
        self._not_in_text_field()
        self.lint_panel.focus()

    def action_focus_similar(self) -> None:
        self._not_in_text_field()
        if self.similar.candidates:
            self.similar.focus()
        else:
            self.notify("No existing model looks like this one.")

    def action_rescan(self) -> None:
        self.notify("Reading the project again...")
        self.scan_project()

    def action_lint(self) -> None:
        self.app.push_screen(LintScreen(*self._lint_screen_contents()), self._open_finding)

    def _lint_screen_contents(self) -> tuple[list[Finding], str, str]:
        panel = self.lint_panel
        return lint_screen_contents(panel.project_findings, panel.project_state, panel.project_problem, self.project.name)

    def action_search(self) -> None:
        self._not_in_text_field()
        if self.scan is not None:
            self.app.push_screen(SearchScreen(ModelSearch(self.project.root, self.scan)), self.go)

    def action_layer_mapping(self) -> None:
        if self.scan is None:
            return
        suggestion = suggest_layers(self.scan.models)
        if suggestion is None:
            self.notify(layers_fit(self.scan.models))
            return
        screen = LayerMappingScreen(suggestion, list(self.scan.models), self.config.layer_rules())
        self.app.push_screen(screen, self._save_layer_mapping)

    def _save_layer_mapping(self, rows: list[MappingRow] | None) -> None:
        config, message = save_mapping(rows, self.project.root)
        if config is None:
            if message:
                self.notify(message, title="Layers", severity="error" if rows else "information", timeout=10)
            return
        self.config = config
        self.files.use_rules(config.layer_rules())
        self.lint_panel.settings = config.lint_settings()
        self.similar.use_rules(config.layer_rules())
        self.notify(message)
        self.scan_project()

    def action_new_model(self, layer: Layer | None = None, source: str | None = None) -> None:
        """The wizard; opened by key (no layer given) it comes back as Esc left it."""
        if self.scan is None:
            return
        name = ""
        if layer is None:
            layer, name, source = self.app.drafts.get(NEW_MODEL_DRAFT) or (Layer.STAGING, "", None)
        screen = NewModelScreen(self.project, self.scan, self.config.layer_rules(), layer, source, self.similar.index_of(self.scan), name)
        self.app.push_screen(screen, self.go)

    def action_dupes_report(self) -> None:
        if self.scan is None:
            return
        index = self.similar.index_of(self.scan)
        self.app.push_screen(DupesReportScreen(self.project, self.scan, self.config.layer_rules(), index), self.go)

    def action_find_data(self) -> None:
        if self.scan is not None:
            self.app.push_screen(FindDataScreen(self.project, self.scan), self.go)

    def action_edit_sql(self) -> None:
        self._not_in_text_field()
        self.editors.focus_pane("sql")

    def action_edit_yaml(self) -> None:
        self._not_in_text_field()
        self.editors.focus_pane("yaml")

    def action_save(self) -> None:
        self.editors.save_all()

    def action_revert(self) -> None:
        self.editors.revert()

    def action_goto_line(self) -> None:
        pane = self.editors.focused_pane()

        def go(answer: str | None) -> None:
            if answer and answer.isdigit():
                self.editors.go_to_line(int(answer), pane)

        self.app.push_screen(PromptDialog("Go to line", "Line number:", digits_only=True), go)

    def action_find(self) -> None:
        pane = self.editors.focused_pane()

        def find(answer: str | None) -> None:
            if answer:
                self.editors.find(answer, pane)

        self.app.push_screen(PromptDialog("Find", "Text to find (f3: next):", self.editors.last_search), find)

    def action_find_next(self) -> None:
        self.editors.find_next()

