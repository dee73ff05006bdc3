"""`dbt-workbench status` and `check` as CI and agents use them, and `run --select` refusing a model
whose step 4 is locked: real processes on the demo's files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.unit.test_cli import run_cli
from tests.unit.test_workflow_state import MODEL, approve_now, edit, started, through_tests
from tui.core.demo.writer import write_demo_project
from tui.core.workflow.steps import Step


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return write_demo_project(tmp_path / "demo")


def test_with_nothing_in_the_workflow_status_says_so_and_check_passes(demo: Path) -> None:
    status = run_cli("status", str(demo))
    assert status.returncode == 0 and "No model is in the workflow yet" in status.stdout
    check = run_cli("check", str(demo))
    assert check.returncode == 0 and "nothing to check" in check.stdout


def test_status_json_gives_every_step_with_its_reason_and_the_next(demo: Path) -> None:
    started(demo)
    approve_now(demo, Step.SQL)
    result = run_cli("status", str(demo), MODEL, "--json")
    assert result.returncode == 0, result.stderr
    [model] = json.loads(result.stdout)
    assert model["state"] == "in_progress" and model["next"] == "docs"
    assert [(s["step"], s["status"]) for s in model["steps"]] == [("sql", "approved"), ("docs", "open"), ("tests", "locked"), ("run", "locked")]
    assert model["steps"][2]["reason"] == "Tests unlock after you approve the docs"
    assert model["steps"][0]["approved_by"]


def test_status_of_one_model_from_inside_the_project(demo: Path) -> None:
    started(demo)
    result = run_cli("status", MODEL, cwd=demo)
    assert result.returncode == 0 and result.stdout.startswith(f"{MODEL}: 1 SQL ● open")
    other = run_cli("status", "stg_decisions", cwd=demo)
    assert "stg_decisions: not in the workflow" in other.stdout


def test_check_lists_models_with_a_stale_or_unapproved_step_and_exits_1(demo: Path) -> None:
    through_tests(demo)
    edit(demo / "models/staging/stg_cases.sql", "select", "select distinct")
    result = run_cli("check", str(demo))
    assert result.returncode == 1
    assert "1 of 1 model(s) in the workflow are not through every step" in result.stderr
    assert f"{MODEL}: 1 SQL ! stale" in result.stderr and "the SQL changed since it was approved" in result.stderr


def test_check_reports_a_record_whose_model_is_gone_or_unreadable(demo: Path) -> None:
    started(demo)
    (demo / "models/staging/stg_cases.sql").rename(demo / "models/staging/stg_cases_v2.sql")
    (demo / ".dbt-workbench/workflow/stg_old.json").write_text("{broken")
    result = run_cli("check", str(demo))
    assert result.returncode == 1
    assert "stg_cases: missing: no model of this name now (was models/staging/stg_cases.sql" in result.stderr
    assert "stg_old: unreadable" in result.stderr and "not valid JSON" in result.stderr


def test_run_refuses_a_model_whose_run_is_locked_and_no_command_approves(demo: Path) -> None:
    started(demo)
    result = run_cli("run", str(demo), "--select", MODEL)
    assert result.returncode == 1
    assert "step 4 is locked: The run unlocks after the tests are approved" in result.stderr
    assert not (demo / "target" / "run_results.json").exists()  # dbt never ran
    for args in (("approve", MODEL), ("status", "--approve", MODEL)):
        assert run_cli(*args, cwd=demo).returncode != 0
