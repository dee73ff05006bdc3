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
from tui.core.discover.shape_cache import ShapeCache, shape_digest, shapes_of
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


def project_profiles(
    root: Path,
    scan: ProjectScan,
    rules: LayerRules,
    dialect: str = "duckdb",
    target_path: str = "target",
    cache: ShapeCache | None = None,
    built: Mapping[str, tuple[str, ...]] | None = None,
    workers: int = 1,
) -> list[Profile]:
    """Every enabled SQL model's profile (disabled and Python models are left out: dbt builds neither).

    The files are read first and parsed together, so that a large project's parses can share the
    cores and unchanged files come from `cache`."""
    catalog = catalog_columns(root / target_path / "catalog.json")
    catalog_time = _mtime(root / target_path / "catalog.json")
    models = [m for m in scan.models if m.enabled and m.language == "sql"]
    shapes = _project_shapes(root, models, dialect, cache, workers)
    return [_profile(root, model, shape, scan, rules, catalog, catalog_time, built) for model, shape in zip(models, shapes)]


def _project_shapes(root: Path, models: list[ModelFile], dialect: str, cache: ShapeCache | None, workers: int = 1) -> list[SqlShape | None]:
    """Each model's shape (None for an empty or unreadable file): cached ones as they are, the rest parsed."""
    texts, digests = [], []
    for model in models:
        data = _read_bytes(root / model.path)
        texts.append(decode_text(data)[0] if data else "")
        digests.append(shape_digest(data, dialect) if cache is not None else "")
    shapes: list[SqlShape | None] = [
        cache.get(model.path, digest, text) if cache is not None and text else None
        for model, digest, text in zip(models, digests, texts)
    ]
    missing = [i for i, (shape, text) in enumerate(zip(shapes, texts)) if shape is None and text]
    for i, shape in zip(missing, shapes_of([texts[i] for i in missing], dialect, workers)):
        shapes[i] = shape
        if cache is not None:
            cache.put(models[i].path, digests[i], shape)
    if cache is not None:
        cache.forget_missing({model.path for model in models})
        cache.save()
    return shapes


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
    return _profile(root, model, shape, scan, rules, catalog, catalog_time)


def _profile(
    root: Path,
    model: ModelFile,
    shape: SqlShape | None,
    scan: ProjectScan,
    rules: LayerRules,
    catalog: Mapping[str, tuple[str, ...]] | None,
    catalog_time: float,
    built: Mapping[str, tuple[str, ...]] | None = None,
) -> Profile:
    """Columns from the YAML entry, else a catalog newer than the file, else the built relation
    in the warehouse (`built`, by relation name), else the SQL's final select."""
    entry = scan.entry_for(model.name)
    columns: Iterable[str] = entry.column_names if entry and entry.column_names else ()
    if not columns and catalog and model.name in catalog and _mtime(root / model.path) <= catalog_time:
        columns = catalog[model.name]
    if not columns and built:
        columns = built.get(model.name.lower(), ())
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
    return decode_text(_read_bytes(path))[0]


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
