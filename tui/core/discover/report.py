"""The duplicate finder for a whole project: build its index from a scan, as the app and the
`dupes` command both do, and say in words what a pair or a candidate list means."""

from __future__ import annotations

from pathlib import Path

from tui.core.discover.finder import Candidate, DuplicateIndex, Pair
from tui.core.discover.profiles import project_profiles
from tui.core.discover.shape_cache import ShapeCache
from tui.core.project.dbt_project import DbtProject
from tui.core.project.layers import LayerRules
from tui.core.project.records import ProjectScan
from tui.core.sql.relations import sqlglot_dialect
from tui.core.warehouse.built import built_columns


def project_index(
    project: DbtProject, scan: ProjectScan, rules: LayerRules, cache: ShapeCache | None = None, workers: int = 1
) -> DuplicateIndex:
    """Every model's profile, read from disk (one file read each; a parse unless `cache` has the
    file), with the columns of the relations already built in the warehouse. `workers` > 1
    parses in forked processes: only for a process without threads (the `dupes` command)."""
    dialect = sqlglot_dialect(project.sql_dialect_source)
    source_schemas = frozenset(table.source_name.lower() for table in scan.schema.sources)
    built, _said = built_columns(project.connection, source_schemas)
    profiles = project_profiles(project.root, scan, rules, dialect, project.target_path, cache, built, workers)
    return DuplicateIndex.build(profiles)


def sql_dialect(project: DbtProject) -> str:
    return sqlglot_dialect(project.sql_dialect_source)


def pairs_as_json(pairs: list[Pair]) -> list[dict]:
    return [
        {"models": [pair.first.name, pair.second.name], "paths": [pair.first.path, pair.second.path],
         "score": round(pair.score, 3), "reasons": list(pair.second.reasons)}
        for pair in pairs
    ]


def candidates_text(candidates: list[Candidate]) -> str:
    if not candidates:
        return "No existing model looks like it."
    lines = []
    for candidate in candidates:
        mark = "likely duplicate" if candidate.likely else "related"
        lines.append(f"{candidate.score:.2f}  {candidate.name}  ({mark}, {candidate.path})")
        lines.extend(f"      - {reason}" for reason in candidate.reasons)
    return "\n".join(lines)


def pairs_text(pairs: list[Pair], model_count: int) -> str:
    if not pairs:
        return f"No likely duplicates among {model_count} models."
    lines = [f"{len(pairs)} likely duplicate pair(s) among {model_count} models:"]
    for pair in pairs:
        lines.append(f"{pair.score:.2f}  {pair.first.name} ~ {pair.second.name}")
        lines.extend(f"      - {reason}" for reason in pair.second.reasons)
    return "\n".join(lines)


def read_sql_file(path: Path) -> str:
    """A draft's SQL for `dupes --sql FILE`; a clear error when it cannot be read."""
    from tui.core.errors import WorkbenchError

    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise WorkbenchError(f"cannot read the draft SQL {path}: {error}") from None


def usable_cores() -> int:
    """The cores this process may run on (a container or taskset may allow fewer than exist)."""
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
