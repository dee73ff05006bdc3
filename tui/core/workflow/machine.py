"""The four-step state machine: each step's state, worked out from the record and the files now.

Nothing here is stored: a step is approved when its approval's seal holds, the hash of what was
approved is the hash of the artifact now, and the earlier steps are what they were when it was
approved. An approval whose artifact (or an earlier one) changed since, by any means, is stale;
every step after one that is not approved is locked, with the reason in words.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.workflow.artifacts import Artifacts, digest_text
from tui.core.workflow.record import Approval, ModelRecord
from tui.core.workflow.steps import ARTIFACT_STEPS, STEPS, Status, Step


@dataclass(frozen=True, slots=True)
class StepState:
    step: Step
    status: Status
    reason: str
    approval: Approval | None = None

    @property
    def words(self) -> str:
        return f"{self.step.number} {self.step.title} {self.status.symbol} {self.status.value}"


def basis_before(step: Step, artifacts: Artifacts) -> dict[str, str]:
    """The hashes of the artifacts of the steps before `step`, now."""
    digests = artifacts.digests()
    return {earlier.value: digests[earlier.value] for earlier in ARTIFACT_STEPS if earlier.number < step.number}


def run_digest(artifacts: Artifacts) -> str:
    """What a run is of: the three artifacts together."""
    digests = artifacts.digests()
    return digest_text("|".join(digests[step.value] for step in ARTIFACT_STEPS))


def step_states(record: ModelRecord, artifacts: Artifacts) -> list[StepState]:
    states: list[StepState] = []
    for step in STEPS:
        before = states[-1] if states else None
        if before is not None and before.status is not Status.APPROVED:
            states.append(StepState(step, Status.LOCKED, _locked_reason(step, before), record.approvals.get(step)))
        else:
            states.append(_state_of(step, record, artifacts))
    return states


def current_step(states: list[StepState]) -> StepState | None:
    """The step the user acts on next (open or stale); None when every step is approved."""
    return next((state for state in states if state.status in (Status.OPEN, Status.STALE)), None)


def _locked_reason(step: Step, before: StepState) -> str:
    unlocks = "The run unlocks" if step is Step.RUN else f"{step.title} unlock"
    previous = f"the {_artifact_words(before.step)}"
    if before.status is Status.STALE:
        return f"{unlocks} after you approve {previous} again ({before.reason})"
    if before.status is Status.LOCKED:
        return f"{unlocks} after {previous} {'is' if before.step is Step.SQL else 'are'} approved"
    return f"{unlocks} after you approve {previous}"


def _state_of(step: Step, record: ModelRecord, artifacts: Artifacts) -> StepState:
    approval = record.approvals.get(step)
    if approval is not None and not approval.seal_holds(record.model):
        return StepState(step, Status.OPEN, "the recorded approval does not match its seal (edited outside the app): approve again", None)
    if step is Step.RUN:
        return _run_state(record, artifacts, approval)
    if approval is None:
        return StepState(step, Status.OPEN, _open_reason(step, artifacts))
    changed = _changed_since(step, approval, artifacts)
    if changed:
        return StepState(step, Status.STALE, changed, approval)
    return StepState(step, Status.APPROVED, f"approved by {approval.by} at {approval.at}", approval)


def _open_reason(step: Step, artifacts: Artifacts) -> str:
    artifact = artifacts.of(step)
    if step is Step.DOCS and not artifact.exists:
        return "write the model's YAML entry (or scaffold it), save, then approve"
    if step is Step.TESTS and not artifact.exists:
        return "add tests to the entry (or pick suggested ones), save, then approve"
    return f"review the {_artifact_words(step)}, then approve or request changes"


def _changed_since(step: Step, approval: Approval, artifacts: Artifacts) -> str:
    """Why an approval no longer holds, in words; empty when it does."""
    if approval.digest != artifacts.of(step).digest:
        return f"the {_artifact_words(step)} changed since {'it was' if step is Step.SQL else 'they were'} approved"
    now = basis_before(step, artifacts)
    for earlier in ARTIFACT_STEPS:
        if approval.basis.get(earlier.value) != now.get(earlier.value, approval.basis.get(earlier.value)):
            return f"the {_artifact_words(earlier)} changed since the {_artifact_words(step)} were approved"
    return ""


def _artifact_words(step: Step) -> str:
    return {Step.SQL: "SQL", Step.DOCS: "docs", Step.TESTS: "tests", Step.RUN: "run"}[step]


def _run_state(record: ModelRecord, artifacts: Artifacts, approval: Approval | None) -> StepState:
    run = record.last_run
    if approval is not None and approval.digest == run_digest(artifacts):
        return StepState(Step.RUN, Status.APPROVED, f"run and tests passed at {approval.at}", approval)
    if approval is not None:
        return StepState(Step.RUN, Status.STALE, "the model changed since its last passing run: run it again", approval)
    if run is not None and not run.passed and run.basis == artifacts.digests():
        return StepState(Step.RUN, Status.OPEN, f"the last run failed: {run.summary}")
    return StepState(Step.RUN, Status.OPEN, "run and test the model (dbt run, then dbt test)")
