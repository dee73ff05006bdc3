"""The warm dbt worker with real dbt on DuckDB: jobs on the kept manifest, never a stale one, the
file free between jobs, cancel, errors with file and line, nothing left running."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from tests.e2e.test_jobs import count, demo, jobs_template, writable_after_the_job  # noqa: F401 (fixtures)
from tests.e2e.test_jobs_tmux import descendants
from tui.core.errors import WorkbenchError
from tui.core.jobs.events import NodeStarted
from tui.core.jobs.spec import JobKind, JobSpec
from tui.core.jobs.warm_client import WarmJobs
from tui.core.process import live_child_pids

pytestmark = pytest.mark.e2e


@pytest.fixture
def warm(demo: Path):  # noqa: F811
    jobs = WarmJobs(demo)
    assert jobs.start(), jobs.problem
    yield jobs
    jobs.stop()
    assert live_child_pids() == []


def test_jobs_run_warm_and_leave_the_file_free_while_the_worker_lives(demo: Path, warm: WarmJobs) -> None:  # noqa: F811
    assert writable_after_the_job(demo)  # parsed, and the worker holds no lock
    built = warm.run(JobSpec(JobKind.RUN, "stg_cases"), demo)
    assert built.ok and built.warm and built.counts() == {"success": 1}
    assert writable_after_the_job(demo)
    tested = warm.run(JobSpec(JobKind.TEST, "stg_cases"), demo)
    assert tested.ok and tested.warm and set(tested.counts()) == {"pass"}
    assert writable_after_the_job(demo)
    assert warm.memory_kib() and warm.startup["pid"] == warm.worker.pid


def test_a_file_edited_between_two_jobs_is_parsed_again_first(demo: Path, warm: WarmJobs) -> None:  # noqa: F811
    assert warm.run(JobSpec(JobKind.RUN, "stg_reviewers"), demo).ok
    parses = len(warm.parses)
    (demo / "models/staging/stg_reviewers.sql").write_text("select 7 as added_warm, * from {{ source('raw', 'reviewers') }}\n")
    outcome = warm.run(JobSpec(JobKind.RUN, "stg_reviewers"), demo)
    assert outcome.ok and outcome.warm and len(warm.parses) == parses + 1
    assert count(demo, "select count(*) from information_schema.columns where table_name = 'stg_reviewers' and column_name = 'added_warm'") == 1
    same = warm.run(JobSpec(JobKind.RUN, "stg_reviewers"), demo)
    assert same.ok and len(warm.parses) == parses + 1  # nothing changed: no parse


def test_a_new_model_is_found_and_a_compile_error_names_file_and_line(demo: Path, warm: WarmJobs) -> None:  # noqa: F811
    (demo / "models/marts/fct_new_warm.sql").write_text("select 1 as x\n")
    assert warm.run(JobSpec(JobKind.RUN, "fct_new_warm"), demo).ok
    (demo / "models/staging/stg_cases.sql").write_text("select 1 as x\n\n{% if %}\n")
    broken = warm.run(JobSpec(JobKind.RUN, "stg_cases"), demo)
    assert not broken.ok and broken.problem.path == "models/staging/stg_cases.sql" and broken.problem.line == 3


def test_cancel_a_warm_job_then_the_next_one_works(demo: Path, warm: WarmJobs) -> None:  # noqa: F811
    (demo / "models/marts/fct_slow.sql").write_text("{{ config(materialized='table') }}\nselect count(*) as n from range(4000000000) a\n")
    assert warm.run(JobSpec(JobKind.PARSE), demo).ok  # the new model parsed, before counting processes
    before = descendants(warm.worker.pid)  # dbt's own helpers (multiprocessing's resource tracker)
    started = threading.Event()
    outcome = warm.run(JobSpec(JobKind.RUN, "fct_slow"), demo, on_event=lambda e: started.set() if isinstance(e, NodeStarted) else None, cancelled=started.is_set)
    assert outcome.cancelled and not outcome.ok and outcome.warm
    assert descendants(warm.worker.pid) == before  # the job's grandchild is gone
    assert writable_after_the_job(demo)
    (demo / "models/marts/fct_slow.sql").unlink()
    again = warm.run(JobSpec(JobKind.RUN, "stg_cases"), demo)
    assert again.ok and again.warm


def test_a_job_after_the_worker_died_runs_cold(demo: Path, warm: WarmJobs) -> None:  # noqa: F811
    warm.worker.child.kill()
    warm.worker.child.wait()
    outcome = warm.run(JobSpec(JobKind.RUN, "stg_cases"), demo)
    assert outcome.ok and not outcome.warm


def test_a_project_dbt_cannot_parse_is_said_by_each_job(tmp_path: Path) -> None:
    """The worker stays up when the project does not parse (it parses again once a file changes);
    each job says why it could not run."""
    root = tmp_path / "not_a_project"
    root.mkdir()
    jobs = WarmJobs(root)
    try:
        assert jobs.start()
        outcome = jobs.run(JobSpec(JobKind.RUN, "stg_cases"), root)
        assert outcome.warm and not outcome.ok and outcome.returncode == 2 and outcome.problem.text
    finally:
        jobs.stop()
    assert live_child_pids() == []


def test_a_worker_that_cannot_start_leaves_the_job_to_run_cold(demo: Path) -> None:  # noqa: F811
    """The first job waits for a starting worker only while it starts: when the start fails
    (here the worker's Python cannot start at all), the job runs cold, in a dbt of its own."""
    jobs = WarmJobs(demo, env={**os.environ, "PYTHONHOME": str(demo / "no-python-here")})
    starting = threading.Thread(target=jobs.start)
    starting.start()
    outcome = jobs.run(JobSpec(JobKind.RUN, "stg_cases"), demo)
    starting.join(timeout=60)
    assert not starting.is_alive() and not jobs.usable and "did not become ready" in jobs.problem
    assert outcome.ok and not outcome.warm
    assert live_child_pids() == []


def test_reads_through_the_worker_give_what_the_direct_reader_gives(demo: Path, warm: WarmJobs) -> None:  # noqa: F811
    """The road a target without a reader of ours takes (Spark), walked on DuckDB, where the
    direct reader is the oracle: the same rows, the same kinds of values, parameters as literals."""
    from tui.core.warehouse.duckdb_catalog import DuckDBReader
    from tui.core.warehouse.query_rows import query_rows
    from tui.core.warehouse.through_dbt import ShowReader

    direct, through = DuckDBReader(demo / "demo.duckdb"), ShowReader("duckdb", warm.read)
    sql = "select case_id, claimed_amount, opened_at, priority from main.dim_cases order by case_id"
    expected, got = query_rows(direct, sql, limit=20, offset=5), query_rows(through, sql, limit=20, offset=5)
    assert got.rows == expected.rows and len(got.rows) == 20 and got.total == expected.total > 25
    assert got.columns == expected.columns
    assert [type(value) for value in got.rows[0]] == [type(value) for value in expected.rows[0]]
    with through.session("counting") as session:
        assert session.one("select count(*) from main.dim_cases where priority = ? or priority = ?", ["it's", "low"]) == (
            count(demo, "select count(*) from main.dim_cases where priority = 'low'"),
        )
    with pytest.raises(WorkbenchError, match="counting: .*no_such_table"):
        with through.session("counting") as session:
            session.fetch("select * from main.no_such_table")
    assert warm.usable and writable_after_the_job(demo)  # a failed read leaves the worker, and no lock


def test_a_read_that_runs_too_long_is_cancelled_and_a_job_behind_it_can_be(demo: Path, warm: WarmJobs, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """A read holds the worker; past its deadline it is cancelled (the worker stays), and a job
    waiting for the worker meanwhile answers its own cancel at once."""
    import time

    from tui.core.jobs import warm_client

    monkeypatch.setattr(warm_client, "READ_DEADLINE_S", 2.0)
    slow = "select count(*) from range(100000000000) as a(n) where n % 7 = 3"
    failure: list[str] = []

    def read_slowly() -> None:
        try:
            warm.read(slow)
        except WorkbenchError as error:
            failure.append(str(error))

    reading = threading.Thread(target=read_slowly)
    reading.start()
    while not warm._lock.locked():  # until the read has the worker
        time.sleep(0.01)
    cancel = threading.Event()
    cancel.set()
    waited = warm.run(JobSpec(JobKind.RUN, "stg_cases"), demo, cancelled=cancel.is_set)
    assert waited.cancelled and reading.is_alive()
    reading.join(30)
    assert failure and "took longer than 2 s and was cancelled" in failure[0]
    assert warm.usable and warm.read("select 41 + 1 as n")[1] == [(42,)]
