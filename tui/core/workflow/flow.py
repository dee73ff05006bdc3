"""A model's workflow now, and what a person can do to it: start, approve, request changes, run.

`flow_of` joins the record with the files as they are (so an edit made anywhere shows at once);
the operations check the step's state again against the files when they write, so an approval
is always of exactly what was shown. Approving is only done here, called by the review screen:
no command-line path or configuration leads to it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

from tui.core.discover.decisions import read_create_anyway
from tui.core.errors import WorkbenchError
from tui.core.project.records import ModelFile, ProjectScan
from tui.core.workflow.artifacts import Artifacts, read_artifacts
from tui.core.workflow.machine import StepState, basis_before, current_step, run_digest, step_states
from tui.core.workflow.record import Approval, HistoryEvent, ModelRecord, RunRecord
from tui.core.workflow.steps import Status, Step
from tui.core.workflow.store import StateUnreadable, WorkflowStore, current_user, now_text


class StepRefused(WorkbenchError):
    """An approval (or another step action) that the step's state does not allow, with why."""


@dataclass(frozen=True, slots=True)
class ModelFlow:
    model: str
    record: ModelRecord | None = None
    problem: StateUnreadable | None = None
    artifacts: Artifacts | None = None
    states: tuple[StepState, ...] = ()
    artifact_problem: str = ""

    @property
    def managed(self) -> bool:
        return self.record is not None

    def state_of(self, step: Step) -> StepState | None:
        return next((state for state in self.states if state.step is step), None)

    @property
    def current(self) -> StepState | None:
        return current_step(list(self.states))

    @property
    def complete(self) -> bool:
        return bool(self.states) and all(state.status is Status.APPROVED for state in self.states)

    def locked_reason(self, step: Step) -> str | None:
        """Why `step` is locked for this model, or None (unmanaged models have no locks). A
        workflow file that cannot be read locks every step after the SQL: it is not overwritten
        and not ignored."""
        if self.problem is not None:
            return None if step is Step.SQL else f"its workflow file cannot be read ({self.problem.reason}); start again (w) to keep it aside"
        state = self.state_of(step)
        if not self.managed:
            return None
        if state is None:
            return self.artifact_problem or "the model's files cannot be read"
        return state.reason if state.status is Status.LOCKED else None


def flow_of(store: WorkflowStore, scan: ProjectScan, model: ModelFile) -> ModelFlow:
    loaded = store.load(model.name)
    if loaded.record is None:
        return ModelFlow(model.name, problem=loaded.problem)
    try:
        artifacts = read_artifacts(store.root, model, scan)
    except WorkbenchError as error:
        return ModelFlow(model.name, loaded.record, artifact_problem=str(error))
    return ModelFlow(model.name, loaded.record, None, artifacts, tuple(step_states(loaded.record, artifacts)))


def start_change(store: WorkflowStore, model: ModelFile, note: str = "") -> ModelRecord:
    """Bring a model into the workflow (step 1 opens); the wizard's "create anyway" reason goes in the history."""
    user, at = current_user(), now_text()

    def start(record: ModelRecord | None) -> ModelRecord:
        if record is not None:
            raise StepRefused(f"{model.name} is in the workflow already")
        history = [HistoryEvent("started", at, user, note=note)]
        decision = read_create_anyway(store.root, model.name)
        if decision is not None:
            names = ", ".join(name for name, _ in decision.candidates)
            history.append(HistoryEvent("create_anyway", decision.at, decision.user, note=f"{decision.reason} (similar: {names})"))
        return ModelRecord(model.name, model.path, at, user, history=tuple(history))

    if store.load(model.name).problem is not None:
        backup = store.start_over(model.name, start(None))
        kept = f"; kept as {backup.name}" if backup else ""
        return store.change(model.name, lambda record: record.with_event(
            HistoryEvent("reset", at, user, note=f"the old workflow file could not be read{kept}")
        ))
    return store.change(model.name, start)


