"""Losing the connection in a real terminal: SIGHUP to the app mid-edit keeps the unsaved pane in
.dbt-workbench/recovery/ (the file on disk untouched), ends the warm worker and every job, leaves
the DuckDB file free; the next start offers the edits back with the diff, and restores them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.test_jobs_tmux import alive, descendants
from tests.e2e.test_wizard_tmux import TmuxApp, built_demo, open_app  # noqa: F401 (fixtures)
from tui.core.recovery import pending_recoveries

pytestmark = pytest.mark.e2e
STG_CASES = "models/staging/stg_cases.sql"
TYPED = "-- typed when the line dropped"


def app_pid(app: TmuxApp) -> int:
    """The dbt-workbench process in the pane (the pane's own process is the shell around it)."""
    pane = int(app.tmux("display-message", "-p", "-t", "wizard", "#{pane_pid}").strip())
    for pid in sorted(descendants(pane)):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(part.endswith(b"dbt-workbench") for part in command):
            return pid
    raise AssertionError("no dbt-workbench process in the pane")


def test_sighup_mid_edit_keeps_the_edit_and_the_next_start_restores_it(built_demo: Path, open_app) -> None:  # noqa: F811
    on_disk = (built_demo / STG_CASES).read_bytes()
    app: TmuxApp = open_app(built_demo, 80, 24)
    app.wait_for("reads raw.cases")  # stg_cases is open
    app.keys("e")
    app.type(TYPED)
    app.keys("Enter")
    app.wait_for("● models/staging/stg_cases.sql", TYPED)
    pid = app_pid(app)
    app.wait_until(lambda _: len(descendants(pid)) >= 1, "the warm dbt worker started")
    children = descendants(pid)
    os.kill(pid, signal.SIGHUP)  # what the terminal going away sends
    assert app.exit_status() == 128 + signal.SIGHUP
    deadline = time.monotonic() + 10
    while alive(children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert alive(children) == set()
    [recovery], _ = pending_recoveries(built_demo)
    assert recovery.signal == "SIGHUP" and recovery.panes[0].path == STG_CASES
    assert recovery.panes[0].text.startswith(TYPED + "\n")
    assert (built_demo / STG_CASES).read_bytes() == on_disk  # never over the user's file
    database = built_demo / "demo.duckdb"
    opened = subprocess.run([sys.executable, "-c", f"import duckdb; duckdb.connect({str(database)!r}).close()"], capture_output=True, text=True)
    assert opened.returncode == 0, opened.stderr

    again: TmuxApp = open_app(built_demo, 80, 24)
    shown = again.wait_for("Recovered edits", "Restore (r)", timeout=60)
    assert "kept on SIGHUP" in shown and f"+{TYPED}" in shown
    again.wait_for("r Restore")  # the footer shows the choices once the dialog takes keys (not in its first 0.6 s)
    again.keys("r")
    again.wait_for("Restored unsaved edits of", "● models/staging/stg_cases.sql", TYPED)
    assert (built_demo / STG_CASES).read_bytes() == on_disk  # restored into the pane, not saved
    assert pending_recoveries(built_demo) == ([], [])
