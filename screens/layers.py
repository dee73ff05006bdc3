"""The layer mapping screen: rules derived from the project's own folders and prefixes, each with
the number of models it moves out of Other; the user changes layers and accepts, or cancels."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from pathlib import Path

from tui.bindings import bindings_for
from tui.core.commands import LAYER_MAPPING_COMMANDS
from tui.core.config import WorkbenchConfig, load_config, save_layer_mapping
from tui.core.errors import ConfigError
from tui.core.project.layer_suggestion import LayerSuggestion, MappingRow, mapping_of, suggest_layers
from tui.core.project.layers import Layer, LayerRules
from tui.core.project.records import ModelFile

CHOICES: tuple[Layer, ...] = (Layer.STAGING, Layer.INTERMEDIATE, Layer.MARTS, Layer.OTHER)


class LayerMappingScreen(ModalScreen["list[MappingRow] | None"]):
    """Dismisses with the rows as the user left them (accept) or None (cancel)."""

    DEFAULT_CSS = """
    LayerMappingScreen { align: center middle; }
    LayerMappingScreen > Static { width: 100%; padding: 0 2; height: auto; }
    LayerMappingScreen > #layers-effect { color: $text-muted; }
    LayerMappingScreen > DataTable { height: 1fr; margin: 0 2; border: round $primary; }
    """
    BINDINGS = bindings_for(LAYER_MAPPING_COMMANDS)
    COMMANDS_LIST = LAYER_MAPPING_COMMANDS

    def __init__(self, suggestion: LayerSuggestion, models: list[ModelFile], rules: LayerRules) -> None:
        super().__init__()
        self.rows = list(suggestion.rows)
        self.suggestion = suggestion
        self.models = models
        self.rules = rules

    def compose(self) -> ComposeResult:
        share = round(100 * self.suggestion.other_share)
        yield Static(
            f"{self.suggestion.other} of {self.suggestion.total} models ({share}%) are in Other. "
            "From this project's own folders and prefixes:", id="layers-intro"
        )
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Static(id="layers-effect")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.border_title = "Layer mapping (space/→: change layer, a: accept and save, esc: cancel)"
        table.add_column("rule", key="rule")
        table.add_column("models in Other", key="models")
        table.add_column("layer", key="layer")
        for index, row in enumerate(self.rows):
            label = f"name starts with {row.pattern}" if row.kind == "prefix" else f"in a folder {row.pattern}/"
            table.add_row(label, str(row.models), self._layer_text(row.layer), key=str(index))
        table.focus()
        self._show_effect()

    @staticmethod
    def _layer_text(layer: Layer) -> Text:
        return Text("leave in Other (not saved)", "dim") if layer is Layer.OTHER else Text(layer.title, "bold")

    def action_cycle(self, step: int) -> None:
        table = self.query_one(DataTable)
        if not self.rows:
            return
        index = table.cursor_row
        row = self.rows[index]
        layer = CHOICES[(CHOICES.index(row.layer) + step) % len(CHOICES)]
        self.rows[index] = MappingRow(row.kind, row.pattern, layer, row.models)
        table.update_cell(str(index), "layer", self._layer_text(layer))
        self._show_effect()

    def remaining_in_other(self) -> int:
        prefixes, folders = mapping_of(self.rows)
        rules = LayerRules.with_overrides(
            {**self.rules.prefixes, **prefixes}, {**self.rules.folders, **folders},
            self.rules.base_prefixes, self.rules.base_counts_as_staging,
        )
        return sum(1 for m in self.models if m.enabled and rules.classify(m.name, m.folders) is Layer.OTHER)

    def _show_effect(self) -> None:
        prefixes, folders = mapping_of(self.rows)
        self.query_one("#layers-effect", Static).update(
            f"Accepting saves {len(prefixes)} prefix(es) and {len(folders)} folder(s) to dbt-workbench.yml; "
            f"{self.remaining_in_other()} of {self.suggestion.total} models would stay in Other."
        )

    def action_accept(self) -> None:
        self.dismiss(list(self.rows))


def save_mapping(rows: list[MappingRow] | None, project_root: Path) -> tuple[WorkbenchConfig | None, str]:
    """Write the accepted rows; the configuration as it now reads, or None and why not (an empty
    message when the user cancelled)."""
    if rows is None:
        return None, ""
    prefixes, folders = mapping_of(rows)
    if not prefixes and not folders:
        return None, "Nothing to save: every row was left in Other."
    try:
        path = save_layer_mapping(project_root, prefixes, folders)
        config = load_config(project_root)
    except ConfigError as error:
        return None, f"Layers not saved: {error}"
    return config, f"Saved {len(prefixes) + len(folders)} layer rule(s) to {path.name}; reading the project again."


def layer_offer(models: tuple[ModelFile, ...], key: str) -> str | None:
    """The one-time notice when the layers do not fit the project (None when they do)."""
    suggestion = suggest_layers(models)
    if suggestion is None:
        return None
    return (f"{suggestion.other} of {suggestion.total} models are in Other. Press {key} to review a layer "
            "mapping from this project's folders and prefixes.")


def layers_fit(models: tuple[ModelFile, ...]) -> str:
    other = sum(1 for m in models if m.enabled and m.layer is Layer.OTHER)
    return f"The layers fit this project: {other} of {len(models)} models are in Other."
