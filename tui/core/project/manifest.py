"""Lineage and enabled state from target/manifest.json, decoded into only the fields we use.

A manifest written by dbt knows refs hidden inside macros and models disabled from
dbt_project.yml, which text scanning cannot see. It is used only while it is newer than every
model and schema file, so an edit made since the last dbt run is never hidden by it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import msgspec


class _DependsOn(msgspec.Struct):
    nodes: list[str] = []


class _Config(msgspec.Struct):
    enabled: bool = True


class _Node(msgspec.Struct):
    resource_type: str
    name: str
    package_name: str = ""
    original_file_path: str = ""
    depends_on: _DependsOn = msgspec.field(default_factory=_DependsOn)
    config: _Config = msgspec.field(default_factory=_Config)


class _Source(msgspec.Struct):
    source_name: str
    name: str


class _Metadata(msgspec.Struct):
    project_name: str | None = None


class _Manifest(msgspec.Struct):
    metadata: _Metadata = msgspec.field(default_factory=_Metadata)
    nodes: dict[str, _Node] = {}
    sources: dict[str, _Source] = {}
    disabled: dict[str, list[_Node]] | None = None


@dataclass(frozen=True, slots=True)
class ManifestModel:
    """A model as dbt parsed it: what it depends on and whether it is enabled."""

    name: str
    path: str
    refs: tuple[str, ...]
    sources: tuple[tuple[str, str], ...]
    enabled: bool


def is_fresh(manifest_path: Path, newest_project_file: float) -> bool:
    """True when the manifest exists and was written after every model and schema file."""
    try:
        return manifest_path.stat().st_mtime >= newest_project_file
    except OSError:
        return False


def read_manifest_models(manifest_path: Path, project_name: str) -> dict[str, ManifestModel] | None:
    """The root project's models keyed by file path; None when the file cannot be decoded."""
    try:
        manifest = msgspec.json.decode(manifest_path.read_bytes(), type=_Manifest)
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        return None
    source_names = {uid: (s.source_name, s.name) for uid, s in manifest.sources.items()}
    models: dict[str, ManifestModel] = {}
    for node in manifest.nodes.values():
        if node.resource_type == "model" and node.package_name in ("", project_name):
            models[node.original_file_path] = _to_model(node, source_names, node.config.enabled)
    for versions in (manifest.disabled or {}).values():
        for node in versions:
            if node.resource_type == "model" and node.package_name in ("", project_name):
                models[node.original_file_path] = _to_model(node, source_names, False)
    return models


def _to_model(node: _Node, source_names: dict[str, tuple[str, str]], enabled: bool) -> ManifestModel:
    refs = tuple(uid.split(".", 2)[2] for uid in node.depends_on.nodes if uid.startswith("model.") and uid.count(".") >= 2)
    sources = tuple(source_names[uid] for uid in node.depends_on.nodes if uid in source_names)
    return ManifestModel(node.name, node.original_file_path, refs, sources, enabled)
