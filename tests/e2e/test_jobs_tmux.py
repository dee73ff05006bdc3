"""dbt jobs in a real terminal: x runs and tests the model, j shows the results; quitting while a
job runs leaves no child process (checked by PID) and the DuckDB file free."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.test_wizard_tmux import TmuxApp, built_demo, open_app  # noqa: F401 (fixtures)

pytestmark = pytest.mark.e2e


def descendants(pid: int) -> set[int]:
    """Every process below `pid`, from /proc (no psutil needed)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pids: set[int]) -> set[int]:
    return {pid for pid in pids if Path(f"/proc/{pid}").exists()}


def test_run_and_test_then_quit_mid_job_leaves_no_child(built_demo: Path, open_app) -> None:  # noqa: F811
    app: TmuxApp = open_app(built_demo, 80, 24)
    app.wait_for("reads raw.cases")  # stg_cases is open: x has a model to run
    pane = int(app.tmux("display-message", "-p", "-t", "wizard", "#{pane_pid}").strip())
    app.keys("x")
    app.keys("j")
    shown = app.wait_for("Job 2 of 2: dbt test --select stg_cases", "✓ passed", timeout=60)
    assert "✓ pass" in shown and "not_null_stg_cases_case_id" in shown
    app.keys(",")
    app.wait_for("Job 1 of 2: dbt run --select stg_cases", "rows")
    app.keys("Escape")
    app.wait_until(lambda shown: "dbt jobs" not in shown and "? Help" in shown, "the main screen back")
    (built_demo / "models/marts/fct_slow.sql").write_text("{{ config(materialized='table') }}\nselect count(*) as n from range(4000000000) a join range(1000) b on a.range % 1000 = b.range\n")
    app.wait_for("fct_slow")  # the watcher saw it: the tree lists it
    app.keys("/")
    app.type("fct_slow")
    app.keys("Enter")
    app.wait_for("models/marts/fct_slow.sql")
    app.keys("x")
    app.keys("j")
    app.wait_for("running fct_slow", timeout=60)
    running = descendants(pane)  # the app, its warm dbt worker and the job it forked
    assert len(running) >= 3
    app.keys("Escape")  # the jobs screen closes; the job goes on
    app.wait_until(lambda shown: "dbt jobs" not in shown and "? Help" in shown, "the main screen back")
    app.keys("q")
    assert app.exit_status() == 0
    deadline = time.monotonic() + 10
    while alive(running) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert alive(running) == set()
    database = built_demo / "demo.duckdb"
    opened = subprocess.run([sys.executable, "-c", f"import duckdb; duckdb.connect({str(database)!r}).close()"], capture_output=True, text=True)
    assert opened.returncode == 0, opened.stderr
