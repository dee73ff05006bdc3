"""Which layer a model belongs to: by name prefix first, then by any folder in its path.

`base_` models are staging's own sub-layer: they sit in Staging, and whether a staging model
reading one is "staging on staging" is the team's choice (`base_counts_as_staging`); by default it
is not, as in dbt-project-evaluator, which gives base models a type of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Mapping, Sequence


class Layer(StrEnum):
    """The layers of a layered dbt project, in the order the tree shows them."""

    STAGING = "staging"
    INTERMEDIATE = "intermediate"
    MARTS = "marts"
    OTHER = "other"

    @property
    def title(self) -> str:
        return self.value.capitalize()


DEFAULT_PREFIXES: Mapping[str, Layer] = {
    "stg_": Layer.STAGING,
    "base_": Layer.STAGING,
    "int_": Layer.INTERMEDIATE,
    "fct_": Layer.MARTS,
    "dim_": Layer.MARTS,
}
DEFAULT_BASE_PREFIXES: tuple[str, ...] = ("base_",)
DEFAULT_FOLDERS: Mapping[str, Layer] = {
    "staging": Layer.STAGING,
    "intermediate": Layer.INTERMEDIATE,
    "marts": Layer.MARTS,
    "mart": Layer.MARTS,
}


def parse_layer(text: str) -> Layer:
    """Read a layer name from configuration; raises ValueError naming the allowed values."""
    try:
        return Layer(text.strip().lower())
    except ValueError:
        allowed = ", ".join(layer.value for layer in Layer)
        raise ValueError(f"unknown layer '{text}' (use one of: {allowed})") from None


@dataclass(frozen=True, slots=True)
class LayerRules:
    """Prefix and folder mappings; project overrides are merged over the defaults."""

    prefixes: Mapping[str, Layer] = field(default_factory=lambda: dict(DEFAULT_PREFIXES))
    folders: Mapping[str, Layer] = field(default_factory=lambda: dict(DEFAULT_FOLDERS))
    base_prefixes: tuple[str, ...] = DEFAULT_BASE_PREFIXES
    base_counts_as_staging: bool = False

    @classmethod
    def with_overrides(
        cls,
        prefixes: Mapping[str, Layer] | None = None,
        folders: Mapping[str, Layer] | None = None,
        base_prefixes: tuple[str, ...] | None = None,
        base_counts_as_staging: bool = False,
    ) -> LayerRules:
        base = tuple(p.lower() for p in (DEFAULT_BASE_PREFIXES if base_prefixes is None else base_prefixes))
        merged_prefixes = {
            **{k: v for k, v in DEFAULT_PREFIXES.items() if k not in DEFAULT_BASE_PREFIXES or k in base},
            **{prefix: Layer.STAGING for prefix in base},
            **{k.lower(): v for k, v in (prefixes or {}).items()},
        }
        merged_folders = {**DEFAULT_FOLDERS, **{k.lower(): v for k, v in (folders or {}).items()}}
        return cls(merged_prefixes, merged_folders, base, base_counts_as_staging)

    def is_base(self, model_name: str) -> bool:
        """A model of staging's base sub-layer (by its prefix)."""
        return model_name.lower().startswith(self.base_prefixes) if self.base_prefixes else False

    def classify(self, model_name: str, folders: Sequence[str]) -> Layer:
        """The prefix wins (longest first); else the innermost folder that names a layer; else OTHER."""
        name = model_name.lower()
        for prefix in sorted(self.prefixes, key=len, reverse=True):
            if name.startswith(prefix):
                return self.prefixes[prefix]
        for folder in reversed(folders):
            layer = self.folders.get(folder.lower())
            if layer is not None:
                return layer
        return Layer.OTHER
