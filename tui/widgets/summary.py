"""One or two lines above the editors: what the selected item is, where it lives, what it touches."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from tui.core.project.lineage import lineage_line, model_detail, readers_of_source, shorten_path_left
from tui.core.project.records import FileProblem, ModelFile, ProjectScan, SourceTable

Subject = ModelFile | SourceTable | FileProblem | str | None
"""What the summary speaks of: a tree item, or a plain message."""


def _names(names: tuple[str, ...] | list[str]) -> str:
    return ", ".join(names) if names else "nothing"


def pick_a_model(scan: ProjectScan) -> str:
    """The empty state once the scan is in and no model is open yet."""
    layers = len({model.layer for model in scan.models})
    return (f"{len(scan.models):,} models in {layers} layer(s). Pick one in the tree "
            "(↑/↓ move, enter opens a folder, / filters by name).")


class ModelSummary(Static):
    """Says what is selected; re-drawn when the subject or the scan changes (so lineage stays current)."""

    DEFAULT_CSS = """
    ModelSummary { height: auto; max-height: 3; padding: 0 1; background: $boost; }
    """

    scan: reactive[ProjectScan | None] = reactive(None, always_update=True, init=False)
    subject: reactive[Subject] = reactive("Scanning the project...", always_update=True)

    def watch_scan(self) -> None:
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    @property
    def _line_width(self) -> int:
        return max(self.size.width - 2, 20) if self.size.width else 200

    def watch_subject(self) -> None:
        self._draw()

    def _draw(self) -> None:
        subject = self.subject
        if isinstance(subject, ModelFile):
            self.update(self._model_text(subject))
        elif isinstance(subject, SourceTable):
            self.update(self._source_text(subject))
        elif isinstance(subject, FileProblem):
            self.update(Text.assemble(("Problem  ", "bold red"), subject.describe()))
        else:
            self.update(Text(subject or "", style="italic"))

    def _model_text(self, model: ModelFile) -> Text:
        """Three lines at most, each fitted to the width: name and layer, path, lineage."""
        width = self._line_width
        detail = model_detail(self.scan, model) if self.scan is not None else None
        if detail is not None:
            model = detail.model  # as the newest scan knows it (a new layer mapping, a saved ref)
        text = Text.assemble((model.name, "bold"), "  ", (model.layer.title, "cyan"))
        if not model.enabled:
            text.append("  disabled", "yellow")
        text.append("\n" + shorten_path_left(model.path, width), "dim")
        if detail is not None:
            text.append("\n" + lineage_line(tuple(detail.parents), tuple(detail.children), width), "dim")
        return text

    def _source_text(self, source: SourceTable) -> Text:
        text = Text.assemble((f"{source.source_name}.{source.table_name}", "bold"), "  ", ("Source", "cyan"))
        text.append(f"  {source.path}:{source.line}", "dim")
        if self.scan is not None:
            readers = readers_of_source(self.scan, source.source_name, source.table_name)
            text.append(f"\nread by {_names(readers)}", "dim")
        return text
