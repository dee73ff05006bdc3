"""The model tree: sources and models grouped by layer, then by sub-folder, with doc/test markers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui.core.fuzzy import fuzzy_match
from tui.core.inventory import FileProblem, ModelFile, ProjectScan, SourceTable
from tui.core.layers import Layer

LEGEND = "✎ documented  ✓ tested"


@dataclass(frozen=True, slots=True)
class GroupKey:
    """Identifies a group node across rebuilds, so its expanded state survives a refresh."""

    path: tuple[str, ...]


TreeItem = ModelFile | SourceTable | FileProblem | GroupKey


class ModelTree(Tree[TreeItem]):
    """Shows a ProjectScan; posts what the cursor lands on. Rebuilt when the scan or filter changes."""

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
        self._scan: ProjectScan | None = None
        self._collapsed: set[GroupKey] = set()

    def show_scan(self, scan: ProjectScan) -> None:
        self._scan = scan
        self._rebuild()

    def watch_filter_query(self) -> None:
        self._rebuild()

    def _rebuild(self) -> None:
        if self._scan is None:
            return
        keep = self.cursor_node.data if self.cursor_node is not None else None
        self._remember_collapsed()
        self.clear()
        count = self._add_groups(self._scan)
        self.root.expand()
        self.call_after_refresh(self._restore_cursor, keep)
        self.border_subtitle = LEGEND if not self.filter_query else f"{count} match «{self.filter_query}»"
        self.post_message(self.Populated(count))

    def _remember_collapsed(self) -> None:
        for node in self._walk(self.root):
            if isinstance(node.data, GroupKey):
                if node.is_expanded:
                    self._collapsed.discard(node.data)
                else:
                    self._collapsed.add(node.data)

    def _walk(self, node: TreeNode[TreeItem]):
        for child in node.children:
            yield child
            yield from self._walk(child)

    def _restore_cursor(self, keep: TreeItem | None) -> None:
        target = next((node for node in self._walk(self.root) if _same_item(node.data, keep)), None)
        if target is None:
            target = next((n for n in self._walk(self.root) if isinstance(n.data, ModelFile)), None)
        if target is not None:
            self.move_cursor(target)

    def _add_groups(self, scan: ProjectScan) -> int:
        query = self.filter_query
        sources = [s for s in scan.schema.sources if fuzzy_match(query, f"{s.source_name}.{s.table_name}")]
        if sources:
            self._add_sources(sources)
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

    def _group(self, parent: TreeNode[TreeItem], key: GroupKey, label: str, count: int) -> TreeNode[TreeItem]:
        text = Text.assemble((label, "bold"), (f" ({count})", "dim"))
        return parent.add(text, data=key, expand=key not in self._collapsed or bool(self.filter_query))

    def _add_sources(self, sources: list[SourceTable]) -> None:
        group = self._group(self.root, GroupKey(("sources",)), "Sources", len(sources))
        by_source: dict[str, list[SourceTable]] = defaultdict(list)
        for table in sources:
            by_source[table.source_name].append(table)
        for source_name, tables in sorted(by_source.items()):
            node = self._group(group, GroupKey(("sources", source_name)), source_name, len(tables))
            for table in tables:
                node.add_leaf(_source_label(table), data=table)

    def _add_layer(self, layer: Layer, models: list[ModelFile], scan: ProjectScan) -> None:
        group = self._group(self.root, GroupKey((layer.value,)), layer.title, len(models))
        by_folder: dict[str, list[ModelFile]] = defaultdict(list)
        for model in models:
            by_folder[_sub_folder(model, layer)].append(model)
        for folder in sorted(by_folder):
            parent = group
            if folder:
                parent = self._group(group, GroupKey((layer.value, folder)), folder, len(by_folder[folder]))
            for model in sorted(by_folder[folder], key=lambda m: m.name):
                parent.add_leaf(_model_label(model, scan), data=model)

    def _add_problems(self, problems: list[FileProblem]) -> None:
        group = self._group(self.root, GroupKey(("problems",)), "Problems", len(problems))
        for problem in problems:
            where = f"{problem.path}:{problem.line}" if problem.line else problem.path
            group.add_leaf(Text(f"! {where}", style="red"), data=problem)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[TreeItem]) -> None:
        event.stop()
        item = event.node.data
        if isinstance(item, ModelFile):
            self.post_message(self.ModelHighlighted(item))
        elif isinstance(item, SourceTable):
            self.post_message(self.SourceHighlighted(item))
        elif isinstance(item, FileProblem):
            self.post_message(self.ProblemHighlighted(item))


def _sub_folder(model: ModelFile, layer: Layer) -> str:
    """The model's folder below its layer folder: models/staging/crm/x.sql is 'crm' in Staging."""
    folders = list(model.folders)
    if folders and folders[0].lower() in (layer.value, layer.value.rstrip("s")):
        folders = folders[1:]
    return "/".join(folders)


def _marker(flag: bool, glyph: str) -> tuple[str, str]:
    return (glyph, "green") if flag else ("·", "dim")


def _model_label(model: ModelFile, scan: ProjectScan) -> Text:
    entry = scan.entry_for(model.name)
    documented = bool(entry and entry.documented)
    tested = bool(entry and entry.tested)
    label = Text.assemble(_marker(documented, "✎"), _marker(tested, "✓"), " ", model.name)
    if not model.enabled:
        label.stylize("dim strike", 3)
        label.append(" disabled", "dim italic")
    if model.problem:
        label.append(" !", "bold red")
    return label


def _source_label(table: SourceTable) -> Text:
    return Text.assemble(_marker(table.documented, "✎"), "  ", table.table_name)


def _same_item(a: TreeItem | None, b: TreeItem | None) -> bool:
    if isinstance(a, ModelFile) and isinstance(b, ModelFile):
        return a.path == b.path
    return a is not None and a == b
