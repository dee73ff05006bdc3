"""The four-step state machine on the demo's files: approvals, every stale transition, locks,
edits made outside the app, forged and unreadable records, two instances on one project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.core.demo.writer import write_demo_project
from tui.core.discover.decisions import record_create_anyway
from tui.core.discover.finder import Candidate
from tui.core.project.dbt_project import load_project
from tui.core.project.layers import Layer
from tui.core.project.records import ModelFile, ProjectScan
from tui.core.scan.scanner import scan_project
from tui.core.workflow.flow import StepRefused, approve, flow_of, record_run, request_changes, start_change
from tui.core.workflow.record import record_from_json
from tui.core.workflow.steps import Status, Step
from tui.core.workflow.store import WorkflowStore

MODEL = "stg_cases"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return write_demo_project(tmp_path / "demo")


def scanned(root: Path) -> tuple[ProjectScan, ModelFile]:
    scan = scan_project(load_project(root))
    model = scan.model_named(MODEL)
    assert model is not None
    return scan, model


def statuses(root: Path) -> list[str]:
    scan, model = scanned(root)
    return [state.status.value for state in flow_of(WorkflowStore(root), scan, model).states]


def approve_now(root: Path, step: Step, **extra) -> None:
    scan, model = scanned(root)
    flow = flow_of(WorkflowStore(root), scan, model)
    approve(WorkflowStore(root), scan, model, step, flow.artifacts, **extra)


def started(root: Path) -> Path:
    scan, model = scanned(root)
    start_change(WorkflowStore(root), model)
    return root


def through_tests(root: Path) -> None:
    started(root)
    for step in (Step.SQL, Step.DOCS, Step.TESTS):
        approve_now(root, step)


def record_passing_run(root: Path) -> None:
    scan, model = scanned(root)
    flow = flow_of(WorkflowStore(root), scan, model)
    record_run(WorkflowStore(root), scan, model, flow.artifacts, True, "1 model built (500 rows), 2 tests passed")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_a_model_that_existed_before_is_unmanaged_and_has_no_locks(demo: Path) -> None:
    scan, model = scanned(demo)
    flow = flow_of(WorkflowStore(demo), scan, model)
    assert not flow.managed and flow.states == ()
    assert flow.locked_reason(Step.DOCS) is None and flow.locked_reason(Step.RUN) is None


def test_starting_opens_step_one_and_locks_the_rest_saying_why(demo: Path) -> None:
    started(demo)
    scan, model = scanned(demo)
    flow = flow_of(WorkflowStore(demo), scan, model)
    assert [s.status for s in flow.states] == [Status.OPEN, Status.LOCKED, Status.LOCKED, Status.LOCKED]
    assert flow.locked_reason(Step.DOCS) == "Docs unlock after you approve the SQL"
    assert flow.locked_reason(Step.TESTS) == "Tests unlock after the docs are approved"
    assert flow.locked_reason(Step.RUN) == "The run unlocks after the tests are approved"
    assert flow.current.step is Step.SQL


def test_each_approval_unlocks_the_next_step_and_a_passing_run_completes(demo: Path) -> None:
    started(demo)
    approve_now(demo, Step.SQL)
    assert statuses(demo) == ["approved", "open", "locked", "locked"]
    approve_now(demo, Step.DOCS)
    assert statuses(demo) == ["approved", "approved", "open", "locked"]
    approve_now(demo, Step.TESTS)
    assert statuses(demo) == ["approved", "approved", "approved", "open"]
    record_passing_run(demo)
    scan, model = scanned(demo)
    assert flow_of(WorkflowStore(demo), scan, model).complete


def test_a_failed_run_leaves_step_four_open_with_the_reason(demo: Path) -> None:
    through_tests(demo)
    scan, model = scanned(demo)
    flow = flow_of(WorkflowStore(demo), scan, model)
    record_run(WorkflowStore(demo), scan, model, flow.artifacts, False, "test not_null_stg_cases_case_id failed: 3 rows", ["not_null_stg_cases_case_id"])
    run = flow_of(WorkflowStore(demo), scan, model).state_of(Step.RUN)
    assert run.status is Status.OPEN and "the last run failed: test not_null_stg_cases_case_id failed" in run.reason


def test_a_failed_run_after_a_passing_one_takes_the_completion_back(demo: Path) -> None:
    through_tests(demo)
    record_passing_run(demo)
    scan, model = scanned(demo)
    flow = flow_of(WorkflowStore(demo), scan, model)
    record_run(WorkflowStore(demo), scan, model, flow.artifacts, False, "database error")
    assert statuses(demo)[3] == "open"


def test_editing_the_sql_outside_the_app_makes_it_stale_and_locks_every_later_step(demo: Path) -> None:
    through_tests(demo)
    record_passing_run(demo)
    edit(demo / "models/staging/stg_cases.sql", "select", "select distinct")
    scan, model = scanned(demo)
    flow = flow_of(WorkflowStore(demo), scan, model)
    assert [s.status for s in flow.states] == [Status.STALE, Status.LOCKED, Status.LOCKED, Status.LOCKED]
    assert flow.states[0].reason == "the SQL changed since it was approved"
    assert flow.locked_reason(Step.DOCS).startswith("Docs unlock after you approve the SQL again")


def test_putting_the_sql_back_as_it_was_makes_the_approvals_hold_again(demo: Path) -> None:
    through_tests(demo)
    path = demo / "models/staging/stg_cases.sql"
    original = path.read_bytes()
    path.write_bytes(original + b"\n-- scratch\n")
    assert statuses(demo)[0] == "stale"
    path.write_bytes(original)  # as `git checkout` would
    assert statuses(demo) == ["approved", "approved", "approved", "open"]


def test_reapproving_changed_sql_leaves_docs_stale_since_they_were_approved_on_other_sql(demo: Path) -> None:
    through_tests(demo)
    edit(demo / "models/staging/stg_cases.sql", "select", "select distinct")
    approve_now(demo, Step.SQL)
    scan, model = scanned(demo)
    flow = flow_of(WorkflowStore(demo), scan, model)
    assert [s.status for s in flow.states] == [Status.APPROVED, Status.STALE, Status.LOCKED, Status.LOCKED]
    assert flow.states[1].reason == "the SQL changed since the docs were approved"


def test_a_description_edit_makes_docs_stale_but_keeps_the_sql_approved(demo: Path) -> None:
    through_tests(demo)
    schema = demo / "models/staging/_staging.yml"
    text = schema.read_text()
    assert "description:" in text
    scan, model = scanned(demo)
    entry = scan.entry_for(MODEL)
    lines = text.splitlines(keepends=True)
    at = next(i for i in range(entry.line, len(lines)) if "description:" in lines[i])
    lines[at] = lines[at].rstrip("\n") + " (edited)\n"
    schema.write_text("".join(lines))
    assert statuses(demo) == ["approved", "stale", "locked", "locked"]


def test_a_test_added_outside_the_app_makes_tests_stale_but_not_docs(demo: Path) -> None:
    through_tests(demo)
    schema = demo / "models/staging/_staging.yml"
    edit(schema, "          - not_null\n      - name: case_type", "          - not_null\n          - unique\n      - name: case_type")
    assert statuses(demo)[:3] == ["approved", "approved", "stale"]


def test_an_entry_moved_to_another_file_keeps_its_approvals(demo: Path) -> None:
    from tui.core.schema.edit import entry_text

    through_tests(demo)
    schema = demo / "models/staging/_staging.yml"
    scan, model = scanned(demo)
    text = schema.read_text()
    shown = entry_text(text, MODEL)
    lines = text.splitlines(keepends=True)
    start = scan.entry_for(MODEL).line - 1
    count = len(shown.splitlines())
    kept = lines[:start] + lines[start + count:]
    schema.write_text("".join(kept))
    moved = "version: 2\n\nmodels:\n" + "".join(f"  {line}" if line.strip() else line for line in shown.splitlines(keepends=True))
    (demo / "models/staging/stg_cases.yml").write_text(moved)
    scan2, _ = scanned(demo)
    assert scan2.entry_for(MODEL).path.endswith("stg_cases.yml")
    assert statuses(demo) == ["approved", "approved", "approved", "open"]


def test_a_step_cannot_be_approved_while_locked_nor_twice(demo: Path) -> None:
    started(demo)
    with pytest.raises(StepRefused, match="locked: Docs unlock after you approve the SQL"):
        approve_now(demo, Step.DOCS)
    approve_now(demo, Step.SQL)
    with pytest.raises(StepRefused, match="approved"):
        approve_now(demo, Step.SQL)


def test_the_run_is_not_approved_by_hand(demo: Path) -> None:
    through_tests(demo)
    with pytest.raises(StepRefused, match="approved by running it"):
        approve_now(demo, Step.RUN)


def test_an_approval_of_what_changed_during_review_is_refused(demo: Path) -> None:
    started(demo)
    scan, model = scanned(demo)
    seen = flow_of(WorkflowStore(demo), scan, model).artifacts
    edit(demo / "models/staging/stg_cases.sql", "select", "select distinct")
    with pytest.raises(StepRefused, match="changed on disk while you were reviewing"):
        approve(WorkflowStore(demo), scan, model, Step.SQL, seen)


def test_hard_coded_relations_need_an_override_reason_which_is_recorded(demo: Path) -> None:
    started(demo)
    with pytest.raises(StepRefused, match="give a reason"):
        approve_now(demo, Step.SQL, blockers=["raw.cases"])
    approve_now(demo, Step.SQL, blockers=["raw.cases"], override="  the source is declared next sprint ")
    record = WorkflowStore(demo).load(MODEL).record
    assert record.approvals[Step.SQL].override == "the source is declared next sprint"
    assert "approved although it names relations directly: the source is declared next sprint" in record.history[-1].note


def test_docs_need_an_entry_before_they_can_be_approved(demo: Path) -> None:
    schema = demo / "models/staging/_staging.yml"
    scan, model = scanned(demo)
    entry = scan.entry_for(MODEL)
    from tui.core.schema.edit import entry_text

    shown = entry_text(schema.read_text(), MODEL)
    lines = schema.read_text().splitlines(keepends=True)
    del lines[entry.line - 1: entry.line - 1 + len(shown.splitlines())]
    schema.write_text("".join(lines))
    started(demo)
    approve_now(demo, Step.SQL)
    scan, model = scanned(demo)
    flow = flow_of(WorkflowStore(demo), scan, model)
    assert flow.state_of(Step.DOCS).reason.startswith("write the model's YAML entry (or scaffold it)")
    with pytest.raises(StepRefused, match="Nothing to approve yet"):
        approve_now(demo, Step.DOCS)


def test_requested_changes_keep_the_step_open_with_the_note_in_the_history(demo: Path) -> None:
    started(demo)
    scan, model = scanned(demo)
    with pytest.raises(StepRefused, match="Say what should change"):
        request_changes(WorkflowStore(demo), model, Step.SQL, "   ")
    request_changes(WorkflowStore(demo), model, Step.SQL, "rename case_ref to case_reference")
    record = WorkflowStore(demo).load(MODEL).record
    assert (record.history[-1].kind, record.history[-1].note) == ("changes_requested", "rename case_ref to case_reference")
    assert statuses(demo)[0] == "open"


def test_a_hand_edited_approval_is_detected_and_counts_for_nothing(demo: Path) -> None:
    started(demo)
    approve_now(demo, Step.SQL)
    path = WorkflowStore(demo).path_of(MODEL)
    data = json.loads(path.read_text())
    data["approvals"]["sql"]["by"] = "someone-else"
    path.write_text(json.dumps(data))
    scan, model = scanned(demo)
    first = flow_of(WorkflowStore(demo), scan, model).states[0]
    assert first.status is Status.OPEN and "does not match its seal" in first.reason


def test_a_forged_approval_for_a_later_step_is_detected(demo: Path) -> None:
    started(demo)
    approve_now(demo, Step.SQL)
    path = WorkflowStore(demo).path_of(MODEL)
    data = json.loads(path.read_text())
    forged = dict(data["approvals"]["sql"], step="docs", digest="0" * 64)
    data["approvals"]["docs"] = forged
    path.write_text(json.dumps(data))
    assert statuses(demo)[:3] == ["approved", "open", "locked"]


def test_the_record_is_deterministic_and_carries_its_format(demo: Path) -> None:
    through_tests(demo)
    path = WorkflowStore(demo).path_of(MODEL)
    text = path.read_text()
    data = json.loads(text)
    assert data["format"] == 1 and list(data) == sorted(data)
    assert record_from_json(text) == WorkflowStore(demo).load(MODEL).record
    from tui.core.workflow.record import record_to_json

    assert record_to_json(record_from_json(text)) == text


@pytest.mark.parametrize(
    "content, words",
    [
        ("{not json", "not valid JSON"),
        ('{"format": 99, "model": "stg_cases"}', "written by a newer dbt-workbench (format 99"),
        ('{"format": 1}', "a field is missing"),
        ("[]", "not a workflow record"),
    ],
)
def test_an_unreadable_record_is_reported_never_overwritten_and_kept_on_a_new_start(demo: Path, content: str, words: str) -> None:
    store = WorkflowStore(demo)
    store.folder.mkdir(parents=True)
    store.path_of(MODEL).write_text(content)
    scan, model = scanned(demo)
    flow = flow_of(store, scan, model)
    assert not flow.managed and words in str(flow.problem)
    with pytest.raises(Exception, match="format|JSON|field|record"):
        approve(store, scan, model, Step.SQL, None)  # type: ignore[arg-type]
    assert store.path_of(MODEL).read_text() == content
    start_change(store, model)
    backups = list(store.folder.glob(f"{MODEL}.json.unreadable-*"))
    assert len(backups) == 1 and backups[0].read_text() == content
    record = store.load(MODEL).record
    assert record.history[-1].kind == "reset" and backups[0].name in record.history[-1].note


def test_two_instances_on_one_project_lose_no_approval(demo: Path) -> None:
    started(demo)
    scan, model = scanned(demo)
    one, two = WorkflowStore(demo), WorkflowStore(demo)
    seen = flow_of(one, scan, model).artifacts
    approve(one, scan, model, Step.SQL, seen)
    request_changes(two, model, Step.DOCS, "describe the case_ref column")  # `two` never re-read by hand
    record = one.load(MODEL).record
    assert Step.SQL in record.approvals and record.history[-1].kind == "changes_requested"


def test_the_wizards_create_anyway_reason_shows_in_the_history(demo: Path) -> None:
    record_create_anyway(demo, MODEL, "a second staging view for the audit team", [Candidate("stg_decisions", "models/staging/stg_decisions.sql", Layer.STAGING, 0.81, ())])
    started(demo)
    history = WorkflowStore(demo).load(MODEL).record.history
    assert [event.kind for event in history] == ["started", "create_anyway"]
    assert "a second staging view for the audit team (similar: stg_decisions)" == history[1].note


def test_a_deleted_model_file_is_said_not_crashed_on(demo: Path) -> None:
    started(demo)
    scan, model = scanned(demo)
    (demo / model.path).unlink()
    flow = flow_of(WorkflowStore(demo), scan, model)
    assert flow.managed and "not on disk any more" in flow.artifact_problem
    assert flow.locked_reason(Step.RUN) is not None


def test_a_pass_of_files_changed_while_the_job_waited_completes_nothing(demo: Path) -> None:
    through_tests(demo)
    scan, model = scanned(demo)
    ran_on = flow_of(WorkflowStore(demo), scan, model).artifacts
    edit(demo / "models/staging/stg_cases.sql", "select", "select distinct")  # saved while the run waited
    record_run(WorkflowStore(demo), scan, model, ran_on, True, "built; tests: 5 pass")
    record = WorkflowStore(demo).load(MODEL).record
    assert record.last_run.passed and Step.RUN not in record.approvals


def test_starting_over_never_replaces_a_file_that_reads_again(demo: Path) -> None:
    from tui.core.errors import WorkbenchError
    from tui.core.workflow.record import ModelRecord

    started(demo)
    store = WorkflowStore(demo)
    with pytest.raises(WorkbenchError, match="readable again"):
        store.start_over(MODEL, ModelRecord(MODEL, "x.sql", "t", "u"))
    assert store.load(MODEL).record.path == "models/staging/stg_cases.sql"