def approve(
    store: WorkflowStore, scan: ProjectScan, model: ModelFile, step: Step, seen: Artifacts,
    note: str = "", blockers: Sequence[str] = (), override: str = "",
) -> ModelRecord:
    """Approve `step` as the person saw it (`seen`); refused when the files changed meanwhile."""
    if step is Step.RUN:
        raise StepRefused("The run is approved by running it: a passing dbt run and test completes step 4.")
    override = " ".join(override.split())
    if blockers and not override:
        raise StepRefused("The SQL names relations directly (" + ", ".join(blockers) + "): give a reason to approve it anyway.")
    user, at = current_user(), now_text()

    def edit(record: ModelRecord | None) -> ModelRecord:
        now = _artifacts_now(store, scan, model, record)
        if now.of(step).digest != seen.of(step).digest or basis_before(step, now) != basis_before(step, seen):
            raise StepRefused(f"The {step.title} changed on disk while you were reviewing it: review it again.")
        state = step_states(record, now)[step.number - 1]
        if state.status in (Status.LOCKED, Status.APPROVED):
            raise StepRefused(f"Step {step.number} ({step.title}) is {state.status.value}: {state.reason}.")
        if not now.of(step).exists:
            raise StepRefused(f"Nothing to approve yet: {state.reason}.")
        artifact = now.of(step)
        approval = Approval(step, artifact.digest, basis_before(step, now), user, at, note, artifact.text, override).sealed(model.name)
        event_note = note if not override else f"{note} (approved although it names relations directly: {override})".strip()
        return replace(record, approvals={**record.approvals, step: approval}).with_event(
            HistoryEvent("approved", at, user, step.value, event_note)
        )

    return store.change(model.name, edit)


def request_changes(store: WorkflowStore, model: ModelFile, step: Step, note: str) -> ModelRecord:
    """Keep the step open and record what should change."""
    note = " ".join(note.split())
    if not note:
        raise StepRefused("Say what should change: the note is kept in the model's history.")
    user, at = current_user(), now_text()

    def edit(record: ModelRecord | None) -> ModelRecord:
        if record is None:
            raise StepRefused(f"{model.name} is not in the workflow")
        return record.with_event(HistoryEvent("changes_requested", at, user, step.value, note))

    return store.change(model.name, edit)


def record_run(
    store: WorkflowStore, scan: ProjectScan, model: ModelFile, ran_on: Artifacts, passed: bool, summary: str,
    failing: Sequence[str] = (),
) -> ModelRecord:
    """Step 4's result: a pass completes the workflow (for these artifacts), a failure leaves it open."""
    user, at = current_user(), now_text()

    def edit(record: ModelRecord | None) -> ModelRecord:
        if record is None:
            raise StepRefused(f"{model.name} is not in the workflow")
        run = RunRecord(passed, at, user, summary, ran_on.digests(), tuple(failing))
        approvals = dict(record.approvals)
        approvals.pop(Step.RUN, None)
        states = step_states(record, ran_on)
        unchanged = read_artifacts(store.root, model, scan).digests() == ran_on.digests()
        if passed and unchanged and all(s.status is Status.APPROVED for s in states[:3]):
            approvals[Step.RUN] = Approval(Step.RUN, run_digest(ran_on), ran_on.digests(), user, at, "", summary).sealed(model.name)
        kind = "run_passed" if passed else "run_failed"
        return replace(record, approvals=approvals, last_run=run).with_event(HistoryEvent(kind, at, user, Step.RUN.value, summary))

    return store.change(model.name, edit)


def _artifacts_now(store: WorkflowStore, scan: ProjectScan, model: ModelFile, record: ModelRecord | None) -> Artifacts:
    if record is None:
        raise StepRefused(f"{model.name} is not in the workflow: start a change on it first")
    return read_artifacts(store.root, model, scan)


def unmanaged_reason(model_name: str) -> str:
    return f"{model_name} is not in the workflow (it existed before the workbench): start a change on it to bring it in"

