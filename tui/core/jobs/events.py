"""dbt's structured log lines (`--log-format json`, dbt 1.11) as typed progress events.

Only what the workbench shows is kept: a node starting, a node finishing (status, seconds,
failures), and error text. A NodeFinished replaces the NodeStarted of the same node
(`replaces`), so a progress list holds one line per node. Lines that are not JSON (a warning a
package prints) are kept as plain log text, never dropped and never fatal.
"""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NodeStarted:
    unique_id: str
    name: str
    resource_type: str
    index: int
    total: int

    @property
    def replaces(self) -> str:
        return self.unique_id


@dataclass(frozen=True, slots=True)
class NodeFinished:
    unique_id: str
    name: str
    resource_type: str
    status: str
    """dbt's word: success, error, skipped, pass, fail, warn."""
    seconds: float
    index: int
    total: int
    failures: int | None = None

    @property
    def replaces(self) -> str:
        return self.unique_id


@dataclass(frozen=True, slots=True)
class JobLog:
    """A line worth showing: an error, a warning, or the summary."""

    level: str
    text: str
    event: str
    """dbt's event name (MainEncounteredError, RunResultError...), for the error explainer."""
    path: str | None = None
    invocation_id: str | None = None

    replaces = None


@dataclass(frozen=True, slots=True)
class Compiled:
    """`dbt compile --select m` said what m compiles to (from the file as it is now)."""

    unique_id: str
    name: str
    sql: str

    replaces = None


Event = NodeStarted | NodeFinished | JobLog | Compiled

_SHOWN_EVENTS = frozenset({"MainEncounteredError", "RunResultError", "RunResultFailure", "EndOfRunSummary", "StatsLine", "FoundStats"})


def parse_event(line: str) -> Event | None:
    """One stdout line of dbt as an event; None for lines that say nothing to the user."""
    text = line.strip()
    if not text:
        return None
    try:
        record = json.loads(text)
        info, data = record["info"], record.get("data") or {}
        name = info["name"]
    except (ValueError, KeyError, TypeError):
        return JobLog("info", text, "text")
    node = data.get("node_info") or {}
    if name == "LogStartLine" and node:
        return NodeStarted(node["unique_id"], node.get("node_name", ""), node.get("resource_type", ""), int(data.get("index", 0)), int(data.get("total", 0)))
    if name in ("LogModelResult", "LogTestResult", "LogSeedResult", "LogSnapshotResult", "LogNodeResult") and node:
        failures = data.get("num_failures")
        return NodeFinished(
            node["unique_id"],
            node.get("node_name", ""),
            node.get("resource_type", ""),
            str(node.get("node_status") or data.get("status") or "").lower(),
            float(data.get("execution_time") or 0.0),
            int(data.get("index", 0)),
            int(data.get("total") or data.get("num_models") or 0),
            int(failures) if failures is not None else None,
        )
    if name == "CompiledNode" and "compiled" in data:
        return Compiled(str(data.get("unique_id", "")), str(data.get("node_name", "")), str(data["compiled"]))
    if name in _SHOWN_EVENTS or info.get("level") == "error":
        message = str(data.get("exc") or data.get("msg") or info.get("msg") or "")
        return JobLog(str(info.get("level", "info")), message.strip(), name, data.get("path"), info.get("invocation_id"))
    if name == "MainReportVersion":
        return JobLog("debug", str(info.get("msg", "")), name, None, info.get("invocation_id"))
    return None
