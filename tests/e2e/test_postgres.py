"""The workbench on a real PostgreSQL server: the demo built there with dbt-postgres, then run and
test, failing rows, previews, starter SQL columns, the docs scaffold, test suggestions and the app
itself, all through the same code as on DuckDB.

The server is started by tests/postgres_server.py in a temporary folder on a free loopback port and
stopped afterwards; without PostgreSQL on the machine (or without dbt-postgres) the suite skips and
says why. The demo is built once into a template database; each test gets a database copied from it
(`create database ... template`), so a test's runs never change what the next test sees.
"""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.app_on_warehouse import FAILING_TEST, preview_run_and_test_by_keys
from tests.postgres_server import Server, Unavailable, start_server
from tui.core.demo import build_demo_project, write_demo_project
from tui.core.errors import WorkbenchError
from tui.core.jobs.one_model import exit_code, run_and_test
from tui.core.jobs.preview import compiled_from, preview_page
from tui.core.jobs.queue import JobState
from tui.core.jobs.run import run_job
from tui.core.jobs.spec import JobKind, JobSpec
from tui.core.process import live_child_pids
from tui.core.project.dbt_project import load_project

pytestmark = pytest.mark.e2e
psycopg2 = pytest.importorskip("psycopg2", reason="dbt-postgres (the `postgres` extra) is not installed")

TEMPLATE = "demo_built"
_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def server() -> Server:
    try:
        with start_server() as started:
            yield started
    except Unavailable as why:
        pytest.skip(f"no PostgreSQL server could be started here: {why}")


