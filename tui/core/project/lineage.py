"""A model's neighbours in the lineage, for the line above the editors."""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.project.records import ModelFile, ProjectScan


@dataclass(frozen=True, slots=True)
class ModelDetail:
    """What the model reads (refs and sources) and which models read it."""

    model: ModelFile
    parents: tuple[str, ...]
    children: tuple[str, ...]


def children_of(scan: ProjectScan, model_name: str) -> tuple[str, ...]:
    """Models that ref() the named model."""
    return tuple(sorted(m.name for m in scan.models if model_name in m.refs))


def readers_of_source(scan: ProjectScan, source_name: str, table_name: str) -> tuple[str, ...]:
    """Models that read the source table with source()."""
    return tuple(sorted(m.name for m in scan.models if (source_name, table_name) in m.sources))


def model_detail(scan: ProjectScan, model: ModelFile) -> ModelDetail:
    """The model's neighbours as `scan` knows them (a newer scan than the one `model` came from
    may have new refs for it: its version of the model, found by path, is used)."""
    model = next((known for known in scan.models if known.path == model.path), model)
    parents = (*model.refs, *(f"{source}.{table}" for source, table in model.sources))
    return ModelDetail(model, parents, children_of(scan, model.name))
