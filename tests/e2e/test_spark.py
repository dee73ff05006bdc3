"""The workbench on Apache Spark (dbt-spark's `session` method on a local Spark, Java 17): the demo
built there, then the tree, run and test, failing rows and previews, from the core and from the
app by keyboard, through the same code as on DuckDB and Postgres.

Spark reads go through the warm dbt worker, which holds the one JVM (tui.core.warehouse.
spark_session). What Spark returns is checked against the same project built on DuckDB (its
`dev` target, in the same folder): the same SQL over the same raw rows must count the same.
The demo is built once per module and its tests run in order on it (Spark's embedded metastore
records absolute paths, so a copy would still point at the original's tables).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import duckdb
import pytest

from tests.e2e.app_on_warehouse import FAILING_TEST, preview_run_and_test_by_keys
from tui.core.demo import build_demo_project, write_demo_project
from tui.core.errors import WorkbenchError
from tui.core.jobs.dbt_command import find_dbt
from tui.core.jobs.queue import JobState
from tui.core.jobs.warm_client import WarmJobs
from tui.core.process import live_child_pids, run_child
from tui.core.project.dbt_project import load_project

pytestmark = pytest.mark.e2e
pytest.importorskip("pyspark", reason="pyspark (the `spark` extra) is not installed")
pytest.importorskip("dbt.adapters.spark", reason="dbt-spark (the `spark` extra) is not installed")

LEAN_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
LATEST = "select case_id, priority from {{ ref('stg_cases') }}\norder by case_id desc\nlimit 7\n"


@pytest.fixture(scope="module")
def spark_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo loaded into a local Spark and built there by dbt-spark; its DuckDB `dev` target
    built too, as the oracle."""
    from tui.core.demo.spark import use_spark

    if shutil.which("java") is None:
        pytest.skip("Spark cannot be started here: no java on PATH (Java 17 is needed)")
    with pytest.MonkeyPatch.context() as patch:
        # Short-lived JVMs on 2 cores shared with the other test worker: the quick compiler only
        # and one GC thread (the suite's time, not what the app sets for a user's Spark)
        patch.setenv("JAVA_TOOL_OPTIONS", (os.environ.get("JAVA_TOOL_OPTIONS", "") + " " + LEAN_JVM).strip())
        root = write_demo_project(tmp_path_factory.mktemp("spark-demo") / "demo")
        try:
            use_spark(root)
        except WorkbenchError as why:
            pytest.skip(f"Spark cannot be started here: {why}")
        (root / "models/marts/fct_latest_cases.sql").write_text(LATEST)
        build_demo_project(root)
        built = run_child([find_dbt(), "run", "--target", "dev", "--no-use-colors"], cwd=root, env=dict(os.environ, DBT_PROFILES_DIR=str(root)), merge_stderr=True, timeout=300)
        assert built.returncode == 0, built.tail
        yield root


