"""Which layer a model belongs to: by name prefix first, then by any folder in its path."""

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

    @classmethod
    def with_overrides(
        cls, prefixes: Mapping[str, Layer] | None = None, folders: Mapping[str, Layer] | None = None
    ) -> LayerRules:
        merged_prefixes = {**DEFAULT_PREFIXES, **{k.lower(): v for k, v in (prefixes or {}).items()}}
        merged_folders = {**DEFAULT_FOLDERS, **{k.lower(): v for k, v in (folders or {}).items()}}
        return cls(merged_prefixes, merged_folders)

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
