"""dbt jobs' core on recorded dbt 1.11 JSON logs: events, plain-word problems, names, the queue."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.core.errors import WorkbenchError
from tui.core.jobs.events import JobLog, NodeFinished, NodeStarted, parse_event
from tui.core.jobs.problems import explain
from tui.core.jobs.queue import JobQueue, JobState
from tui.core.jobs.results import node_name, read_run_results
from tui.core.jobs.run import JobOutcome
from tui.core.jobs.spec import SELECTION_MUST_MATCH, JobKind, JobSpec, checked_model_name, dbt_argv
from tui.core.warehouse.query_rows import as_subquery

EVENTS = Path(__file__).parents[1] / "fixtures" / "dbt_events"


def recorded(name: str) -> list:
    return [e for e in (parse_event(line) for line in (EVENTS / f"{name}.jsonl").read_text().splitlines()) if e is not None]


def test_a_run_gives_one_start_and_one_finish_for_its_model() -> None:
    events = recorded("run_ok")
    started = [e for e in events if isinstance(e, NodeStarted)]
    finished = [e for e in events if isinstance(e, NodeFinished)]
    assert [(e.name, e.index, e.total) for e in started] == [("stg_cases", 1, 1)]
    assert [(e.name, e.status, e.resource_type) for e in finished] == [("stg_cases", "success", "model")]
    assert finished[0].replaces == started[0].replaces == "model.workbench_demo.stg_cases"
    assert finished[0].seconds > 0


def test_a_failing_test_carries_its_failure_count() -> None:
    finished = [e for e in recorded("test_fail") if isinstance(e, NodeFinished)]
    assert len(finished) == 8 and all(e.total == 8 for e in finished)
    failed = [e for e in finished if e.status == "fail"]
    assert [(e.name, e.failures) for e in failed] == [("stg_cases_only_low_priority", 2287)]
    assert {e.status for e in finished} == {"pass", "fail"}


def test_a_compilation_error_names_its_file_and_line() -> None:
    problem = explain(2, [e for e in recorded("compile_error") if isinstance(e, JobLog)])
    assert problem.path == "models/staging/stg_cases.sql" and problem.line == 3
    assert "Compilation Error in model stg_cases" in problem.text


def test_a_selection_matching_nothing_is_an_error_in_words() -> None:
    problem = explain(2, [e for e in recorded("no_nodes") if isinstance(e, JobLog)])
    assert "does not match any enabled nodes" in problem.text and problem.path is None


def test_a_locked_duckdb_file_names_the_pid_holding_it() -> None:
    problem = explain(2, [e for e in recorded("locked") if isinstance(e, JobLog)])
    assert "locked by PID 5229" in problem.text and "demo.duckdb" in problem.text


def test_a_database_error_names_the_model_file() -> None:
    problem = explain(1, [e for e in recorded("database_error") if isinstance(e, JobLog)])
    assert problem.path == "models/staging/stg_broken.sql"
    assert "not_a_table_anywhere does not exist" in problem.text


def test_a_passed_job_has_no_problem_and_plain_text_lines_are_kept() -> None:
    assert explain(0, []) is None
    line = parse_event("Warning: a package printed this")
    assert isinstance(line, JobLog) and line.text == "Warning: a package printed this"
    assert parse_event("   ") is None


@pytest.mark.parametrize("bad", ["", "-x", "--full-refresh", "stg cases", "stg_cases+", "+stg_cases", "tag:nightly", "a,b", "path/to", "@m", "stg_*"])
def test_names_dbt_could_read_as_more_than_one_model_are_refused(bad: str) -> None:
    with pytest.raises(WorkbenchError):
        checked_model_name(bad)
    with pytest.raises(WorkbenchError):
        JobSpec(JobKind.RUN, bad)


def test_the_argv_makes_an_empty_selection_an_error_and_logs_json() -> None:
    argv = dbt_argv(JobSpec(JobKind.TEST, "stg_cases"), "/venv/bin/dbt")
    assert argv[:2] == ["/venv/bin/dbt", "test"]
    assert argv[argv.index("--select") + 1] == "stg_cases"
    assert argv[argv.index("--warn-error-options") + 1] == SELECTION_MUST_MATCH
    assert json.loads(SELECTION_MUST_MATCH) == {"error": ["NoNodesForSelectionCriteria"]}
    assert "json" == argv[argv.index("--log-format") + 1]
    assert "--no-populate-cache" in argv  # a test only reads
    assert "--no-populate-cache" not in dbt_argv(JobSpec(JobKind.RUN, "stg_cases"), "dbt")


def test_node_names_people_know() -> None:
    assert node_name("test.pkg.not_null_stg_cases_case_id.befc56156d") == "not_null_stg_cases_case_id"
    assert node_name("source.pkg.raw.cases") == "raw.cases"
    assert node_name("model.pkg.stg_cases") == "stg_cases"


def test_run_results_of_another_invocation_are_not_this_jobs(tmp_path: Path) -> None:
    path = tmp_path / "run_results.json"
    path.write_text(json.dumps({"metadata": {"invocation_id": "old"}, "results": [{"unique_id": "model.p.m", "status": "success"}]}))
    assert read_run_results(path, "new") is None
    assert [r.name for r in read_run_results(path, "old")] == ["m"]
    assert read_run_results(tmp_path / "missing.json", "old") is None


def _outcome(spec: JobSpec, code: int) -> JobOutcome:
    return JobOutcome(spec, code, 0.1, (), (), None)


def test_the_test_waits_for_the_run_and_is_skipped_when_it_failed() -> None:
    queue = JobQueue()
    built = queue.submit(JobSpec(JobKind.RUN, "m"))
    tested = queue.submit(JobSpec(JobKind.TEST, "m"), needs=built)
    job, skipped = queue.start_next()
    assert job is built and skipped == [] and queue.start_next() == (None, [])  # one at a time
    queue.finish(built, _outcome(built.spec, 1), [])
    job, skipped = queue.start_next()
    assert job is None and skipped == [tested] and tested.state is JobState.SKIPPED
    assert "dbt run --select m did not pass" in tested.note


def test_cancel_stops_the_running_job_and_drops_the_waiting_ones() -> None:
    queue = JobQueue()
    first = queue.submit(JobSpec(JobKind.RUN, "a"))
    second = queue.submit(JobSpec(JobKind.RUN, "b"))
    queue.start_next()
    assert queue.cancel() == [first, second]
    assert first.cancel_requested.is_set() and first.state is JobState.RUNNING  # until its child has ended
    assert second.state is JobState.CANCELLED


def test_a_query_is_wrapped_so_its_order_limit_and_comments_hold() -> None:
    wrapped = as_subquery("select * from t order by x limit 5; -- the last line\n")
    assert wrapped == "(\nselect * from t order by x limit 5 -- the last line\n)"
    assert as_subquery("select 1;;") == "(\nselect 1\n)"


def test_a_compile_gives_the_models_sql_as_an_event() -> None:
    from tui.core.jobs.events import Compiled
    from tui.core.jobs.preview import compiled_from

    events = recorded("compile_ok")
    [compiled] = [e for e in events if isinstance(e, Compiled)]
    assert compiled.name == "stg_reviewers" and compiled.unique_id == "model.workbench_demo.stg_reviewers"
    assert 'from "demo"."raw"."reviewers"' in compiled.sql and "{{" not in compiled.sql
    spec = JobSpec(JobKind.COMPILE, "stg_reviewers")
    assert compiled_from(JobOutcome(spec, 0, 0.1, tuple(events), (), None), "stg_reviewers").sql == compiled.sql
    failed = compiled_from(JobOutcome(spec, 2, 0.1, (), None, explain(2, [e for e in recorded("compile_error") if isinstance(e, JobLog)])), "stg_reviewers")
    assert failed.sql is None and "models/staging/stg_cases.sql:3" in failed.problem
