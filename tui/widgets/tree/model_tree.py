"""The model tree: sources and models grouped by layer, then by sub-folder, with doc/test markers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import partial
from typing import Callable, Iterator

from rich.text import Text
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui.core.discover.search import fuzzy_match
from tui.core.project.records import FileProblem, ModelFile, ProjectScan, SourceTable
from tui.core.project.layers import Layer
from tui.core.lint.rules import Severity

LEGEND = "✎docs ✓tests ·no ✗⚠lint"
SOURCES_OPEN_UP_TO = 30
"""A Sources group with more tables arrives collapsed: it must not push the models off the screen."""
LAZY_ABOVE = 300
"""Projects with more models open with sub-folders collapsed; a folder's models are added on expand."""
REST_S = 0.12
"""How long the cursor rests on an item before the screen is told (and opens it)."""


@dataclass(frozen=True, slots=True)
class GroupKey:
    """Identifies a group node across rebuilds, so its expanded state survives a refresh."""

    path: tuple[str, ...]


TreeItem = ModelFile | SourceTable | FileProblem | GroupKey


class ModelTree(Tree[TreeItem]):
    """Shows a ProjectScan; posts what the cursor lands on. Rebuilt when the scan, the lint marks
    or the filter change (all three are pushed down by the tree panel)."""

    scan: reactive[ProjectScan | None] = reactive(None, always_update=True, init=False)
    lint_marks: reactive[dict[str, Severity]] = reactive(dict, always_update=True, init=False)
    """Model name -> the worst severity of its findings (✗ error, ⚠ warning)."""
    filter_query: reactive[str] = reactive("", init=False)

    class Populated(Message):
        """The tree now shows every model of the scan that passes the filter."""

        def __init__(self, model_count: int) -> None:
            super().__init__()
            self.model_count = model_count

    class ModelHighlighted(Message):
        def __init__(self, model: ModelFile) -> None:
            super().__init__()
            self.model = model

    class SourceHighlighted(Message):
        def __init__(self, source: SourceTable) -> None:
            super().__init__()
            self.source = source

    class ProblemHighlighted(Message):
        def __init__(self, problem: FileProblem) -> None:
            super().__init__()
            self.problem = problem

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Project", id=id)
        self.show_root = False
        self.guide_depth = 2
        self._expanded: dict[GroupKey, bool] = {}
        self._pending: dict[GroupKey, Callable[[TreeNode[TreeItem]], None]] = {}
        self._lazy = False
        self._announced: TreeItem | None = None
        self._keep: TreeItem | None = None
        self._restore_due = False
        self._announce_timer: Timer | None = None

    def watch_scan(self) -> None:
        self._rebuild()

    def watch_lint_marks(self) -> None:
        self._rebuild()

    def watch_filter_query(self) -> None:
        self._rebuild()

    def _rebuild(self) -> None:
        if self.scan is None:
            return
        if not self._restore_due:
            # A second rebuild before the cursor is put back keeps the first one's item: by then
            # the cursor's line may point at whatever node the new tree has there.
            self._keep = self.cursor_node.data if self.cursor_node is not None else None
            self._restore_due = True
        self._remember_expanded()
        self.clear()
        self._pending.clear()
        self._lazy = len(self.scan.models) > LAZY_ABOVE and not self.filter_query
        count = self._add_groups(self.scan)
        self.root.expand()
        self.call_after_refresh(self._restore_after_rebuild)
        self.border_subtitle = LEGEND if not self.filter_query else f"{count} match «{self.filter_query}»"
        # Sent as the tree's own message (not the caller's), so it bubbles up to the app.
        self.post_message(self.Populated(count).set_sender(self))

    def _remember_expanded(self) -> None:
        for node in self._walk(self.root):
            if isinstance(node.data, GroupKey):
                self._expanded[node.data] = node.is_expanded

    def _walk(self, node: TreeNode[TreeItem]) -> Iterator[TreeNode[TreeItem]]:
        for child in node.children:
            yield child
            yield from self._walk(child)

    def _restore_after_rebuild(self) -> None:
        if self._restore_due:
            self._restore_due = False
            self._restore_cursor(self._keep)

    def _restore_cursor(self, keep: TreeItem | None) -> None:
        target = next((node for node in self._walk(self.root) if _same_item(node.data, keep)), None)
        if target is None:
            target = next((n for n in self._walk(self.root) if isinstance(n.data, ModelFile)), None)
        if target is not None:
            self.get_node_at_line(0)  # builds the lines when the tree was not painted: the node needs its line
            self.move_cursor(target)
            # The cursor may stay on the same line number while the node under it changed.
            if not _same_item(target.data, self._announced):
                self._announce(target.data)

    def _add_groups(self, scan: ProjectScan) -> int:
        query = self.filter_query
        sources = [s for s in scan.schema.sources if fuzzy_match(query, f"{s.source_name}.{s.table_name}")]
        if sources:
            self._add_sources(sources)
        elif not scan.schema.complete and not query:
            # Holds the Sources line while the YAML is read, so the models do not move when it comes.
            self.root.add_leaf(Text.assemble(("Sources", "bold"), (" (reading the YAML...)", "dim italic")))
        models = [m for m in scan.models if fuzzy_match(query, m.name)]
        by_layer: dict[Layer, list[ModelFile]] = defaultdict(list)
        for model in models:
            by_layer[model.layer].append(model)
        for layer in Layer:
            if by_layer.get(layer):
                self._add_layer(layer, by_layer[layer], scan)
        problems = scan.all_problems()
        if problems and not query:
            self._add_problems(problems)
        return len(models)

    def _group(
        self,
        parent: TreeNode[TreeItem],
        key: GroupKey,
        label: str,
        count: int,
        fill: Callable[[TreeNode[TreeItem]], None],
    ) -> TreeNode[TreeItem]:
        """A group whose children are added when it is first expanded, so big trees open fast."""
        text = Text.assemble((label, "bold"), (f" ({count})", "dim"))
        node = parent.add(text, data=key, allow_expand=True)
        opened_by_default = not (self._lazy and len(key.path) > 1)
        if key.path == ("sources",) and count > SOURCES_OPEN_UP_TO:
            opened_by_default = False
        expand = self._expanded.get(key, opened_by_default)
        if self.filter_query or expand:
            fill(node)
            node.expand()
        else:
            self._pending[key] = fill
        return node

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[TreeItem]) -> None:
        fill = self._pending.pop(event.node.data, None) if isinstance(event.node.data, GroupKey) else None
        if fill is not None:
            fill(event.node)

    def _add_sources(self, sources: list[SourceTable]) -> None:
        by_source: dict[str, list[SourceTable]] = defaultdict(list)
        for table in sources:
            by_source[table.source_name].append(table)

        def fill_sources(group: TreeNode[TreeItem]) -> None:
            for source_name, tables in sorted(by_source.items()):
                self._group(group, GroupKey(("sources", source_name)), source_name, len(tables), partial(_add_tables, tables))

        self._group(self.root, GroupKey(("sources",)), "Sources", len(sources), fill_sources)

    def _add_layer(self, layer: Layer, models: list[ModelFile], scan: ProjectScan) -> None:
        by_folder: dict[str, list[ModelFile]] = defaultdict(list)
        for model in models:
            by_folder[_sub_folder(model, layer)].append(model)

        def fill_layer(group: TreeNode[TreeItem]) -> None:
            for folder in sorted(by_folder):
                add_models = partial(_add_models, by_folder[folder], scan, self.lint_marks)
                if folder:
                    key = GroupKey((layer.value, folder))
                    self._group(group, key, folder, len(by_folder[folder]), add_models)
                else:
                    add_models(group)

        self._group(self.root, GroupKey((layer.value,)), layer.title, len(models), fill_layer)

    def _add_problems(self, problems: list[FileProblem]) -> None:
        def fill_problems(group: TreeNode[TreeItem]) -> None:
            for problem in problems:
                where = f"{problem.path}:{problem.line}" if problem.line else problem.path
                group.add_leaf(Text(f"! {where}", style="red"), data=problem)

        self._group(self.root, GroupKey(("problems",)), "Problems", len(problems), fill_problems)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[TreeItem]) -> None:
        """move_to announces at once; the Tree's own message for that move comes later and must
        not announce it twice (a second "unsaved edits?" dialog after the user cancelled).

        A cursor move is announced once the cursor has rested REST_S: a held arrow key then
        opens only the model it stops on. Opening every model passed over repaints the editors
        each time, which a slow SSH link carries as tens of kilobytes per step."""
        event.stop()
        self._cancel_announce()
        if not _same_item(event.node.data, self._announced):
            self._announce_timer = self.set_timer(REST_S, self._announce_resting)

    def _announce_resting(self) -> None:
        """The cursor has rested: what it is on now (a rebuild may have moved it since)."""
        self._announce_timer = None
        if self._restore_due:
            return  # mid-rebuild: the cursor is put back (and announced) by the restore
        node = self.cursor_node
        if node is not None and not _same_item(node.data, self._announced):
            self._announce(node.data)

    def announce_now(self) -> None:
        """Tell the screen at once what the cursor is on, without waiting for it to rest (for
        callers that know the user has stopped: tests settling the app)."""
        if self._announce_timer is not None:
            self._cancel_announce()
            self._announce_resting()

    @property
    def announcing(self) -> bool:
        """A move waits to be announced (the cursor has not rested yet)."""
        return self._announce_timer is not None

    def _cancel_announce(self) -> None:
        if self._announce_timer is not None:
            self._announce_timer.stop()
            self._announce_timer = None

    def move_to(self, item: TreeItem) -> None:
        """Put the cursor on an item (the user stays on it, or chose it elsewhere); a restore
        still due from a rebuild would move it back, so it is dropped."""
        self._restore_due = False
        if isinstance(item, ModelFile):
            self._fill_groups_of(item)
        self._restore_cursor(item)

    def _fill_groups_of(self, model: ModelFile) -> None:
        """A model in a folder not expanded yet (big projects open collapsed) gets its node now."""
        layer = model.layer
        for key in (GroupKey((layer.value,)), GroupKey((layer.value, _sub_folder(model, layer)))):
            node = next((n for n in self._walk(self.root) if n.data == key), None)
            if node is None:
                continue
            fill = self._pending.pop(key, None)
            if fill is not None:
                fill(node)
            node.expand()

    def is_current(self, item: TreeItem) -> bool:
        """Is item what the cursor is on (as last announced)?"""
        return _same_item(item, self._announced)

    def _announce(self, item: TreeItem | None) -> None:
        """Tell the screen what the cursor is on now."""
        self._cancel_announce()
        self._announced = item
        if isinstance(item, ModelFile):
            self.post_message(self.ModelHighlighted(item))
        elif isinstance(item, SourceTable):
            self.post_message(self.SourceHighlighted(item))
        elif isinstance(item, FileProblem):
            self.post_message(self.ProblemHighlighted(item))


