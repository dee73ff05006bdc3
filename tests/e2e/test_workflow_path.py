"""The four-step workflow by keyboard on the built demo, with real dbt: a model made with the
wizard, its docs refused before the SQL is approved, SQL approved after review, docs scaffolded
and approved, suggested tests accepted and approved, run and tested, then an edit to the SQL
locks docs, tests and run again."""

from __future__ import annotations

from pathlib import Path

import pytest

import yaml
from textual.widgets import Static

from screens.dialogs import PromptDialog
from screens.main import MainScreen
from screens.new_model import ConfirmCreateDialog
from screens.review import ReviewScreen
from screens.suggest_tests import SuggestTestsScreen
from tests.pilot.conftest import open_app, settle
from tests.pilot.test_new_model import open_wizard_with
from tui.core.jobs.queue import JobState
from tui.core.workflow.store import WorkflowStore

pytestmark = pytest.mark.e2e

MODEL = "stg_raw__cases"


def tracker_text(app) -> str:
    return str(app.screen.query_one("#tracker", Static).render())


def notes(app) -> list[str]:
    return [notification.message for notification in app._notifications]


async def create_with_wizard(pilot) -> None:
    await open_wizard_with(pilot, MODEL)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, PromptDialog)  # a likely duplicate (stg_cases): why?
    await pilot.press(*"the audit export differs", "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ConfirmCreateDialog)
    await pilot.press("y")
    await settle(pilot)
    assert isinstance(pilot.app.screen, MainScreen) and pilot.app.screen.open_model.name == MODEL


async def approve_current_step(pilot) -> str:
    """a on the main screen, the review shown, a, then enter (no note): the review's title."""
    await pilot.press("a")
    await settle(pilot)
    review = pilot.app.screen
    assert isinstance(review, ReviewScreen)
    title = review.query_one("Vertical").border_title
    await pilot.press("a")
    await settle(pilot)
    assert isinstance(pilot.app.screen, PromptDialog)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, MainScreen), notes(pilot.app)[-1]
    return title


async def test_the_whole_path_then_an_edit_locks_again(built_demo: Path) -> None:
    app = open_app(built_demo, warm_jobs=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await create_with_wizard(pilot)
        screen = app.screen
        await settle(pilot)
        assert "1 SQL ● open" in tracker_text(app) and "2 Docs ○ locked" in tracker_text(app)

        # Docs before the SQL is approved: the YAML pane is read-only and says why; o refuses.
        await pilot.press("escape", "y")
        yaml_editor = screen.editors.yaml_pane.editor
        before = yaml_editor.text
        await pilot.press(*"oops")
        assert yaml_editor.text == before and yaml_editor.read_only
        note = str(screen.editors.yaml_pane.query_one(".pane-note", Static).render())
        assert "Read-only: Docs unlock after you approve the SQL" in note
        await pilot.press("escape", "o")
        assert "locked: Docs unlock after you approve the SQL" in notes(app)[-1]

        # Step 1: the review shows the SQL, its lint and its compiled SQL; approving unlocks the docs.
        await pilot.press("a")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        lint = str(review.query_one("#review-lint", Static).render())
        assert "has no YAML entry" in lint and "✗" not in lint  # warnings for the later steps, no error
        assert '"raw"."cases"' in review.compiled_sql  # this job's dbt compile of the file
        await pilot.press("escape")
        assert await approve_current_step(pilot) == f"Step 1 of 4 · SQL of {MODEL}"
        await settle(pilot)
        assert "1 SQL ✓ approved" in tracker_text(app) and "2 Docs ● open" in tracker_text(app)
        assert not yaml_editor.read_only

        # Step 2: the scaffold fills the entry from the query's columns; saved, then approved.
        await pilot.press("o")
        await settle(pilot)
        assert screen.editors.yaml_pane.dirty
        drafted = yaml.safe_load(yaml_editor.text)[0]
        assert drafted["name"] == MODEL and "case_ref" in [c["name"] for c in drafted["columns"]]
        await pilot.press("ctrl+o", "escape")
        await settle(pilot)
        assert await approve_current_step(pilot) == f"Step 2 of 4 · Docs of {MODEL}"
        await settle(pilot)
        assert "2 Docs ✓ approved" in tracker_text(app) and "3 Tests ● open" in tracker_text(app)

        # Step 3: the data's suggestions, all kept, go into the entry; saved, then approved.
        await pilot.press("k")
        await settle(pilot)
        assert isinstance(app.screen, SuggestTestsScreen)
        titles = [s.title for s in app.screen.suggestions]
        assert "case_ref: not_null" in titles and "case_id: unique" not in titles  # raw case_id has nulls
        assert all("rows" in s.evidence for s in app.screen.suggestions)
        await pilot.press("enter")
        await settle(pilot)
        assert "data_tests" in yaml_editor.text
        await pilot.press("ctrl+o", "escape")
        await settle(pilot)
        assert await approve_current_step(pilot) == f"Step 3 of 4 · Tests of {MODEL}"
        await settle(pilot)
        assert "4 Run ● open" in tracker_text(app)

        # Step 4: a runs and tests it (real dbt); the passing result completes the workflow.
        await pilot.press("a")
        await settle(pilot)
        jobs = screen.jobs.queue.jobs[-2:]
        assert [job.state for job in jobs] == [JobState.PASSED, JobState.PASSED], [job.note for job in jobs]
        await settle(pilot)
        assert "every step approved" in tracker_text(app)
        record = WorkflowStore(built_demo).load(MODEL).record
        assert record.last_run.passed and [e.kind for e in record.history][:2] == ["started", "create_anyway"]

        # An edit to the SQL: step 1 is stale, everything after it locked again; x refuses.
        await pilot.press("e", "ctrl+end", *"\n-- one more line", "ctrl+o", "escape")
        await settle(pilot)
        text = tracker_text(app)
        assert "1 SQL ! stale" in text and "2 Docs ○ locked" in text and "3 Tests ○ locked" in text and "4 Run ○ locked" in text
        queued = len(screen.jobs.queue.jobs)
        await pilot.press("x")
        assert len(screen.jobs.queue.jobs) == queued
        assert "The run unlocks after the tests are approved" in notes(app)[-1]
        assert yaml_editor.read_only
