"""The four-step workflow in a real terminal: a model made with the wizard taken through SQL, docs,
tests and run by keys typed into tmux, real dbt behind it, then an edit that locks it again.

Every wait polls the screen for its text (no fixed sleeps); a failure prints the screen."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.e2e.test_wizard_tmux import BIN, TmuxApp, _clean_env, built_demo, create_anyway, open_app, pick_decisions_source  # noqa: F401

pytestmark = pytest.mark.e2e
MODEL = "stg_raw__decisions"


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


@pytest.mark.parametrize("size", [(120, 32), (200, 50)], ids=lambda size: f"{size[0]}x{size[1]}")
def test_the_whole_path_in_tmux_then_an_edit_locks_it_again(built_demo: Path, tmp_path: Path, open_app, size) -> None:  # noqa: F811
    root = tmp_path / "demo"
    shutil.copytree(built_demo, root)
    app = open_app(root, *size)
    app.wait_for("Sources (3)", "Staging (3)", "n New model")
    app.keys("n")
    app.wait_for("New model: check what exists first")
    pick_decisions_source(app)
    create_anyway(app, wide=True)
    leave_editor(app)
    app.wait_for("1 SQL ● open", "2 Docs ○ locked", "a: review and approve the SQL")

    app.wait_for("Read-only: Docs unlock after you")  # the YAML pane's note (it wraps)
    app.keys("o")
    app.wait_for("are locked")  # the toast (it wraps)

    approve_in_review(app, f"Step 1 of 4 · SQL of {MODEL}", "Lint", "Models like this one", at_end='"raw"."decisions"')
    app.wait_for("1 SQL ✓ approved", "2 Docs ● open")

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

    app.keys("e")  # the cursor is where it was: the first line
    app.type("-- one more line\n")
    app.keys("C-o")
    leave_editor(app)
    app.wait_for("1 SQL ! stale", "2 Docs ○", "3 Tests ○", "4 Run ○")
    assert [s["status"] for s in status_of(root)["steps"]] == ["stale", "locked", "locked", "locked"]
    app.keys("x")
    app.wait_for("is in the workflow")  # x refused (the toast wraps)
    app.keys("q")
    assert app.exit_status() == 0
