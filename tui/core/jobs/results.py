"""The authoritative result of a job: dbt's `target/run_results.json`, read after the child exits.

The file is trusted only when it is this job's: its invocation id must be the one the job's own
log lines carried, so a file left by an earlier run (or by a job that died before writing) is
never shown as this job's result.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class NodeResult:
    unique_id: str
    name: str
    resource_type: str
    status: str
    seconds: float
    message: str
    failures: int | None
    compiled_code: str | None
    relation_name: str | None
    rows_affected: int | None

    @property
    def failed(self) -> bool:
        return self.status in ("fail", "error", "runtime error")


def read_run_results(path: Path, invocation_id: str | None) -> tuple[NodeResult, ...] | None:
    """The job's node results; None when the file is missing, unreadable, or another run's."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if invocation_id is not None and data.get("metadata", {}).get("invocation_id") != invocation_id:
        return None
    return tuple(_node_result(item) for item in data.get("results", ()))


def _node_result(item: dict) -> NodeResult:
    unique_id = str(item.get("unique_id", ""))
    parts = unique_id.split(".")
    response = item.get("adapter_response") or {}
    rows = response.get("rows_affected")
    failures = item.get("failures")
    return NodeResult(
        unique_id,
        node_name(unique_id),
        parts[0] if parts else "",
        str(item.get("status", "")),
        float(item.get("execution_time") or 0.0),
        str(item.get("message") or ""),
        int(failures) if isinstance(failures, int) else None,
        item.get("compiled_code"),
        item.get("relation_name"),
        int(rows) if isinstance(rows, int) and rows >= 0 else None,
    )


def node_name(unique_id: str) -> str:
    """The name people know a node by: `test.pkg.not_null_x_id.befc56156d` is not_null_x_id,
    `source.pkg.raw.cases` is raw.cases."""
    parts = unique_id.split(".")
    if len(parts) < 3:
        return unique_id
    if parts[0] == "source":
        return ".".join(parts[2:])
    return parts[2]
