"""The demo builds with real dbt on real DuckDB, and a failing or slow build is reported."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import duckdb
import pytest

from tui.core.demo import DATABASE, build_demo_project, write_demo_project
from tui.core.errors import WorkbenchError
from tui.core.process import live_child_pids

pytestmark = pytest.mark.e2e


def _query(root: Path, sql: str) -> int:
    """One number from the demo database, read-only, connection closed at once."""
    con = duckdb.connect(str(root / DATABASE), read_only=True)
    try:
        return con.sql(sql).fetchall()[0][0]
    finally:
        con.close()


def test_demo_builds_into_marts(tmp_path: Path) -> None:
    root = write_demo_project(tmp_path / "demo")
    lines: list[str] = []
    build_demo_project(root, on_line=lines.append)
    assert any("Completed successfully" in line for line in lines)
    expected_decisions = _query(root, "select count(*) from raw.decisions "
                                      "where decision_id is not null")
    expected_reviewers = _query(root, "select count(*) from raw.reviewers "
                                      "where reviewer_id is not null")
    assert _query(root, "select count(*) from main.fct_case_decisions") == expected_decisions
    assert _query(root, "select count(*) from main.dim_reviewers") == expected_reviewers
    assert 2_000 < expected_decisions < 3_000
    assert _query(root, "select count(*) from main.dim_reviewers where decisions_made > 0") > 30


def test_failed_build_reports_the_tail(tmp_path: Path) -> None:
    root = write_demo_project(tmp_path / "demo")
    (root / "models" / "marts" / "dim_cases.sql").write_text("select * from no_such_table\n")
    with pytest.raises(WorkbenchError) as caught:
        build_demo_project(root)
    message = str(caught.value)
    assert "dbt build failed" in message
    assert "dim_cases" in message
    assert len(message.splitlines()) <= 21


def test_slow_build_is_stopped(tmp_path: Path) -> None:
    """The build is stopped at its deadline, with every process of its group gone."""
    root = write_demo_project(tmp_path / "demo")
    seen: set[int] = set()
    watching = threading.Event()

    def watch_children() -> None:
        while not watching.is_set():
            seen.update(live_child_pids())
            time.sleep(0.01)

    watcher = threading.Thread(target=watch_children)
    watcher.start()
    try:
        with pytest.raises(WorkbenchError, match="did not finish within"):
            build_demo_project(root, timeout=0.5)
    finally:
        watching.set()
        watcher.join()
    assert len(seen) == 1  # the dbt child was running when the deadline came
    (pid,) = seen
    with pytest.raises(ProcessLookupError):
        os.killpg(pid, 0)  # no process is left in its group
    assert live_child_pids() == []