def _add_tables(tables: list[SourceTable], group: TreeNode[TreeItem]) -> None:
    for table in tables:
        group.add_leaf(_source_label(table), data=table)


def _add_models(models: list[ModelFile], scan: ProjectScan, lint: dict[str, Severity], group: TreeNode[TreeItem]) -> None:
    for model in sorted(models, key=lambda m: m.name):
        group.add_leaf(_model_label(model, scan, lint.get(model.name)), data=model)


def _sub_folder(model: ModelFile, layer: Layer) -> str:
    """The model's folder below its layer folder: models/staging/crm/x.sql is 'crm' in Staging."""
    folders = list(model.folders)
    if folders and folders[0].lower() in (layer.value, layer.value.rstrip("s")):
        folders = folders[1:]
    return "/".join(folders)


def _marker(flag: bool, glyph: str) -> tuple[str, str]:
    return (glyph, "green") if flag else ("·", "dim")


LINT_MARKS = {Severity.ERROR: ("✗", "bold red"), Severity.WARNING: ("⚠", "yellow")}
NAME_AT = 4
"""Markers come first (docs, tests, lint), so a narrow tree that cuts a long name keeps them."""


def _model_label(model: ModelFile, scan: ProjectScan, lint: Severity | None = None) -> Text:
    entry = scan.entry_for(model.name)
    documented = bool(entry and entry.documented)
    tested = bool(entry and entry.tested)
    lint_mark = LINT_MARKS[lint] if lint is not None else (" ", "")
    label = Text.assemble(_marker(documented, "✎"), _marker(tested, "✓"), lint_mark, " ", model.name)
    if not model.enabled:
        label.stylize("dim strike", NAME_AT)
        label.append(" disabled", "dim italic")
    if model.problem:
        label.append(" !", "bold red")
    return label


def _source_label(table: SourceTable) -> Text:
    return Text.assemble(_marker(table.documented, "✎"), "   ", table.table_name)


def _same_item(a: TreeItem | None, b: TreeItem | None) -> bool:
    if isinstance(a, ModelFile) and isinstance(b, ModelFile):
        return a.path == b.path
    return a is not None and a == b
