"""The workflow of every managed model, for `dbt-workbench status` and `check` (scripts, CI, agents).

Read-only: nothing here can approve. A record whose model is gone from the project (renamed or
deleted) is listed as missing, and a record that cannot be read as unreadable, never skipped.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.project.records import ProjectScan
from tui.core.workflow.flow import ModelFlow, flow_of
from tui.core.workflow.steps import Status
from tui.core.workflow.store import WorkflowStore


@dataclass(frozen=True, slots=True)
class ModelStatus:
    model: str
    state: str
    """complete, in_progress, missing (no such model now), unreadable (the record), unreadable_files."""
    flow: ModelFlow | None
    message: str = ""

    @property
    def passes_check(self) -> bool:
        return self.state == "complete"

    def as_json(self) -> dict:
        data: dict = {"model": self.model, "state": self.state}
        if self.message:
            data["message"] = self.message
        if self.flow is not None and self.flow.states:
            data["steps"] = [
                {"step": s.step.value, "number": s.step.number, "status": s.status.value, "reason": s.reason}
                | ({"approved_by": s.approval.by, "approved_at": s.approval.at} if s.approval and s.status is Status.APPROVED else {})
                for s in self.flow.states
            ]
            current = self.flow.current
            data["next"] = current.step.value if current else None
        return data

    def text(self) -> str:
        if self.flow is None or not self.flow.states:
            return f"{self.model}: {self.state.replace('_', ' ')}: {self.message}"
        steps = "  ".join(state.words for state in self.flow.states)
        current = self.flow.current
        tail = f"\n    next: {current.step.number} {current.step.title}: {current.reason}" if current else ""
        locked = [s for s in self.flow.states if s.status is Status.LOCKED]
        if current is None and locked:
            tail = f"\n    {locked[0].reason}"
        return f"{self.model}: {steps}{tail}"


def workflow_statuses(store: WorkflowStore, scan: ProjectScan, only: str | None = None) -> list[ModelStatus]:
    names = [only] if only else store.managed()
    statuses = []
    for name in names:
        model = scan.model_named(name)
        loaded = store.load(name)
        if loaded.problem is not None:
            statuses.append(ModelStatus(name, "unreadable", None, f"{loaded.problem} (open it in the app to start again)"))
        elif loaded.record is None:
            statuses.append(ModelStatus(name, "unmanaged", None, "not in the workflow (start a change on it in the app)"))
        elif model is None:
            statuses.append(ModelStatus(name, "missing", None, f"no model of this name now (was {loaded.record.path}: renamed or deleted?)"))
        else:
            flow = flow_of(store, scan, model)
            if flow.artifact_problem:
                statuses.append(ModelStatus(name, "unreadable_files", flow, flow.artifact_problem))
            else:
                statuses.append(ModelStatus(name, "complete" if flow.complete else "in_progress", flow))
    return statuses
