"""Gathering what steps 2 and 3 propose for one model: the docs scaffold and the test suggestions.

Run in a worker: the columns are read through the warehouse (the compiled query described), the
upstream descriptions from the schema files of the models it refs, the profile by the model's
compiled query on a read-only connection (nothing is written; the model need not be built).
"""

from __future__ import annotations

from pathlib import Path

from tui.core.project.dbt_project import DbtProject
from tui.core.project.layers import Layer
from tui.core.project.records import ModelFile, ProjectScan
from tui.core.warehouse.catalog import built_relation
from tui.core.warehouse.query_rows import query_columns
from tui.core.warehouse.reader import Reader, reader_for
from tui.core.workflow.artifacts import read_entry_data
from tui.core.workflow.passthrough import passed_through
from tui.core.workflow.scaffold import Scaffold, UpstreamDocs, scaffold_entry
from tui.core.workflow.suggest import Suggestion, profile_model, relationship_suggestion, suggestions, test_names, unmatched_count


def docs_scaffold(project: DbtProject, scan: ProjectScan, model: ModelFile, compiled_sql: str) -> Scaffold:
    """The model's entry filled in (see tui.core.workflow.scaffold); warehouse errors propagate."""
    columns = query_columns(reader_for(project.connection), compiled_sql)
    existing = entry_of(project.root, scan, model.name)
    passed = passed_through(compiled_sql, project.sql_dialect_source)
    return scaffold_entry(model.name, columns, existing, passed, upstream_docs(project.root, scan, model))


def entry_of(root: Path, scan: ProjectScan, model_name: str) -> dict | None:
    entry = scan.entry_for(model_name)
    return read_entry_data(root / entry.path, model_name) if entry is not None else None


def upstream_docs(root: Path, scan: ProjectScan, model: ModelFile) -> UpstreamDocs:
    docs: dict[str, dict[str, str]] = {}
    for name in model.refs:
        entry = entry_of(root, scan, name)
        columns = entry.get("columns") if entry else None
        if isinstance(columns, list):
            docs[name.lower()] = {
                str(c.get("name")).lower(): str(c.get("description") or "") for c in columns if isinstance(c, dict)
            }
    return docs


def test_suggestions(project: DbtProject, scan: ProjectScan, model: ModelFile, compiled_sql: str) -> list[Suggestion]:
    """Profile the model's query (read-only) and propose tests; warehouse errors propagate."""
    reader = reader_for(project.connection)
    columns = query_columns(reader, compiled_sql)
    profile = profile_model(reader, compiled_sql, columns)
    entry = entry_of(project.root, scan, model.name) or {}
    existing = {"": test_names(entry.get("data_tests") or entry.get("tests") or [])}
    for column in entry.get("columns") or []:
        if isinstance(column, dict):
            existing[str(column.get("name")).lower()] = test_names(column.get("data_tests") or column.get("tests") or [])
    found = suggestions(profile, existing, (project.root / "dbt_packages" / "dbt_utils").is_dir())
    keyed = {s.column for s in found if s.test == "unique"} | {c for c, tests in existing.items() if "unique" in tests}
    for column in profile.columns:
        if _own_key(model.name, column.name):
            continue
        if column.name.lower().endswith("_id") and column.name.lower() not in {k.lower() for k in keyed if k} and "relationships" not in existing.get(column.name.lower(), []):
            found += _relationship(reader, project, scan, model, compiled_sql, column.name, profile.rows)
    return found


LAYER_ORDER = {Layer.STAGING: 0, Layer.INTERMEDIATE: 1, Layer.MARTS: 2}


def _own_key(model_name: str, column: str) -> bool:
    """`decision_id` in stg_decisions is the model's own key, not a reference to another model."""
    subject = column.lower().removesuffix("_id")
    return bool(subject) and subject in model_name.lower()


def _may_reference(child: ModelFile, parent: ModelFile) -> bool:
    """A relationship points to the same layer or an earlier one (staging never to a mart)."""
    return LAYER_ORDER.get(parent.layer, 3) <= LAYER_ORDER.get(child.layer, 3)


def _relationship(reader: Reader, project: DbtProject, scan: ProjectScan, model: ModelFile, sql: str, column: str, rows: int) -> list[Suggestion]:
    """A `relationships` test to the first parent model whose key is this column and holds every value."""
    for parent in sorted(scan.models, key=lambda m: (not m.name.startswith("dim_"), m.name)):  # dimensions first
        entry = scan.entry_for(parent.name)
        if parent.name == model.name or not _may_reference(model, parent) or entry is None or not entry.primary_key_tested or column.lower() not in {c.lower() for c in entry.column_names}:
            continue
        data = read_entry_data(project.root / entry.path, parent.name) or {}
        key = next((c for c in data.get("columns") or [] if isinstance(c, dict) and str(c.get("name")).lower() == column.lower()), None)
        if key is None or "unique" not in test_names(key.get("data_tests") or key.get("tests") or []):
            continue
        relation = built_relation(reader, parent.name)
        if relation is None:
            continue
        found = relationship_suggestion(column, parent.name, str(key["name"]), unmatched_count(reader, sql, column, relation, str(key["name"])), rows)
        if found is not None:
            return [found]
    return []

