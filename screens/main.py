"""The main screen: the model tree on the left, the selected model's SQL and YAML editors on the right.

This module is the browsing half (scan, tree, filter, selection, files changed outside);
screens/editing.py is the editing half (save, revert, conflicts, find).
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Tab, Tabs, TextArea
from textual.worker import get_current_worker

from screens.editing import EditingMixin
from screens.linting import LintingMixin
from tui.commands import MAIN_COMMANDS, bindings_for
from tui.core.config import WorkbenchConfig
from tui.core.errors import WorkbenchError
from tui.core.inventory import ModelFile, ProjectScan, SchemaIndex
from tui.core.model_buffers import Buffer, open_sql, open_yaml
from tui.core.model_detail import ModelDetail, model_detail, readers_of_source
from tui.core.prefetch import ScanPrefetch
from tui.core.project import DbtProject
from tui.core.scan import ProjectScanner
from tui.core.scan_cache import SchemaCache
from tui.core.watch import ProjectWatcher, SaveEchoes, StopSignal
from tui.widgets.code_editor import CodeEditor
from tui.widgets.editor_pane import EditorPane
from tui.widgets.lint_panel import LintPanel
from tui.widgets.model_summary import ModelSummary
from tui.widgets.model_tree import ModelTree

NARROW_WIDTH = 110


class MainScreen(LintingMixin, EditingMixin, Screen[None]):
    """Browses and edits the project; scans, loads and file watching run in workers."""

    CSS_PATH = "main.tcss"
    AUTO_FOCUS = "#tree"
    BINDINGS = bindings_for(MAIN_COMMANDS)
    COMMANDS_LIST = MAIN_COMMANDS

    class ModelsScanned(Message):
        def __init__(self, scan: ProjectScan) -> None:
            super().__init__()
            self.scan = scan

    class SchemaIndexed(Message):
        def __init__(self, index: SchemaIndex) -> None:
            super().__init__()
            self.index = index

    class ModelLoaded(Message):
        def __init__(self, detail: ModelDetail, sql: Buffer | str, yaml: Buffer | str) -> None:
            super().__init__()
            self.detail = detail
            self.sql = sql
            self.yaml = yaml

    class FilesChanged(Message):
        """Files under the model folders changed on disk (by us or by someone else)."""

        def __init__(self, paths: set[Path]) -> None:
            super().__init__()
            self.paths = paths

    def __init__(self, project: DbtProject, config: WorkbenchConfig, prefetch: ScanPrefetch | None = None) -> None:
        super().__init__()
        self.project = project
        self.config = config
        self.prefetch = prefetch
        self.scanner = ProjectScanner(project, config.layer_rules(), SchemaCache(project.root))
        self.scan: ProjectScan | None = None
        self.schema_ready = False
        self.current_model: ModelFile | None = None
        self.echoes = SaveEchoes()
        self.conflicts_open: set[str] = set()
        self.project_findings: list = []
        self.pending_line: tuple[str, int | None] | None = None
        self.stop_watching = threading.Event()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            with Vertical(id="sidebar"):
                yield Input(placeholder="filter models (fuzzy)", id="filter")
                yield ModelTree(id="tree")
            with Vertical(id="detail"):
                yield ModelSummary("Scanning the project...", id="summary")
                yield Tabs(Tab("SQL", id="tab-sql"), Tab("YAML", id="tab-yaml"), id="pane-tabs")
                with Horizontal(id="panes"):
                    yield EditorPane("SQL", id="sql-pane")
                    yield EditorPane("YAML", id="yaml-pane")
                yield LintPanel(id="lint-panel")
        yield Footer()

    def on_mount(self) -> None:
        tree = self.query_one(ModelTree)
        tree.loading = True
        tree.border_title = self.project.name
        self.scan_project()
        self.watch_files()

    def on_unmount(self) -> None:
        self.stop_watching.set()

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW_WIDTH, "-narrow")

    def panes(self) -> list[EditorPane]:
        return [self.query_one("#sql-pane", EditorPane), self.query_one("#yaml-pane", EditorPane)]

    @work(thread=True, exclusive=True, exit_on_error=False, group="scan")
    def scan_project(self) -> None:
        """Models first, so the tree shows at once; the YAML index starts after it is painted."""
        prefetch, self.prefetch = self.prefetch, None
        scan = prefetch.result() if prefetch is not None else None
        self.post_message(self.ModelsScanned(scan or self.scanner.scan_models()))

    @work(thread=True, exclusive=True, exit_on_error=False, group="scan")
    def index_schema(self) -> None:
        self.post_message(self.SchemaIndexed(self.scanner.index_schema()))

    @work(thread=True, exit_on_error=False, group="watch")
    def watch_files(self) -> None:
        worker = get_current_worker()
        stop = StopSignal(self.stop_watching.is_set, lambda: worker.is_cancelled)
        watcher = ProjectWatcher(self.project.model_dirs())
        watcher.run(lambda paths: self.post_message(self.FilesChanged(paths)), stop)

    def on_main_screen_models_scanned(self, message: ModelsScanned) -> None:
        self.scan = replace(message.scan, schema=self.scan.schema) if self.scan else message.scan
        tree = self.query_one(ModelTree)
        tree.loading = False
        tree.show_scan(self.scan)
        self.call_after_refresh(self.index_schema)
        if not message.scan.models:
            paths = ", ".join(self.project.model_paths)
            self.query_one(ModelSummary).show_text(f"No models yet under {paths}. Add a .sql file there.")

    def on_main_screen_schema_indexed(self, message: SchemaIndexed) -> None:
        if self.scan is None:
            return
        first = not self.schema_ready
        self.scan = replace(self.scan, schema=message.index)
        self.schema_ready = True
        self.query_one(ModelTree).show_scan(self.scan)
        yaml_pane = self.query_one("#yaml-pane", EditorPane)
        if self.current_model is not None and not yaml_pane.dirty:
            self.reload_pane(yaml_pane)
        self.lint_project()
        self.lint_open_model()
        problems = self.scan.all_problems()
        if problems and first:
            self.notify(f"{len(problems)} file problem(s): see Problems in the tree.", severity="warning")

    def on_main_screen_files_changed(self, message: FilesChanged) -> None:
        news = self.echoes.news(message.paths)
        if news:
            self.files_changed(news)
            self.scan_project()

    @on(ModelTree.ModelHighlighted)
    def show_model(self, message: ModelTree.ModelHighlighted) -> None:
        model, scan = message.model, self.scan
        if scan is None or (self.current_model is not None and model.path == self.current_model.path):
            return
        self.confirm_leaving(f"opening {model.name}", lambda: self.load_model(scan, model), self._back_to_current)

    def _back_to_current(self) -> None:
        if self.current_model is not None:
            self.query_one(ModelTree).move_to(self.current_model)

    @work(thread=True, exclusive=True, exit_on_error=False, group="load-model")
    def load_model(self, scan: ProjectScan, model: ModelFile) -> None:
        detail = model_detail(scan, model)
        self.post_message(self.ModelLoaded(detail, self._open_sql(model), self._open_yaml(scan, model)))

    def _open_sql(self, model: ModelFile) -> Buffer | str:
        try:
            return open_sql(self.project.root, model)
        except WorkbenchError as error:
            return str(error)

    def _open_yaml(self, scan: ProjectScan, model: ModelFile) -> Buffer | str:
        if not scan.schema.complete:
            return "Reading the schema YAML files..."
        try:
            return open_yaml(self.project.root, model, scan.entry_for(model.name), self.config.new_entry_file)
        except WorkbenchError as error:
            return str(error)

    def on_main_screen_model_loaded(self, message: ModelLoaded) -> None:
        detail = message.detail
        if not self.query_one(ModelTree).is_current(detail.model):
            return  # a slower load for a model the cursor has already left
        self.current_model = detail.model
        self.query_one(ModelSummary).show_model(detail)
        for pane, content in zip(self.panes(), (message.sql, message.yaml)):
            pane.show(content) if isinstance(content, Buffer) else pane.show_message(content)
        if not isinstance(message.yaml, Buffer) and self.schema_ready:
            self.reload_pane(self.query_one("#yaml-pane", EditorPane))  # the index arrived meanwhile
        self.lint_open_model()
        if self.pending_line is not None:
            path, line = self.pending_line
            self.pending_line = None
            self.show_finding_line(path, line)

    def reload_pane(self, pane: EditorPane) -> None:
        """Reopen one pane from disk for the current model (its edits, if any, are dropped)."""
        model, scan = self.current_model, self.scan
        if model is None or scan is None:
            return
        is_sql = pane.id == "sql-pane"
        content = self._open_sql(model) if is_sql else self._open_yaml(scan, model)
        pane.show(content) if isinstance(content, Buffer) else pane.show_message(content)

    @on(ModelTree.SourceHighlighted)
    def show_source(self, message: ModelTree.SourceHighlighted) -> None:
        source = message.source
        readers = readers_of_source(self.scan, source.source_name, source.table_name) if self.scan else ()
        self.query_one(ModelSummary).show_source(source, readers)
        self._show_in_panes(
            "Sources are tables loaded outside dbt; models read them with source().",
            f"Declared in {source.path} at line {source.line}.",
        )

    @on(ModelTree.ProblemHighlighted)
    def show_problem(self, message: ModelTree.ProblemHighlighted) -> None:
        self.query_one(ModelSummary).show_problem(message.problem)

    def _show_in_panes(self, sql_message: str, yaml_message: str) -> None:
        """Messages replace the panes only when no edits would be lost."""
        if self.unsaved_panes():
            return
        self.current_model = None
        sql_pane, yaml_pane = self.panes()
        sql_pane.show_message(sql_message)
        yaml_pane.show_message(yaml_message)

    @on(CodeEditor.LeaveRequested)
    def leave_editor(self) -> None:
        self.query_one(ModelTree).focus()

    @on(Input.Changed, "#filter")
    def filter_tree(self, event: Input.Changed) -> None:
        self.query_one(ModelTree).filter_query = event.value.strip()

    @on(Input.Submitted, "#filter")
    def leave_filter(self) -> None:
        self.query_one(ModelTree).focus()

    @on(Tabs.TabActivated, "#pane-tabs")
    def pick_pane(self, event: Tabs.TabActivated) -> None:
        self.set_class(event.tab.id == "tab-yaml", "-show-yaml")

    def action_filter(self) -> None:
        if isinstance(self.focused, (Input, TextArea)):
            raise SkipAction()  # typing "/" into a text field stays typing
        box = self.query_one("#filter", Input)
        box.display = True
        self.set_focus(box)  # at once: keys typed right after "/" must land in the box

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if self.focused is box or not isinstance(self.focused, TextArea):
            box.value = ""
            box.display = False
        self.query_one(ModelTree).focus()

    def action_switch_pane(self) -> None:
        tabs = self.query_one("#pane-tabs", Tabs)
        tabs.active = "tab-sql" if tabs.active == "tab-yaml" else "tab-yaml"

    def action_focus_tree(self) -> None:
        self.query_one(ModelTree).focus()

    def action_rescan(self) -> None:
        self.notify("Reading the project again...")
        self.scan_project()

    def ask_before_quitting(self) -> None:
        self.confirm_leaving("quitting", self.app.exit, lambda: None)
