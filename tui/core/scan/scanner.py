"""Scan a dbt project without dbt: models first (fast), then the schema YAML index.

The two halves are separate so that the UI can show the tree as soon as the models are known
and fill in the documented/tested markers when the YAML index arrives.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tui.core.project.records import FileProblem, ModelFile, ProjectScan, SchemaIndex
from tui.core.project.layers import LayerRules
from tui.core.project.manifest import is_fresh, read_manifest_models
from tui.core.scan.model_reading import ProjectReading
from tui.core.scan.model_files import FoundFiles, read_model, walk_model_dirs
from tui.core.project.dbt_project import DbtProject
from tui.core.files import digest_bytes
from tui.core.scan.cache import SchemaCache
from tui.core.scan.schema_index import SchemaFileIndex, index_schema_text, read_schema_file

LINEAGE_FROM_TEXT = "text"
LINEAGE_FROM_MANIFEST = "manifest"


class ProjectScanner:
    """Scans one project; keep it for a rescan so the schema cache stays warm in memory."""

    def __init__(self, project: DbtProject, rules: LayerRules | None = None, cache: SchemaCache | None = None,
                 render_cache_dir: Path | None = None):
        self.project = project
        self.rules = rules or LayerRules()
        self.cache = cache
        self._found: FoundFiles | None = None
        self._render_cache_dir = render_cache_dir or (cache.path.parent if cache is not None else None)

    def scan_models(self, defer_renders: bool = False) -> ProjectScan:
        """Every model file with its layer and lineage; the schema index is left empty.

        `defer_renders` (the first frame): a model whose lineage needs a render the cache does not
        hold keeps its text lineage for now and is listed in `pending_renders`."""
        root = self.project.root
        self._found = walk_model_dirs(root, self.project.model_dirs())
        # A fresh reading each time: macros may have changed.
        reading = ProjectReading.of(self.project, self._render_cache_dir, defer_renders)
        pending: list[str] = []
        models = [read_model(root, base, path, self.rules, reading, pending) for base, path in self._found.models]
        reading.save_cache()
        lineage = LINEAGE_FROM_TEXT
        if is_fresh(self.project.manifest_path, self._found.newest_mtime):
            merged = _with_manifest_lineage(models, self.project)
            if merged is not None:
                models, lineage = merged, LINEAGE_FROM_MANIFEST
        problems = [*self._found.problems, *_model_problems(models)]
        return ProjectScan(self.project.name, tuple(models), SchemaIndex(), lineage, tuple(problems), tuple(pending))

    def complete_renders(self, scan: ProjectScan) -> ProjectScan:
        """Render the models a fast scan left pending; the rest of the scan is kept as it is."""
        if not scan.pending_renders:
            return scan
        root = self.project.root
        reading = ProjectReading.of(self.project, self._render_cache_dir)
        bases = sorted((Path(base) for base in self.project.model_dirs()), key=lambda b: len(str(b)), reverse=True)
        waiting = set(scan.pending_renders)
        models = []
        for model in scan.models:
            base = next((b for b in bases if (root / model.path).is_relative_to(b)), None) if model.path in waiting else None
            models.append(read_model(root, base, root / model.path, self.rules, reading) if base is not None else model)
        reading.save_cache()
        return replace(scan, models=tuple(models), pending_renders=())

    def index_schema(self) -> SchemaIndex:
        """Index every schema file found by the last scan_models(), using the cache where it can."""
        found = self._found or walk_model_dirs(self.project.root, self.project.model_dirs())
        index = SchemaIndex()
        present = set()
        for path in found.schema_files:
            rel_path = path.relative_to(self.project.root).as_posix()
            present.add(rel_path)
            file_index = self._index_file(path, rel_path, index)
            if file_index is not None:
                _add_file_index(index, file_index)
        if self.cache is not None:
            self.cache.forget_missing(present)
            self.cache.save()
        index.complete = True
        return index

    def _index_file(self, path: Path, rel_path: str, index: SchemaIndex) -> SchemaFileIndex | None:
        data, problem = read_schema_file(self.project.root, path)
        if data is None:
            index.problems.append(problem)
            return None
        digest = digest_bytes(data)
        cached = self.cache.get(rel_path, digest) if self.cache else None
        if cached is not None:
            return cached
        file_index = index_schema_text(rel_path, data)
        if self.cache is not None:
            self.cache.put(rel_path, digest, file_index)
        return file_index

    def scan(self) -> ProjectScan:
        """Both halves at once, for the CLI and tests."""
        models_scan = self.scan_models()
        return replace(models_scan, schema=self.index_schema())


def _add_file_index(index: SchemaIndex, file_index: SchemaFileIndex) -> None:
    if file_index.problem is not None:
        index.problems.append(file_index.problem)
        for name in file_index.named:
            index.named_in_rejected.setdefault(name, file_index.problem)
    for entry in file_index.entries:
        earlier = index.entries.get(entry.name)
        if earlier is not None:
            message = f"model '{entry.name}' also has an entry in {earlier.path}:{earlier.line}"
            index.problems.append(FileProblem(entry.path, message, entry.line))
            continue
        index.entries[entry.name] = entry
    index.sources.extend(file_index.sources)


def _model_problems(models: list[ModelFile]) -> list[FileProblem]:
    problems = [FileProblem(model.path, model.problem) for model in models if model.problem]
    first_path: dict[str, str] = {}
    for model in models:
        if model.name in first_path and model.enabled:
            problems.append(FileProblem(model.path, f"another model is named '{model.name}': {first_path[model.name]}"))
        first_path.setdefault(model.name, model.path)
    return problems


def _with_manifest_lineage(models: list[ModelFile], project: DbtProject) -> list[ModelFile] | None:
    by_path = read_manifest_models(project.manifest_path, project.name)
    if by_path is None:
        return None
    merged = []
    for model in models:
        known = by_path.get(model.path)  # both relative to the project root
        if known is None:
            merged.append(model)
            continue
        merged.append(replace(model, refs=known.refs, sources=known.sources, enabled=known.enabled))
    return merged


def scan_project(project: DbtProject, rules: LayerRules | None = None, cache: SchemaCache | None = None) -> ProjectScan:
    return ProjectScanner(project, rules, cache).scan()