@pytest.fixture
def demo(spark_demo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DBT_PROFILES_DIR", str(spark_demo))
    yield spark_demo
    shutil.rmtree(spark_demo / "tests", ignore_errors=True)


def oracle(root: Path, sql: str) -> int:
    """The answer on the DuckDB build of the same project."""
    con = duckdb.connect(str(root / "demo.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_the_tree_and_the_profile_see_the_spark_demo(demo: Path) -> None:
    from tui.core.scan.scanner import scan_project
    from tui.core.warehouse.reader import reader_for, worker_warm_up

    project = load_project(demo)
    assert project.connection.describe() == "spark · spark"
    assert worker_warm_up(project.connection) == "tui.core.warehouse.spark_session"
    names = {model.name for model in scan_project(project).models}
    assert {"stg_cases", "int_case_decisions_joined", "dim_cases", "fct_latest_cases"} <= names
    with pytest.raises(WorkbenchError, match="read through the app's warm dbt worker, which is not running"):
        reader_for(project.connection)  # no worker offers reads here: said, not guessed


@pytest.fixture(scope="class")
def warm(spark_demo: Path):
    """One warm worker (one JVM) for the core tests: the app's test starts its own after it."""
    from tui.core.warehouse.reader import worker_warm_up
    from tui.core.warehouse.through_dbt import offer_dbt_reads, withdraw_dbt_reads

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DBT_PROFILES_DIR", str(spark_demo))
        project = load_project(spark_demo)
        jobs = WarmJobs(spark_demo, project.target_path, warm_up=worker_warm_up(project.connection))
        assert jobs.start(), jobs.problem
        offer_dbt_reads(jobs.read)
        try:
            yield jobs
        finally:
            withdraw_dbt_reads(jobs.read)
            jobs.stop()
    assert live_child_pids() == []


class TestThroughOneWarmWorker:
    def test_run_test_failing_rows_and_preview_through_the_warm_worker(self, demo: Path, warm: WarmJobs) -> None:
        from tui.core.jobs.one_model import run_and_test
        from tui.core.jobs.preview import compiled_from, preview_page
        from tui.core.jobs.spec import JobKind, JobSpec
        from tui.core.warehouse.reader import reader_for
        from tui.core.warehouse.query_rows import query_rows

        (demo / "tests").mkdir()
        (demo / "tests" / "stg_cases_only_low_priority.sql").write_text(FAILING_TEST)
        project = load_project(demo)
        assert warm.startup["warm_up_problem"] == ""
        assert warm.read("set spark.app.name")[1] == [("spark.app.name", "dbt-workbench")]  # the profile's server_side_parameters
        jobs = run_and_test(project, "stg_cases", run=warm.run)
        built, tested = jobs
        assert built.state is JobState.PASSED and built.outcome.warm
        assert built.rows["model.workbench_demo.stg_cases"] == oracle(demo, "select count(*) from main.stg_cases") > 0
        assert tested.state is JobState.FAILED
        [failing] = tested.failing
        expected = oracle(demo, "select count(*) from main.stg_cases where priority <> 'low'")
        assert failing.problem is None and failing.test.failures == expected
        assert failing.rows.total == expected and len(failing.rows.rows) == min(100, expected)
        assert failing.rows.columns == ("case_id", "priority") and failing.rows.types == ("int", "string")
        assert all(priority != "low" for _, priority in failing.rows.rows)

        compiled = compiled_from(warm.run(JobSpec(JobKind.COMPILE, "fct_latest_cases"), demo), "fct_latest_cases")
        assert compiled.sql is not None and "workbench_demo.stg_cases" in compiled.sql
        first = preview_page(project, compiled.sql, page=0, rows=5)
        newest = oracle(demo, "select max(case_id) from main.stg_cases")
        assert first.total == 7 and first.columns == ("case_id", "priority") and first.types == ("int", "string")
        assert [row[0] for row in first.rows] == list(range(newest, newest - 5, -1))
        second = preview_page(project, compiled.sql, page=1, rows=5)
        assert [row[0] for row in second.rows] == [newest - 5, newest - 6]

        typed = query_rows(reader_for(project.connection), "select claimed_amount, opened_at from workbench_demo.dim_cases order by case_id", limit=1)
        assert typed.types == ("decimal(12,2)", "timestamp")
        assert str(typed.rows[0][0]) == str(oracle(demo, "select claimed_amount from main.dim_cases order by case_id limit 1"))
        with pytest.raises(WorkbenchError, match="TABLE_OR_VIEW_NOT_FOUND"):
            query_rows(reader_for(project.connection), "select * from workbench_demo.no_such_model")

    def test_starter_columns_docs_scaffold_and_test_suggestions_read_spark(self, demo: Path, warm: WarmJobs) -> None:
        """Spark has no information_schema: the source's columns come from an empty select, the
        relationship's parent is found by `show tables`, and names are quoted with backticks (a
        double-quoted name would be a string there, and every count would be wrong)."""
        import yaml

        from tui.core.discover.new_model import source_columns
        from tui.core.jobs.preview import compiled_from
        from tui.core.jobs.spec import JobKind, JobSpec
        from tui.core.project.records import SourceTable
        from tui.core.scan.scanner import scan_project
        from tui.core.warehouse.built import built_columns
        from tui.core.workflow.drafts import docs_scaffold, test_suggestions

        project = load_project(demo)
        columns, said = source_columns(project, SourceTable("raw", "cases", "models/staging/_sources.yml", 3, False))
        assert columns[:2] == [("case_id", "bigint"), ("case_ref", "string")] and len(columns) == 8
        assert said == "columns from the warehouse (the spark target (read through dbt))"
        missing, said = source_columns(project, SourceTable("raw", "no_such_table", "models/staging/_sources.yml", 3, False))
        assert missing == [] and "raw.no_such_table is not in the warehouse" in said

        scan = scan_project(project)
        model = next(m for m in scan.models if m.name == "int_case_decisions_joined")
        compiled = compiled_from(warm.run(JobSpec(JobKind.COMPILE, model.name), demo), model.name)
        entry = yaml.safe_load(docs_scaffold(project, scan, model, compiled.sql).text)
        entry = entry[0] if isinstance(entry, list) else entry
        assert [c["name"] for c in entry["columns"]][:3] == ["decision_id", "case_id", "reviewer_id"]
        proposed = {s.title: s.evidence for s in test_suggestions(project, scan, model, compiled.sql)}
        rows = oracle(demo, "select count(*) from main.int_case_decisions_joined")
        values = oracle(demo, "select string_agg(distinct outcome, ', ' order by outcome) from main.int_case_decisions_joined")
        assert proposed["outcome: accepted_values"] == f"{rows:,} rows, 4 distinct values: {values}"
        assert proposed["reviewer_id: relationships"] == f"every one of {rows:,} rows' reviewer_id is a stg_reviewers.reviewer_id"
        assert proposed["opened_at: not_null"] == f"{rows:,} rows, 0 null"
        found, why = built_columns(project.connection)
        assert found == {} and "has no information_schema" in why  # said, not guessed


async def test_the_app_runs_tests_and_previews_a_model_on_spark(demo: Path) -> None:
    """By keyboard, as on DuckDB: p previews the open model, x runs and tests it (the warm
    worker holding the JVM), j shows the results with the failing test's rows read from Spark."""
    rows = oracle(demo, "select count(*) from main.stg_cases")
    failing_rows = oracle(demo, "select count(*) from main.stg_cases where priority <> 'low'")
    await preview_run_and_test_by_keys(demo, rows, failing_rows, integer_type="int")


def test_the_cli_previews_a_spark_model(demo: Path) -> None:
    shown = subprocess.run([sys.executable, "-m", "tui", "preview", str(demo), "fct_latest_cases", "--limit", "3", "--json"], capture_output=True, text=True)
    assert shown.returncode == 0, shown.stderr
    import json

    data = json.loads(shown.stdout)
    assert data["columns"] == ["case_id", "priority"] and data["types"] == ["int", "string"] and data["total"] == 7
    assert [row[0] for row in data["rows"]] == [oracle(demo, "select max(case_id) from main.stg_cases") - i for i in range(3)]
