"""One or two lines above the editors: what the selected item is, where it lives, what it touches."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.core.inventory import FileProblem, SourceTable
from tui.core.model_detail import ModelDetail


def _names(names: tuple[str, ...] | list[str]) -> str:
    return ", ".join(names) if names else "nothing"


class ModelSummary(Static):
    """Says what is selected; updated by the screen, holds no state of its own."""

    DEFAULT_CSS = """
    ModelSummary { height: auto; max-height: 3; padding: 0 1; background: $boost; }
    """

    def show_model(self, detail: ModelDetail) -> None:
        model = detail.model
        text = Text.assemble((model.name, "bold"), "  ", (model.layer.title, "cyan"), "  ", (model.path, "dim"))
        if not model.enabled:
            text.append("  disabled", "yellow")
        text.append(f"\nreads {_names(detail.parents)} · read by {_names(detail.children)}", "dim")
        self.update(text)

    def show_source(self, source: SourceTable, readers: tuple[str, ...]) -> None:
        text = Text.assemble((f"{source.source_name}.{source.table_name}", "bold"), "  ", ("Source", "cyan"))
        text.append(f"  {source.path}:{source.line}", "dim")
        text.append(f"\nread by {_names(readers)}", "dim")
        self.update(text)

    def show_problem(self, problem: FileProblem) -> None:
        self.update(Text.assemble(("Problem  ", "bold red"), problem.describe()))

    def show_text(self, message: str) -> None:
        self.update(Text(message, style="italic"))
