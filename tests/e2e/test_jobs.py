"""dbt jobs with real dbt on the demo's DuckDB: run and test, failing rows, errors, cancel."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest

from tui.core.demo import DATABASE, build_demo_project, write_demo_project
from tui.core.jobs.events import NodeStarted
from tui.core.jobs.one_model import exit_code, run_and_test
from tui.core.jobs.queue import JobState
from tui.core.jobs.run import run_job
from tui.core.jobs.spec import JobKind, JobSpec
from tui.core.process import live_child_pids
from tui.core.project.dbt_project import load_project

pytestmark = pytest.mark.e2e

FAILING_TEST = "select case_id, priority from {{ ref('stg_cases') }} where priority <> 'low'\n"


@pytest.fixture(scope="session")
def jobs_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once, as a user's project is: tests of one model read the models around it."""
    root = write_demo_project(tmp_path_factory.mktemp("jobs-template") / "demo")
    build_demo_project(root)
    return root


@pytest.fixture
def demo(jobs_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(jobs_template, target)
    return target


def writable_after_the_job(root: Path) -> bool:
    """Another process can open the DuckDB file read-write: no job holds it."""
    code = f"import duckdb; duckdb.connect({str(root / DATABASE)!r}).close()"
    return subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0


def count(root: Path, sql: str) -> int:
    connection = duckdb.connect(str(root / DATABASE), read_only=True)
    try:
        return connection.execute(sql).fetchone()[0]
    finally:
        connection.close()


def test_run_then_test_pass_with_rows_and_leave_the_file_free(demo: Path) -> None:
    jobs = run_and_test(load_project(demo), "stg_cases")
    assert [job.state for job in jobs] == [JobState.PASSED, JobState.PASSED] and exit_code(jobs) == 0
    built, tested = jobs
    assert built.rows["model.workbench_demo.stg_cases"] == count(demo, "select count(*) from main.stg_cases") > 0
    assert {r.status for r in tested.outcome.results} == {"pass"} and len(tested.outcome.results) >= 5
    assert writable_after_the_job(demo) and live_child_pids() == []


def test_a_failing_test_shows_its_rows_and_their_count(demo: Path) -> None:
    (demo / "tests").mkdir()
    (demo / "tests" / "stg_cases_only_low_priority.sql").write_text(FAILING_TEST)
    jobs = run_and_test(load_project(demo), "stg_cases")
    assert jobs[1].state is JobState.FAILED and exit_code(jobs) == 1
    [failing] = jobs[1].failing
    expected = count(demo, "select count(*) from main.stg_cases where priority <> 'low'")
    assert failing.test.name == "stg_cases_only_low_priority" and failing.test.failures == expected
    assert failing.rows.total == expected and len(failing.rows.rows) == min(100, expected)
    assert failing.rows.columns == ("case_id", "priority")
    assert all(priority != "low" for _, priority in failing.rows.rows)
    assert writable_after_the_job(demo)


def test_a_compilation_error_names_the_file_and_line_and_the_test_is_skipped(demo: Path) -> None:
    (demo / "models/staging/stg_cases.sql").write_text("select 1 as x\n\n{% if %}\n")
    jobs = run_and_test(load_project(demo), "stg_cases")
    built, tested = jobs
    assert built.state is JobState.FAILED and tested.state is JobState.SKIPPED
    assert built.outcome.problem.path == "models/staging/stg_cases.sql" and built.outcome.problem.line == 3
    assert "did not pass" in tested.note


def test_a_selection_that_matches_nothing_fails(demo: Path) -> None:
    outcome = run_job(JobSpec(JobKind.RUN, "no_such_model"), demo)
    assert outcome.returncode == 2 and not outcome.ok
    assert "does not match any enabled nodes" in outcome.problem.text


def test_an_edit_between_two_runs_is_built(demo: Path) -> None:
    model = demo / "models/staging/stg_reviewers.sql"
    assert run_job(JobSpec(JobKind.RUN, "stg_reviewers"), demo).ok
    model.write_text("select 42 as added_by_edit, * from {{ source('raw', 'reviewers') }}\n")
    assert run_job(JobSpec(JobKind.RUN, "stg_reviewers"), demo).ok
    assert count(demo, "select count(*) from information_schema.columns where table_name = 'stg_reviewers' and column_name = 'added_by_edit'") == 1


def test_cancel_mid_run_leaves_no_child_and_a_free_file_then_the_next_job_works(demo: Path) -> None:
    slow = demo / "models/marts/fct_slow.sql"
    slow.write_text("{{ config(materialized='table') }}\nselect count(*) as n from range(4000000000) a\n")
    started = threading.Event()
    outcome = run_job(
        JobSpec(JobKind.RUN, "fct_slow"),
        demo,
        on_event=lambda e: started.set() if isinstance(e, NodeStarted) else None,
        cancelled=started.is_set,
    )
    assert outcome.cancelled and not outcome.ok and "Cancelled" in outcome.problem.text
    assert live_child_pids() == [] and writable_after_the_job(demo)
    slow.unlink()
    assert run_job(JobSpec(JobKind.RUN, "stg_cases"), demo).ok


def test_the_cli_runs_and_tests_one_model_as_json(demo: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "tui", "run", str(demo), "--select", "stg_decisions", "--json"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    jobs = json.loads(done.stdout)
    assert [job["command"] for job in jobs] == ["dbt run --select stg_decisions", "dbt test --select stg_decisions"]
    assert [job["state"] for job in jobs] == ["passed", "passed"]
    assert jobs[0]["nodes"][0]["rows"] == count(demo, "select count(*) from main.stg_decisions")
    refused = subprocess.run([sys.executable, "-m", "tui", "run", str(demo), "--select", "stg_cases+"], capture_output=True, text=True)
    assert refused.returncode == 2 and "not a model name" in refused.stderr


def test_a_preview_keeps_the_models_order_and_limit_and_reads_one_page(demo: Path) -> None:
    from tui.core.jobs.preview import compiled_from, preview_page

    (demo / "models/marts/fct_latest_cases.sql").write_text("select case_id, priority from {{ ref('stg_cases') }}\norder by case_id desc\nlimit 7\n")
    project = load_project(demo)
    compiled = compiled_from(run_job(JobSpec(JobKind.COMPILE, "fct_latest_cases"), demo), "fct_latest_cases")
    assert compiled.sql is not None and "{{" not in compiled.sql  # from the file now: never built
    first = preview_page(project, compiled.sql, page=0, rows=5)
    newest = count(demo, "select max(case_id) from main.stg_cases")
    assert first.total == 7 and first.columns == ("case_id", "priority") and first.types[0] == "integer"
    assert [row[0] for row in first.rows] == list(range(newest, newest - 5, -1))
    second = preview_page(project, compiled.sql, page=1, rows=5)
    assert [row[0] for row in second.rows] == [newest - 5, newest - 6]
    assert writable_after_the_job(demo)


def test_the_cli_compiles_and_previews_from_the_file_as_it_is(demo: Path) -> None:
    model = demo / "models/staging/stg_reviewers.sql"
    model.write_text("select 5 as edited_now, * from {{ source('raw', 'reviewers') }}\n")
    compiled = subprocess.run([sys.executable, "-m", "tui", "compile", str(demo), "stg_reviewers"], capture_output=True, text=True)
    assert compiled.returncode == 0 and 'select 5 as edited_now, * from "demo"."raw"."reviewers"' in compiled.stdout
    shown = subprocess.run([sys.executable, "-m", "tui", "preview", str(demo), "stg_reviewers", "--limit", "3", "--json"], capture_output=True, text=True)
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert data["columns"][0] == "edited_now" and len(data["rows"]) == 3 and data["rows"][0][0] == 5
    assert data["total"] == count(demo, "select count(*) from raw.reviewers")
    model.write_text("select {% if %}\n")
    broken = subprocess.run([sys.executable, "-m", "tui", "compile", str(demo), "stg_reviewers"], capture_output=True, text=True)
    assert broken.returncode == 1 and "models/staging/stg_reviewers.sql" in broken.stderr
