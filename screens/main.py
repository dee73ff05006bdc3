"""The main screen: the model tree on the left, the selected model's SQL and YAML on the right."""

from __future__ import annotations

from dataclasses import replace

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.actions import SkipAction
from textual.widgets import Footer, Header, Input, Static, Tab, Tabs, TextArea

from tui.commands import MAIN_COMMANDS, bindings_for
from tui.core.config import WorkbenchConfig
from tui.core.inventory import ModelFile, ProjectScan, SchemaIndex
from tui.core.model_detail import ModelDetail, load_model_detail, readers_of_source
from tui.core.prefetch import ScanPrefetch
from tui.core.project import DbtProject
from tui.core.scan import ProjectScanner
from tui.core.scan_cache import SchemaCache
from tui.widgets.code_view import CodeView
from tui.widgets.model_summary import ModelSummary
from tui.widgets.model_tree import ModelTree

NARROW_WIDTH = 110


class MainScreen(Screen[None]):
    """Browses the project; scanning and file reads run in workers that post messages back."""

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
        def __init__(self, detail: ModelDetail) -> None:
            super().__init__()
            self.detail = detail

    def __init__(self, project: DbtProject, config: WorkbenchConfig, prefetch: ScanPrefetch | None = None) -> None:
        super().__init__()
        self.project = project
        self.prefetch = prefetch
        self.scanner = ProjectScanner(project, config.layer_rules(), SchemaCache(project.root))
        self.scan: ProjectScan | None = None

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
                    with Vertical(id="sql-pane"):
                        yield Static("SQL", id="sql-title", classes="pane-title")
                        yield CodeView(id="sql")
                    with Vertical(id="yaml-pane"):
                        yield Static("YAML", id="yaml-title", classes="pane-title")
                        yield CodeView(id="yaml")
        yield Footer()

    def on_mount(self) -> None:
        tree = self.query_one(ModelTree)
        tree.loading = True
        tree.border_title = self.project.name
        self.scan_project()

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW_WIDTH, "-narrow")

    @work(thread=True, exclusive=True, exit_on_error=False, group="scan")
    def scan_project(self) -> None:
        """Models first, so the tree shows at once; the YAML index starts after it is painted."""
        prefetch, self.prefetch = self.prefetch, None
        scan = prefetch.result() if prefetch is not None else None
        self.post_message(self.ModelsScanned(scan or self.scanner.scan_models()))

    @work(thread=True, exclusive=True, exit_on_error=False, group="scan")
    def index_schema(self) -> None:
        self.post_message(self.SchemaIndexed(self.scanner.index_schema()))

    def on_main_screen_models_scanned(self, message: ModelsScanned) -> None:
        self.scan = message.scan
        tree = self.query_one(ModelTree)
        tree.loading = False
        tree.show_scan(message.scan)
        self.call_after_refresh(self.index_schema)
        if not message.scan.models:
            paths = ", ".join(self.project.model_paths)
            self.query_one(ModelSummary).show_text(f"No models yet under {paths}. Add a .sql file there.")

    def on_main_screen_schema_indexed(self, message: SchemaIndexed) -> None:
        if self.scan is None:
            return
        self.scan = replace(self.scan, schema=message.index)
        self.query_one(ModelTree).show_scan(self.scan)
        problems = self.scan.all_problems()
        if problems:
            self.notify(f"{len(problems)} file problem(s): see Problems in the tree.", severity="warning")

    @on(ModelTree.ModelHighlighted)
    def show_model(self, message: ModelTree.ModelHighlighted) -> None:
        if self.scan is not None:
            self.load_model(self.scan, message.model)

    @work(thread=True, exclusive=True, exit_on_error=False, group="load-model")
    def load_model(self, scan: ProjectScan, model: ModelFile) -> None:
        self.post_message(self.ModelLoaded(load_model_detail(self.project.root, scan, model)))

    def on_main_screen_model_loaded(self, message: ModelLoaded) -> None:
        detail = message.detail
        if not self.query_one(ModelTree).is_current(detail.model):
            return  # a slower load for a model the cursor has already left
        self.query_one(ModelSummary).show_model(detail)
        sql_view = self.query_one("#sql", CodeView)
        lexer = "sql+jinja" if detail.model.language == "sql" else "python"
        sql_view.show_code(detail.sql, lexer)
        title = detail.model.path + (f"  ! {detail.sql_problem}" if detail.sql_problem else "")
        self.query_one("#sql-title", Static).update(title)
        yaml_view = self.query_one("#yaml", CodeView)
        self.query_one("#yaml-title", Static).update(detail.entry_note if detail.entry else "YAML")
        if detail.entry is not None:
            yaml_view.show_code(detail.entry.text, "yaml", detail.entry.first_line)
        else:
            yaml_view.show_message(detail.entry_note)

    @on(ModelTree.SourceHighlighted)
    def show_source(self, message: ModelTree.SourceHighlighted) -> None:
        source = message.source
        readers = readers_of_source(self.scan, source.source_name, source.table_name) if self.scan else ()
        self.query_one(ModelSummary).show_source(source, readers)
        self.query_one("#sql", CodeView).show_message("Sources are tables loaded outside dbt; models read them with source().")
        self.query_one("#yaml", CodeView).show_message(f"Declared in {source.path} at line {source.line}.")

    @on(ModelTree.ProblemHighlighted)
    def show_problem(self, message: ModelTree.ProblemHighlighted) -> None:
        self.query_one(ModelSummary).show_problem(message.problem)

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
