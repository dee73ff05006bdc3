"""The left-hand panel: the filter box over the model tree.

It owns the filter (shown on demand, typed into, cleared) and passes the scan and the lint marks
down to the tree; what the cursor lands on bubbles up as the tree's own messages.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Input

from tui.core.lint.rules import Severity
from tui.core.discover.search import fuzzy_match
from tui.core.project.records import ModelFile, ProjectScan
from tui.widgets.tree.model_tree import ModelTree, TreeItem


class TreePanel(Vertical):
    """The filter box and the tree; the screen binds `scan` and `lint_marks`."""

    DEFAULT_CSS = """
    TreePanel > #filter { margin: 0; display: none; }
    """

    scan: reactive[ProjectScan | None] = reactive(None, always_update=True, init=False)
    lint_marks: reactive[dict[str, Severity]] = reactive(dict, always_update=True, init=False)

    def __init__(self, project_name: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.project_name = project_name

    def compose(self) -> ComposeResult:
        filter_box = Input(placeholder="filter models (fuzzy)", id="filter")
        filter_box.cursor_blink = False
        yield filter_box
        yield ModelTree(id="tree").data_bind(TreePanel.scan, TreePanel.lint_marks)

    def on_mount(self) -> None:
        self.tree.loading = True
        self.tree.border_title = self.project_name

    def watch_scan(self, scan: ProjectScan | None) -> None:
        if scan is not None and self.tree.loading:
            self.tree.loading = False
            if self.screen.focused is None:  # a loading tree could not take the screen's first focus
                self.tree.focus()

    @property
    def tree(self) -> ModelTree:
        return self.query_one(ModelTree)

    @property
    def filter_box(self) -> Input:
        return self.query_one("#filter", Input)

    def open_filter(self) -> None:
        """Show the box and focus it at once: keys typed right after "/" must land in it."""
        self.filter_box.display = True
        self.screen.set_focus(self.filter_box)

    def clear_filter(self) -> None:
        self.filter_box.value = ""
        self.filter_box.display = False
        self.tree.focus()

    def move_to(self, item: TreeItem) -> None:
        """Put the cursor on item; a filter that hides it is cleared first (the user asked for it)."""
        if isinstance(item, ModelFile) and self.tree.filter_query and not fuzzy_match(self.tree.filter_query, item.name):
            self.filter_box.value = ""
            self.filter_box.display = False
            self.tree.filter_query = ""
        self.tree.move_to(item)

    def is_current(self, item: TreeItem) -> bool:
        return self.tree.is_current(item)

    @on(Input.Changed, "#filter")
    def _filter_tree(self, event: Input.Changed) -> None:
        event.stop()
        self.tree.filter_query = event.value.strip()

    @on(Input.Submitted, "#filter")
    def _back_to_tree(self, event: Input.Submitted) -> None:
        event.stop()
        self.tree.focus()
