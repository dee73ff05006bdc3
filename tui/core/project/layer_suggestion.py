"""A layer mapping derived from the project's own names, offered when the defaults do not fit.

A large project named its layers by folders and prefixes the defaults do not know (`sources/` with
`*_source` models, `prep_`, `wk_`/`workspaces/`, `mart_`, `rpt_`, `bdg_`) and 90% of its models
landed in Other. When more than a quarter do, we count the name prefixes and folder names of the
models in Other and guess a layer for each from the words teams use; the user edits and accepts.
No Textual here.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

from tui.core.project.layers import Layer
from tui.core.project.records import ModelFile

OFFER_WHEN_OTHER_SHARE = 0.25
MIN_MODELS = 2
"""A prefix or folder shared by fewer models is not a convention."""
UNKNOWN_PREFIX_SHARE = 0.1
"""A prefix whose word says nothing is still offered (as Other, for the user to set) when this
share of the models in Other carry it."""

_PREFIX = re.compile(r"^([a-z][a-z0-9]{0,11}_)[a-z0-9]")
_WORDS: tuple[tuple[Layer, tuple[str, ...]], ...] = (
    (Layer.STAGING, ("source", "sources", "src", "stg", "stage", "staging", "prep", "base", "raw", "landing",
                     "clean", "cleaned", "bronze", "ingest")),
    (Layer.INTERMEDIATE, ("int", "inter", "intermediate", "wk", "work", "workspace", "workspaces", "transform",
                          "tfm", "silver", "logic")),
    (Layer.MARTS, ("mart", "marts", "rpt", "report", "reports", "reporting", "bdg", "dim", "fct", "fact", "facts",
                   "agg", "aggregate", "gold", "presentation", "export", "exports", "analytics", "dash", "kpi")),
)


@dataclass(frozen=True, slots=True)
class MappingRow:
    """One proposed rule: a name prefix or a folder name, the layer guessed, and how many models in
    Other it would move."""

    kind: str  # "prefix" or "folder"
    pattern: str
    layer: Layer
    models: int


@dataclass(frozen=True, slots=True)
class LayerSuggestion:
    other: int
    total: int
    rows: tuple[MappingRow, ...]

    @property
    def other_share(self) -> float:
        return self.other / self.total if self.total else 0.0


def guess_layer(word: str) -> Layer:
    """The layer a prefix or folder name suggests; Other when no known word is in it."""
    parts = [part for part in re.split(r"[^a-z0-9]+", word.lower()) if part]
    for layer, words in _WORDS:
        if any(part in words or part.rstrip("s") in words for part in parts):
            return layer
    return Layer.OTHER


def suggest_layers(models: Sequence[ModelFile]) -> LayerSuggestion | None:
    """The mapping to offer, or None when at most a quarter of the models are in Other."""
    enabled = [model for model in models if model.enabled]
    other = [model for model in enabled if model.layer is Layer.OTHER]
    if not enabled or len(other) / len(enabled) <= OFFER_WHEN_OTHER_SHARE:
        return None
    rows = [*_prefix_rows(other), *_folder_rows(other)]
    if not rows:
        return None
    rows.sort(key=lambda row: (-row.models, row.kind, row.pattern))
    return LayerSuggestion(len(other), len(enabled), tuple(rows))


def _prefix_rows(models: Sequence[ModelFile]) -> list[MappingRow]:
    counts = Counter(match.group(1) for model in models if (match := _PREFIX.match(model.name.lower())))
    common = max(MIN_MODELS, int(len(models) * UNKNOWN_PREFIX_SHARE))
    rows = [MappingRow("prefix", prefix, guess_layer(prefix), count) for prefix, count in counts.items()]
    return [row for row in rows if row.models >= (MIN_MODELS if row.layer is not Layer.OTHER else common)]


def _folder_rows(models: Iterable[ModelFile]) -> list[MappingRow]:
    """Each folder counted once per model; a folder whose name says nothing is offered as Other."""
    counts: Counter[str] = Counter()
    for model in models:
        counts.update({folder.lower() for folder in model.folders})
    return [MappingRow("folder", folder, guess_layer(folder), count)
            for folder, count in counts.items() if count >= MIN_MODELS and guess_layer(folder) is not Layer.OTHER]


def mapping_of(rows: Iterable[MappingRow]) -> tuple[dict[str, Layer], dict[str, Layer]]:
    """The prefixes and folders to save: rows left in Other are dropped (they change nothing)."""
    prefixes = {row.pattern: row.layer for row in rows if row.kind == "prefix" and row.layer is not Layer.OTHER}
    folders = {row.pattern: row.layer for row in rows if row.kind == "folder" and row.layer is not Layer.OTHER}
    return prefixes, folders
