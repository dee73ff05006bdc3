"""One model's workflow record: its approvals, its last run and its history, as plain data.

The record is written as JSON with sorted keys and one field per line, so a change to it reads
well in a git diff. Each approval carries a seal: a hash over everything it says (the model, the
step, the hash of what was approved, who, when, the note). An approval edited by hand, or added
by hand without this code, does not match its seal and counts for nothing. The seal tells hand
edits from approvals made in the app; it is not a signature against someone who runs this code.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from tui.core.workflow.steps import Step

FORMAT = 1
_SEAL_SALT = "dbt-workbench approval, format 1"


@dataclass(frozen=True, slots=True)
class Approval:
    """A step approved by a person at the keyboard; `digest` is the hash of what they saw."""

    step: Step
    digest: str
    basis: dict[str, str]
    """The hashes of the earlier steps' artifacts when this one was approved."""
    by: str
    at: str
    note: str = ""
    content: str = ""
    """What was approved, as text: a later review shows the diff against it."""
    override: str = ""
    """Why step 1 was approved although the SQL names a relation directly."""
    seal: str = ""

    def sealed(self, model: str) -> "Approval":
        return replace(self, seal=seal_of(model, self))

    def seal_holds(self, model: str) -> bool:
        return bool(self.seal) and self.seal == seal_of(model, self)


def seal_of(model: str, approval: Approval) -> str:
    fields = {key: value for key, value in _approval_json(approval).items() if key != "seal"}
    text = json.dumps({"model": model, **fields}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{_SEAL_SALT}\0{text}".encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class RunRecord:
    """The last run and test of the model (step 4): what happened, on which artifacts."""

    passed: bool
    at: str
    by: str
    summary: str
    basis: dict[str, str]
    failing: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HistoryEvent:
    kind: str
    """started, approved, changes_requested, run_passed, run_failed, create_anyway, reset."""
    at: str
    by: str
    step: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class ModelRecord:
    model: str
    path: str
    started_at: str
    started_by: str
    approvals: dict[Step, Approval] = field(default_factory=dict)
    last_run: RunRecord | None = None
    history: tuple[HistoryEvent, ...] = ()

    def with_event(self, event: HistoryEvent) -> "ModelRecord":
        return replace(self, history=(*self.history, event))


def record_to_json(record: ModelRecord) -> str:
    """Deterministic text: the same record always writes the same bytes."""
    data = {
        "format": FORMAT,
        "model": record.model,
        "path": record.path,
        "started": {"at": record.started_at, "by": record.started_by},
        "approvals": {step.value: _approval_json(a) for step, a in sorted(record.approvals.items(), key=lambda i: i[0].number)},
        "last_run": asdict(record.last_run) if record.last_run else None,
        "history": [_compact(asdict(event)) for event in record.history],
    }
    if data["last_run"] is not None:
        data["last_run"]["failing"] = list(record.last_run.failing)
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _approval_json(approval: Approval) -> dict[str, Any]:
    data = asdict(approval)
    data["step"] = approval.step.value
    return data


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value != ""}


class RecordInvalid(ValueError):
    """The file is not a record this version can read; the message says why."""


def record_from_json(text: str) -> ModelRecord:
    try:
        data = json.loads(text)
    except ValueError as error:
        raise RecordInvalid(f"not valid JSON ({error})") from None
    if not isinstance(data, dict):
        raise RecordInvalid("not a workflow record (no JSON object)")
    version = data.get("format")
    if not isinstance(version, int):
        raise RecordInvalid("it has no format version")
    if version > FORMAT:
        raise RecordInvalid(f"it was written by a newer dbt-workbench (format {version}; this one reads format {FORMAT})")
    try:
        return _record(data)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise RecordInvalid(f"a field is missing or of the wrong kind ({error!r})") from None


def _record(data: dict[str, Any]) -> ModelRecord:
    approvals = {}
    for step_name, item in (data.get("approvals") or {}).items():
        step = Step(step_name)
        approvals[step] = Approval(
            step=Step(item["step"]), digest=str(item["digest"]), basis={str(k): str(v) for k, v in item["basis"].items()},
            by=str(item["by"]), at=str(item["at"]), note=str(item.get("note", "")), content=str(item.get("content", "")),
            override=str(item.get("override", "")), seal=str(item.get("seal", "")),
        )
    run = data.get("last_run")
    last_run = None
    if run:
        last_run = RunRecord(
            passed=bool(run["passed"]), at=str(run["at"]), by=str(run["by"]), summary=str(run["summary"]),
            basis={str(k): str(v) for k, v in run["basis"].items()}, failing=tuple(str(f) for f in run.get("failing", ())),
        )
    history = tuple(
        HistoryEvent(kind=str(e["kind"]), at=str(e["at"]), by=str(e["by"]), step=str(e.get("step", "")), note=str(e.get("note", "")))
        for e in data.get("history") or ()
    )
    started = data["started"]
    return ModelRecord(
        model=str(data["model"]), path=str(data["path"]), started_at=str(started["at"]), started_by=str(started["by"]),
        approvals=approvals, last_run=last_run, history=history,
    )
