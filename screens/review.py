"""Review and approve one workflow step: what is approved is shown first, then approve or ask for changes.

For the SQL: the file as it is on disk with its lint findings (checked here, on that text), the
models like it, and its compiled SQL (a dbt compile job); for docs and tests: what the entry says.
When the step was approved before, the diff since that approval. A SQL that names a relation
directly is approved only with a reason, which is recorded. Approving happens only here, by the
person at the keyboard: the core's `approve` is called with exactly what this screen showed.
"""

from __future__ import annotations

import difflib
from typing import Callable, Sequence

from rich.syntax import Syntax
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from screens.dialogs import PromptDialog
from tui.bindings import bindings_for
from tui.core.commands import REVIEW_COMMANDS
from tui.core.discover.finder import Candidate
from tui.core.errors import WorkbenchError
from tui.core.jobs.preview import compiled_from
from tui.core.jobs.queue import Job
from tui.core.lint.rules import Finding, Severity
from tui.core.lint.run import sql_approval_blockers
from tui.core.project.records import ModelFile, ProjectScan
from tui.core.workflow.flow import ModelFlow, approve, request_changes
from tui.core.workflow.machine import StepState
from tui.core.workflow.steps import Status, Step
from tui.core.workflow.store import WorkflowStore

LEXERS = {Step.SQL: "sql+jinja", Step.DOCS: "yaml", Step.TESTS: "yaml"}
HISTORY_SHOWN = 8


