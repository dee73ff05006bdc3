"""The scan as plain JSON-ready data, for `dbt-workbench models --json`, scripts and tests."""

from __future__ import annotations

from typing import Any

from tui.core.project.records import ProjectScan


def scan_as_data(scan: ProjectScan) -> dict[str, Any]:
    """One record per model (sorted by path) plus the project's file problems."""
    models = []
    for model in scan.models:
        entry = scan.entry_for(model.name)
        models.append(
            {
                "name": model.name,
                "layer": model.layer.value,
                "path": model.path,
                "language": model.language,
                "enabled": model.enabled,
                "disabled_by": model.disabled_by,
                "materialized": model.materialized,
                "tags": list(model.tags),
                "schema": model.schema_name,
                "yml_file": entry.path if entry else None,
                "yml_line": entry.line if entry else None,
                "documented": bool(entry and entry.documented),
                "tested": bool(entry and entry.tested),
                "refs": list(model.refs),
                "sources": [f"{source}.{table}" for source, table in model.sources],
            }
        )
    problems = [{"path": p.path, "line": p.line, "message": p.message} for p in scan.all_problems()]
    return {
        "project": scan.project_name,
        "lineage": scan.lineage_source,
        "models": models,
        "sources": [f"{s.source_name}.{s.table_name}" for s in scan.schema.sources],
        "problems": problems,
    }