@pytest.fixture(scope="module")
def built_template(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo written with `--postgres`'s loader and built by dbt-postgres into the template database."""
    from tui.core.demo.postgres import use_postgres

    admin(server, f"create database {TEMPLATE}")
    root = write_demo_project(tmp_path_factory.mktemp("pg-demo") / "demo")
    use_postgres(root, keywords(server, TEMPLATE))
    build_demo_project(root)
    return root


@pytest.fixture
def demo(server: Server, built_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the built demo on a database of its own, copied from the template."""
    database = f"demo_{next(_numbers)}"
    admin(server, f"create database {database} template {TEMPLATE}")
    target = tmp_path / "demo"
    shutil.copytree(built_template, target, ignore=shutil.ignore_patterns("target", "logs"))
    profile = (target / "profiles.yml").read_text()
    (target / "profiles.yml").write_text(profile.replace(f"dbname: '{TEMPLATE}'", f"dbname: '{database}'"))
    monkeypatch.setenv("DBT_PROFILES_DIR", str(target))
    return target


def keywords(server: Server, database: str) -> dict[str, str]:
    return {"host": server.host, "port": str(server.port), "user": server.user, "dbname": database}


def admin(server: Server, statement: str) -> None:
    connection = psycopg2.connect(**server.dsn())
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


def count(root: Path, sql: str) -> int:
    settings = dict(load_project(root).connection.settings)
    connection = psycopg2.connect(host=settings["host"], port=settings["port"], user=settings["user"], dbname=settings["dbname"])
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]
    finally:
        connection.close()


def test_the_demo_targets_postgres_and_the_reader_cannot_write(demo: Path) -> None:
    from tui.core.warehouse.reader import reader_for

    project = load_project(demo)
    assert project.connection.adapter_type == "postgres" and project.connection.describe() == "postgres · postgres"
    reader = reader_for(project.connection)
    with pytest.raises(WorkbenchError, match="read-only transaction"):
        with reader.session("Writing failed") as session:
            session.one("create table workbench_demo.written (a integer)")
    assert count(demo, "select count(*) from information_schema.tables where table_name = 'written'") == 0


def test_run_then_test_pass_with_rows(demo: Path) -> None:
    jobs = run_and_test(load_project(demo), "stg_decisions")
    assert [job.state for job in jobs] == [JobState.PASSED, JobState.PASSED] and exit_code(jobs) == 0
    built, tested = jobs
    assert built.rows["model.workbench_demo.stg_decisions"] == count(demo, "select count(*) from workbench_demo.stg_decisions") > 0
    assert {r.status for r in tested.outcome.results} == {"pass"} and len(tested.outcome.results) >= 3
    assert live_child_pids() == []


def test_a_failing_test_shows_its_rows_read_from_postgres(demo: Path) -> None:
    (demo / "tests").mkdir()
    (demo / "tests" / "stg_cases_only_low_priority.sql").write_text(FAILING_TEST)
    jobs = run_and_test(load_project(demo), "stg_cases")
    assert jobs[1].state is JobState.FAILED and exit_code(jobs) == 1
    [failing] = jobs[1].failing
    expected = count(demo, "select count(*) from workbench_demo.stg_cases where priority <> 'low'")
    assert failing.problem is None and failing.test.failures == expected
    assert failing.rows.total == expected and len(failing.rows.rows) == min(100, expected)
    assert failing.rows.columns == ("case_id", "priority") and failing.rows.types == ("integer", "text")
    assert all(priority != "low" for _, priority in failing.rows.rows)


def test_a_preview_keeps_the_models_order_and_limit_and_reads_one_page(demo: Path) -> None:
    (demo / "models/marts/fct_latest_cases.sql").write_text("select case_id, priority from {{ ref('stg_cases') }}\norder by case_id desc\nlimit 7\n")
    project = load_project(demo)
    compiled = compiled_from(run_job(JobSpec(JobKind.COMPILE, "fct_latest_cases"), demo), "fct_latest_cases")
    assert compiled.sql is not None and '"workbench_demo"."stg_cases"' in compiled.sql
    first = preview_page(project, compiled.sql, page=0, rows=5)
    newest = count(demo, "select max(case_id) from workbench_demo.stg_cases")
    assert first.total == 7 and first.columns == ("case_id", "priority") and first.types == ("integer", "text")
    assert [row[0] for row in first.rows] == list(range(newest, newest - 5, -1))
    second = preview_page(project, compiled.sql, page=1, rows=5)
    assert [row[0] for row in second.rows] == [newest - 5, newest - 6]


def test_the_cli_runs_previews_and_compiles_on_postgres(demo: Path) -> None:
    shown = subprocess.run([sys.executable, "-m", "tui", "preview", str(demo), "dim_cases", "--limit", "3", "--json"], capture_output=True, text=True)
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert data["columns"][0] == "case_id" and len(data["rows"]) == 3
    assert data["total"] == count(demo, "select count(*) from workbench_demo.dim_cases")
    # After the preview: dbt-postgres rebuilds a view with `drop ... cascade`, so the views
    # downstream of stg_reviewers (dim_cases reads one) are gone until they are run again.
    ran = subprocess.run([sys.executable, "-m", "tui", "run", str(demo), "--select", "stg_reviewers", "--json"], capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr
    jobs = json.loads(ran.stdout)
    assert [job["state"] for job in jobs] == ["passed", "passed"]
    assert jobs[0]["nodes"][0]["rows"] == count(demo, "select count(*) from workbench_demo.stg_reviewers")
    compiled = subprocess.run([sys.executable, "-m", "tui", "compile", str(demo), "int_reviewer_workload"], capture_output=True, text=True)
    assert compiled.returncode == 0 and "percentile_cont(0.5)" in compiled.stdout


def test_starter_sql_columns_come_from_the_postgres_catalog(demo: Path) -> None:
    from tui.core.discover.new_model import source_columns
    from tui.core.project.records import SourceTable

    bare = SourceTable("raw", "cases", "models/staging/_sources.yml", 3, False)
    columns, said = source_columns(load_project(demo), bare)
    assert columns[:2] == [("case_id", "bigint"), ("case_ref", "text")] and len(columns) == 8
    assert said.startswith("columns from the warehouse (Postgres demo_")


def test_docs_scaffold_and_test_suggestions_read_postgres(demo: Path) -> None:
    import yaml

    from tui.core.scan.scanner import scan_project
    from tui.core.workflow.drafts import docs_scaffold, test_suggestions

    project = load_project(demo)
    scan = scan_project(project)
    model = next(m for m in scan.models if m.name == "int_case_decisions_joined")
    compiled = compiled_from(run_job(JobSpec(JobKind.COMPILE, model.name), demo), model.name)
    scaffold = docs_scaffold(project, scan, model, compiled.sql)
    entry = yaml.safe_load(scaffold.text)
    entry = entry[0] if isinstance(entry, list) else entry
    assert [c["name"] for c in entry["columns"]][:3] == ["decision_id", "case_id", "reviewer_id"]
    proposed = {s.title: s.evidence for s in test_suggestions(project, scan, model, compiled.sql)}
    rows = count(demo, "select count(*) from workbench_demo.int_case_decisions_joined")
    assert proposed["outcome: accepted_values"] == f"{rows:,} rows, 4 distinct values: approved, escalated, rejected, withdrawn"
    assert proposed["reviewer_id: relationships"] == f"every one of {rows:,} rows' reviewer_id is a stg_reviewers.reviewer_id"
    assert proposed["opened_at: not_null"] == f"{rows:,} rows, 0 null"


async def test_the_app_runs_tests_and_previews_a_model_on_postgres(demo: Path) -> None:
    """By keyboard, as on DuckDB: p previews the open model, x runs and tests it (the warm
    worker), j shows the results with the failing test's rows read from Postgres."""
    rows = count(demo, "select count(*) from workbench_demo.stg_cases")
    failing_rows = count(demo, "select count(*) from workbench_demo.stg_cases where priority <> 'low'")
    await preview_run_and_test_by_keys(demo, rows, failing_rows, integer_type="integer")