class ReviewScreen(ModalScreen[str | None]):
    """Dismissed with the words to tell the user (None: closed without a decision)."""

    DEFAULT_CSS = """
    ReviewScreen { align: center middle; }
    ReviewScreen > Vertical { width: 100%; height: 100%; border: round $accent; padding: 0 1; }
    ReviewScreen #review-status { height: auto; }
    ReviewScreen #review-body { height: 1fr; }
    ReviewScreen .review-heading { text-style: bold; margin-top: 1; }
    """
    BINDINGS = bindings_for(REVIEW_COMMANDS)
    COMMANDS_LIST = REVIEW_COMMANDS

    class _Linted(Message):
        def __init__(self, findings: list[Finding] | None, problem: str = "") -> None:
            super().__init__()
            self.findings = findings
            self.problem = problem

    def __init__(
        self, store: WorkflowStore, scan: ProjectScan, model: ModelFile, flow: ModelFlow, state: StepState,
        lint_sql: Callable[[str], list[Finding]], candidates: Sequence[Candidate] = (),
        compile_model: Callable[[str], Job] | None = None,
    ) -> None:
        super().__init__()
        self.store, self.scan, self.model, self.flow, self.state = store, scan, model, flow, state
        self.lint_sql = lint_sql
        self.candidates = list(candidates)
        self.compile_model = compile_model
        self.compile_job: Job | None = None
        self.compiled_sql: str | None = None
        self.findings: list[Finding] | None = None if state.step is Step.SQL else []

    @property
    def artifact(self):  # noqa: ANN201 - an Artifact
        assert self.flow.artifacts is not None
        return self.flow.artifacts.of(self.state.step)

    def compose(self) -> ComposeResult:
        step = self.state.step
        with Vertical() as box:
            box.border_title = f"Step {step.number} of 4 · {step.title} of {self.model.name}"
            yield Static(self._status_text(), id="review-status")
            with VerticalScroll(id="review-body"):
                if step is Step.SQL:
                    yield Static("Lint", classes="review-heading")
                    yield Static("Checking the SQL as it is on disk...", id="review-lint")
                    yield Static("Models like this one", classes="review-heading")
                    yield Static(self._candidates_text())
                diff = self._diff()
                if diff:
                    yield Static(self._diff_heading(), classes="review-heading")
                    yield Static(Syntax(diff, "diff", word_wrap=True))
                yield Static(f"What you approve: {self._what()}", classes="review-heading")
                yield Static(Syntax(self.artifact.text, LEXERS[step], line_numbers=step is Step.SQL, word_wrap=True))
                if step is Step.SQL:
                    yield Static("Compiled SQL", classes="review-heading")
                    yield Static("Compiling..." if self.compile_model else "Not compiled here.", id="review-compiled")
                yield Static("History", classes="review-heading")
                yield Static(self._history_text())
        yield Footer()

    def on_mount(self) -> None:
        if self.state.step is Step.SQL:
            self._lint(self.artifact.text)
            if self.compile_model is not None:
                self.compile_job = self.compile_model(self.model.name)

    # --- what is shown --------------------------------------------------------------------------

    def _what(self) -> str:
        return {
            Step.SQL: f"the model file {self.model.path}",
            Step.DOCS: f"the entry's description and columns ({self.artifact.where or 'no entry yet'})",
            Step.TESTS: f"the entry's tests ({self.artifact.where or 'no entry yet'})",
        }[self.state.step]

    def _status_text(self) -> Text:
        state = self.state
        text = Text.assemble((f"{state.status.symbol} {state.status.value}", "bold"), f"  {state.reason}")
        keys = "a: approve (a note is optional) · c: request changes (with a note) · ↑/↓ pgup/pgdn: scroll · esc: back"
        if not self.artifact.exists:
            keys = "Nothing to approve yet · esc: back"
        text.append(f"\n{keys}", "dim")
        if state.step is Step.SQL and self.findings is None:
            text.append("\nApproving waits for the lint of this SQL.", "italic")
        blockers = self._blockers()
        if blockers:
            text.append("\n✗ names relations directly: " + ", ".join(blockers) + ". Approving asks for a reason, which is recorded.", "bold red")
        return text

    def _diff_heading(self) -> str:
        approval = self.state.approval
        assert approval is not None
        return f"Changed since it was approved by {approval.by} at {approval.at}"

    def _diff(self) -> str:
        approval = self.state.approval
        if approval is None or self.state.status is not Status.STALE or approval.content == self.artifact.text:
            return ""
        lines = difflib.unified_diff(
            approval.content.splitlines(keepends=True), self.artifact.text.splitlines(keepends=True),
            fromfile="approved", tofile="now",
        )
        return "".join(lines)

    def _candidates_text(self) -> Text:
        if not self.candidates:
            return Text("No existing model looks like this one.", style="dim")
        text = Text()
        for candidate in self.candidates:
            text.append(f"{candidate.name}  {candidate.score:.0%}  ", "bold")
            text.append("; ".join(candidate.reasons) + "\n", "dim")
        return text

    def _history_text(self) -> Text:
        record = self.flow.record
        if record is None or not record.history:
            return Text("Nothing yet.", style="dim")
        text = Text()
        for event in record.history[-HISTORY_SHOWN:]:
            step = f" {event.step}" if event.step else ""
            text.append(f"{event.at}  {event.by}  {event.kind.replace('_', ' ')}{step}", "bold" if event.kind != "started" else "")
            text.append(f"  {event.note}\n" if event.note else "\n", "dim")
        return text

    # --- the SQL's checks -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="review-lint")
    def _lint(self, text: str) -> None:
        try:
            self.post_message(self._Linted(self.lint_sql(text)))
        except Exception as error:  # noqa: BLE001 - said on the screen; approving stays refused
            self.post_message(self._Linted(None, f"{type(error).__name__}: {error}"))

    @on(_Linted)
    def _linted(self, message: _Linted) -> None:
        shown = self.query_one("#review-lint", Static)
        if message.findings is None:
            shown.update(Text(f"✗ The lint could not run ({message.problem}): the SQL cannot be approved now.", style="bold red"))
            return
        self.findings = message.findings
        if not message.findings:
            shown.update(Text("✓ No findings: reads only through ref() and source().", style="green"))
        else:
            text = Text()
            for finding in message.findings:
                mark = "✗" if finding.severity is Severity.ERROR else "⚠"
                where = f"line {finding.line}: " if finding.line else ""
                text.append(f"{mark} {finding.rule}  {where}{finding.message}\n")
            shown.update(text)
        self.query_one("#review-status", Static).update(self._status_text())

    def _blockers(self) -> list[str]:
        return [finding.message for finding in sql_approval_blockers(self.findings or [])]

    def follow_job(self, job: Job) -> None:
        if job is not self.compile_job or not job.finished:
            return
        shown = self.query_one("#review-compiled", Static)
        if job.outcome is None:
            shown.update(job.note or "The compile did not run.")
            return
        compiled = compiled_from(job.outcome, self.model.name)
        if compiled.sql is None:
            shown.update(Text(f"✗ It does not compile: {compiled.problem}", style="bold red"))
        else:
            self.compiled_sql = compiled.sql
            shown.update(Syntax(compiled.sql, "sql", word_wrap=True))

    # --- decisions ------------------------------------------------------------------------------

    def action_approve(self) -> None:
        if not self.artifact.exists:
            self.notify(f"Nothing to approve yet: {self.state.reason}.", severity="warning")
            return
        if self.findings is None:
            self.notify("The lint of this SQL has not finished: approve once it has.", severity="warning")
            return
        blockers = self._blockers()
        if blockers:
            ask = PromptDialog("Approve anyway?", "Why may this SQL name relations directly? (recorded with the approval)")
            self.app.push_screen(ask, lambda reason: self._approve(blockers, reason) if reason else None)
            return
        self.app.push_screen(PromptDialog("Approve", "A note for the history (optional), enter to approve:"), self._approve_with_note)

    def _approve_with_note(self, note: str | None) -> None:
        self._approve([], "", note or "")

    def _approve(self, blockers: list[str], override: str | None, note: str = "") -> None:
        assert self.flow.artifacts is not None
        try:
            approve(self.store, self.scan, self.model, self.state.step, self.flow.artifacts, note, blockers, override or "")
        except WorkbenchError as error:
            self.notify(str(error), title="Not approved", severity="error", timeout=10)
            return
        step = self.state.step
        following = {Step.SQL: "the docs are open", Step.DOCS: "the tests are open", Step.TESTS: "the run is open"}[step]
        self.dismiss(f"Step {step.number} ({step.title}) of {self.model.name} approved: {following}.")

    def action_request_changes(self) -> None:
        self.app.push_screen(PromptDialog("Request changes", "What should change? (kept in the history)"), self._request_changes)

    def _request_changes(self, note: str | None) -> None:
        if not note:
            return
        try:
            request_changes(self.store, self.model, self.state.step, note)
        except WorkbenchError as error:
            self.notify(str(error), severity="error")
            return
        self.dismiss(f"Changes requested on the {self.state.step.title.lower()} of {self.model.name}: the step stays open.")
