"""What the duplicate finder knows of one model (or of a draft): computed once per scan.

A profile holds the model's name stem, its upstream (refs and sources), the shape of its SQL,
its columns and its description. Columns come from the YAML entry, else from a fresh
`target/catalog.json`, else from the SQL's final select.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from tui.core.discover.names import name_stem
from tui.core.discover.sql_shape import SqlShape, shape_of
from tui.core.project.layers import Layer, LayerRules
from tui.core.project.records import ModelFile, ProjectScan
from tui.core.scan.model_files import calls_in, decode_text


@dataclass(frozen=True, slots=True)
class Profile:
    """One model or draft, in the terms the scorers compare."""

    name: str
    layer: Layer
    stem: str
    upstream: frozenset[str]
    """`ref:<model>` and `source:<source>.<table>` keys."""
    shape: SqlShape | None
    columns: frozenset[str]
    description: str
    path: str = ""

    @property
    def sources(self) -> list[str]:
        return sorted(key.split(":", 1)[1] for key in self.upstream if key.startswith("source:"))

    @property
    def refs(self) -> list[str]:
        return sorted(key.split(":", 1)[1] for key in self.upstream if key.startswith("ref:"))


def upstream_keys(refs: Iterable[str], sources: Iterable[tuple[str, str] | str]) -> frozenset[str]:
    keys = {f"ref:{name}" for name in refs}
    keys.update(f"source:{s if isinstance(s, str) else '.'.join(s)}" for s in sources)
    return frozenset(keys)


def draft_profile(
    rules: LayerRules,
    layer: Layer,
    name: str,
    sql: str | None = None,
    sources: Iterable[tuple[str, str]] = (),
    refs: Iterable[str] = (),
    columns: Iterable[str] = (),
    description: str = "",
    dialect: str = "duckdb",
) -> Profile:
    """A model that does not exist yet (or is being edited): what is known of it so far."""
    shape = shape_of(sql, dialect) if sql and sql.strip() else None
    found_refs, found_sources = calls_in(sql) if sql else ((), ())
    column_names = {c.lower() for c in columns} or set(shape.output_columns if shape else ())
    return Profile(
        name,
        layer,
        name_stem(name, rules.prefixes),
        upstream_keys([*refs, *found_refs], [*sources, *found_sources]),
        shape,
        frozenset(column_names),
        description,
    )


def project_profiles(root: Path, scan: ProjectScan, rules: LayerRules, dialect: str = "duckdb", target_path: str = "target") -> list[Profile]:
    """Every enabled SQL model's profile (disabled and Python models are left out: dbt builds neither)."""
    catalog = catalog_columns(root / target_path / "catalog.json")
    catalog_time = _mtime(root / target_path / "catalog.json")
    profiles = []
    for model in scan.models:
        if not model.enabled or model.language != "sql":
            continue
        profiles.append(model_profile(root, model, scan, rules, dialect, catalog, catalog_time))
    return profiles


def model_profile(
    root: Path,
    model: ModelFile,
    scan: ProjectScan,
    rules: LayerRules,
    dialect: str = "duckdb",
    catalog: Mapping[str, tuple[str, ...]] | None = None,
    catalog_time: float = 0.0,
) -> Profile:
    text = _read(root / model.path)
    shape = shape_of(text, dialect) if text else None
    entry = scan.entry_for(model.name)
    columns: Iterable[str] = entry.column_names if entry and entry.column_names else ()
    if not columns and catalog and model.name in catalog and _mtime(root / model.path) <= catalog_time:
        columns = catalog[model.name]
    if not columns and shape is not None:
        columns = shape.output_columns
    return Profile(
        model.name,
        model.layer,
        name_stem(model.name, rules.prefixes),
        upstream_keys(model.refs, model.sources),
        shape,
        frozenset(c.lower() for c in columns),
        entry.description if entry else "",
        model.path,
    )


def catalog_columns(path: Path) -> dict[str, tuple[str, ...]]:
    """Model name -> column names from dbt's catalog.json (what `dbt docs generate` saw built)."""
    try:
        nodes = json.loads(path.read_text(encoding="utf-8")).get("nodes", {})
    except (OSError, ValueError, AttributeError):
        return {}
    columns = {}
    for unique_id, node in nodes.items() if isinstance(nodes, dict) else ():
        if unique_id.startswith("model.") and isinstance(node, dict):
            names = [str(c.get("name", key)) for key, c in (node.get("columns") or {}).items() if isinstance(c, dict)]
            columns[unique_id.rsplit(".", 1)[-1]] = tuple(n.lower() for n in names)
    return columns


def _read(path: Path) -> str:
    try:
        return decode_text(path.read_bytes())[0]
    except OSError:
        return ""


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
