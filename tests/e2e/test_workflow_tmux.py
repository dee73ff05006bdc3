"""The four-step workflow in a real terminal: a model made with the wizard taken through SQL, docs,
tests and run by keys typed into tmux, real dbt behind it, then an edit that locks it again.

Every wait polls the screen for its text (no fixed sleeps); a failure prints the screen."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from tests.e2e.test_recovery_tmux import app_pid
from tests.e2e.test_wizard_tmux import BIN, TmuxApp, _clean_env, built_demo, create_anyway, open_app, pick_decisions_source  # noqa: F401

pytestmark = pytest.mark.e2e
MODEL = "stg_raw__decisions"
WRITTEN = "-- decisions as raw gives them, renamed"
UNSAVED = "-- typed as the line dropped"


def leave_editor(app: TmuxApp) -> None:
    """esc alone, then wait for the tree's footer (q quits again): the next key is not alt+key."""
    app.keys("Escape")
    app.wait_for("q Quit")


def approve_in_review(app: TmuxApp, title: str, *ready: str, at_end: str = "") -> None:
    """a opens the review (its title shown), then a and enter approve without a note; `at_end`
    is looked for once the review is scrolled to its end."""
    app.keys("a")
    app.wait_for(title, *ready, "a Approve  c Request changes", timeout=60)  # the review's footer: its keys are live
    if at_end:
        app.keys("End")
        app.wait_until(lambda shown: at_end in shown or (app.keys("End") and False), f"{at_end!r} at the end", timeout=60)
    app.keys("a")
    app.wait_for("A note for the history (optional), enter to approve:", timeout=60)
    app.keys("Enter")


def status_of(root: Path) -> dict:
    result = subprocess.run([str(BIN), "status", str(root), MODEL, "--json"], capture_output=True, text=True, timeout=120, env=_clean_env())
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)[0]


@pytest.mark.parametrize("size", [(80, 24), (200, 50)], ids=lambda size: f"{size[0]}x{size[1]}")
def test_the_whole_path_in_tmux_then_sighup_mid_edit_and_recover(built_demo: Path, tmp_path: Path, open_app, size) -> None:  # noqa: F811
    """The issue's path, by keys: open, filter the tree, the wizard and its duplicates, write SQL,
    approve, scaffold docs, approve, accept tests, approve, run, the results; then an edit locks
    the model again, the terminal goes away mid-edit (SIGHUP), and the next start restores it."""
    root = tmp_path / "demo"
    shutil.copytree(built_demo, root)
    app = open_app(root, *size)
    app.wait_for("Sources (3)", "Staging (3)", "n New model", "Workflow: not started")
    app.keys("/")
    app.type("revw")
    shown = app.wait_for("Staging (1)", "stg_reviewers", "Marts (1)", "dim_reviewers")
    assert "fct_case_decisions" not in shown, shown
    app.keys("Escape")
    app.wait_for("Staging (3)", "fct_case_decisions", "q Quit")  # the filter cleared: every model again

    app.keys("n")
    app.wait_for("New model: check what exists first")
    pick_decisions_source(app)
    create_anyway(app, wide=size[1] >= 30)
    app.type(WRITTEN)  # the cursor is on the first line
    app.keys("Enter", "C-o")
    app.wait_for("Saved")
    leave_editor(app)
    app.wait_for("1 SQL ● open", "2 Docs ○", "a: review and approve the SQL")
    assert (root / f"models/staging/{MODEL}.sql").read_text().startswith(f"{WRITTEN}\nwith source as (")

    app.keys("v")  # the YAML pane (a tab of its own at 80 columns)
    app.wait_for("Read-only: Docs unlock after you")  # the YAML pane's note (it wraps)
    app.keys("o")
    app.wait_for("Docs scaffold", "locked")  # the toast (it wraps)
    app.keys("v")

    approve_in_review(app, f"Step 1 of 4 · SQL of {MODEL}", WRITTEN, at_end="root  create anyway")
    app.wait_for("1 SQL ✓", "2 Docs ● open")

    app.keys("o")
    app.wait_for("column(s) added", timeout=60)
    app.keys("C-o")
    app.wait_for("Saved")
    leave_editor(app)
    approve_in_review(app, f"Step 2 of 4 · Docs of {MODEL}", "decision_id")
    app.wait_for("3 Tests ● open")

    app.keys("k")
    app.wait_for(f"Tests the data of {MODEL} supports", "case_id: not_null", timeout=60)
    app.keys("Enter")
    app.wait_for("test(s) added to the entry")
    app.keys("C-o")
    app.wait_for("Saved")
    leave_editor(app)
    approve_in_review(app, f"Step 3 of 4 · Tests of {MODEL}", "- not_null")
    app.wait_for("4 Run ● open", "a: run and test it")

    app.keys("a")
    app.wait_for("every step approved", timeout=120)
    status = status_of(root)
    assert status["state"] == "complete" and [s["status"] for s in status["steps"]] == ["approved"] * 4
    app.keys("j")  # the results
    app.wait_for(f"dbt run --select {MODEL}", f"dbt test --select {MODEL}", "passed")
    app.keys("Escape")
    app.wait_until(lambda shown: f"dbt test --select {MODEL}" not in shown and "n New model" in shown, "the jobs screen closed")

    app.keys("e")  # the cursor is where it was
    app.type("-- one more line")
    app.keys("Enter", "C-o")
    leave_editor(app)
    app.wait_for("1 SQL ! stale", "2 Docs ○", "3 Tests ○", "4 Run ○")
    assert [s["status"] for s in status_of(root)["steps"]] == ["stale", "locked", "locked", "locked"]
    app.keys("x")
    app.wait_for("Not run", "workflow")  # x refused (the toast wraps)

    sql_file = root / f"models/staging/{MODEL}.sql"
    on_disk = sql_file.read_bytes()
    app.keys("e")
    app.type(UNSAVED)
    app.keys("Enter")
    app.wait_for(f"● models/staging/{MODEL}.sql", UNSAVED)
    os.kill(app_pid(app), signal.SIGHUP)  # what the terminal going away sends
    assert app.exit_status() == 128 + signal.SIGHUP
    assert sql_file.read_bytes() == on_disk  # the user's file untouched

    again = open_app(root, *size)
    shown = again.wait_for("Recovered edits", "Restore (r)", timeout=60)
    assert "kept on SIGHUP" in shown and UNSAVED in shown, shown
    again.wait_for("r Restore")
    again.keys("r")
    again.wait_for("Restored unsaved edits of", f"● models/staging/{MODEL}.sql", UNSAVED)
    assert sql_file.read_bytes() == on_disk  # restored into the pane, not saved
    again.keys("C-o")
    again.wait_for("Saved")
    assert UNSAVED.encode() in sql_file.read_bytes()
    again.wait_for("q Quit")  # the restore left the tree its focus (an esc now would make q alt+q)
    again.keys("q")
    assert again.exit_status() == 0
