"""The review screen by keyboard: a stale step shows the diff since its approval, a SQL naming a
relation directly is approved only with a reason (recorded), and requested changes keep the step
open with the note in the history."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from screens.dialogs import PromptDialog
from screens.main import MainScreen
from screens.review import ReviewScreen
from tests.pilot.conftest import open_app, settle
from tui.core.project.dbt_project import load_project
from tui.core.scan.scanner import scan_project
from tui.core.workflow.flow import approve, flow_of, start_change
from tui.core.workflow.steps import Step
from tui.core.workflow.store import WorkflowStore

MODEL = "stg_cases"


def approved_through(project: Path, *steps: Step) -> WorkflowStore:
    scan = scan_project(load_project(project))
    model = scan.model_named(MODEL)
    store = WorkflowStore(project)
    start_change(store, model)
    for step in steps:
        approve(store, scan, model, step, flow_of(store, scan, model).artifacts)
    return store


def review_texts(app) -> str:
    return "\n".join(str(widget.render()) for widget in app.screen.query(Static))


async def test_a_stale_step_is_reviewed_with_the_diff_since_it_was_approved(demo_project: Path) -> None:
    approved_through(demo_project, Step.SQL, Step.DOCS)
    schema = demo_project / "models/staging/_staging.yml"
    schema.write_text(schema.read_text().replace("description: Primary key of the case.", "description: The case's key.", 1))
    app = open_app(demo_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.state.step is Step.DOCS
        assert "the docs changed since they were approved" in review_texts(app)
        diff = app.screen._diff()
        assert "-  description: Primary key of the case." in diff and "+  description: The case's key." in diff


async def test_hard_coded_relation_needs_a_reason_that_is_recorded(demo_project: Path) -> None:
    model_file = demo_project / "models/staging/stg_cases.sql"
    model_file.write_text(model_file.read_text().replace("{{ source('raw', 'cases') }}", "raw.cases"))
    store = approved_through(demo_project)
    app = open_app(demo_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)  # the lint of the file, and its compile
        assert "names relations directly" in review_texts(app)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, PromptDialog) and app.screen.title_text == "Approve anyway?"
        await pilot.press("escape")  # no reason: nothing approved
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen) and Step.SQL not in store.load(MODEL).record.approvals
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"the raw table is renamed next week", "enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        approval = store.load(MODEL).record.approvals[Step.SQL]
        assert approval.override == "the raw table is renamed next week"


async def test_requested_changes_keep_the_step_open_with_the_note(demo_project: Path) -> None:
    store = approved_through(demo_project, Step.SQL)
    app = open_app(demo_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen) and app.screen.state.step is Step.DOCS
        await pilot.press("c")
        await settle(pilot)
        await pilot.press(*"describe region's values", "enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        history = store.load(MODEL).record.history
        assert (history[-1].kind, history[-1].step, history[-1].note) == ("changes_requested", "docs", "describe region's values")
        assert "2 Docs ● open" in str(app.screen.query_one("#tracker", Static).render())


async def test_a_scaffold_with_nothing_to_add_leaves_the_yaml_as_it_is(built_demo: Path) -> None:
    approved_through(built_demo, Step.SQL)
    app = open_app(built_demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        yaml_pane = app.screen.editors.yaml_pane
        before = yaml_pane.text
        await pilot.press("o")
        await settle(pilot)  # a compile job (real dbt), then the columns read from DuckDB
        assert not yaml_pane.dirty and yaml_pane.text == before
        assert any("lists every column the model outputs" in n.message for n in app._notifications)
