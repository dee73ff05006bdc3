"""The main screen's lint half: the open model's findings as you type, the project's in a child.

The open model is linted in a thread worker from the text in the SQL editor (a few ms, never
blocking typing: edits restart a short debounce). The whole project is linted by running
`dbt-workbench lint --json` as a child process, so the other core does the work and the UI
thread keeps the GIL; the child is killed if the app leaves first.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.timer import Timer
from textual.widgets import TextArea
from textual.worker import get_current_worker

from screens.lint import LintScreen
from tui.core.guard import sqlglot_dialect
from tui.core.lint import Finding, Severity, lint_model
from tui.widgets.editor_pane import EditorPane
from tui.widgets.lint_panel import LintPanel
from tui.widgets.model_tree import ModelTree

if TYPE_CHECKING:
    from tui.core.config import WorkbenchConfig
    from tui.core.inventory import ModelFile, ProjectScan
    from tui.core.project import DbtProject

LINT_DEBOUNCE_S = 0.3


class ModelLinted(Message):
    def __init__(self, model_path: str, findings: list[Finding]) -> None:
        super().__init__()
        self.model_path = model_path
        self.findings = findings


class ProjectLinted(Message):
    def __init__(self, findings: list[Finding] | None, problem: str | None) -> None:
        super().__init__()
        self.findings = findings
        self.problem = problem


class LintingMixin:
    """Mixed into MainScreen, which provides project, config, scan and current_model."""

    project: DbtProject
    config: WorkbenchConfig
    scan: ProjectScan | None
    current_model: ModelFile | None
    project_findings: list[Finding]
    lint_timer: Timer | None = None

    def lint_open_model(self) -> None:
        model, scan = self.current_model, self.scan
        if model is None or scan is None or not scan.schema.complete:
            return  # the schema index triggers a lint when it arrives
        text = self.query_one("#sql-pane", EditorPane).text
        self._lint_model(scan, model, text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="lint-model")
    def _lint_model(self, scan: ProjectScan, model: ModelFile, text: str) -> None:
        dialect = sqlglot_dialect(self.project.connection.adapter_type)
        findings = lint_model(scan, model, text, self.config, dialect)
        if not get_current_worker().is_cancelled:  # a newer lint (newer text) supersedes this one
            self.post_message(ModelLinted(model.path, findings))

    def on_model_linted(self, message: ModelLinted) -> None:
        if self.current_model is not None and self.current_model.path == message.model_path:
            self.query_one(LintPanel).show_findings(message.findings)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        """SQL edits re-lint after a short pause (named handler: @on is not read from mixins)."""
        if event.text_area.parent is not self.query_one("#sql-pane", EditorPane):
            return
        if self.lint_timer is not None:
            self.lint_timer.stop()
        self.lint_timer = self.set_timer(LINT_DEBOUNCE_S, self.lint_open_model)

    @work(thread=True, exclusive=True, exit_on_error=False, group="lint-project")
    def lint_project(self) -> None:
        """`dbt-workbench lint --json` in a child process; stopped if the worker is cancelled."""
        worker = get_current_worker()
        command = [sys.executable, "-m", "tui", "lint", str(self.project.root), "--json"]
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            while child.poll() is None:
                if worker.is_cancelled:
                    os.killpg(child.pid, signal.SIGTERM)
                    return
                try:
                    child.wait(timeout=0.2)
                except subprocess.TimeoutExpired:
                    pass
            out, err = child.communicate()
        finally:
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGKILL)
        self.post_message(_project_linted(out, err))

    def on_project_linted(self, message: ProjectLinted) -> None:
        if message.findings is None:
            self.notify(message.problem or "Lint failed.", title="Lint", severity="error")
            return
        self.project_findings = message.findings
        worst: dict[str, Severity] = {}
        for finding in message.findings:
            if worst.get(finding.model) is not Severity.ERROR:
                worst[finding.model] = finding.severity
        self.query_one(ModelTree).show_lint(worst)

    def action_lint(self) -> None:
        findings = self.project_findings
        errors = sum(1 for finding in findings if finding.severity is Severity.ERROR)
        title = f"{len(findings)} finding(s), {errors} error(s) in {self.project.name} (as of the last scan)"
        self.app.push_screen(LintScreen(findings, title), self._open_finding)

    def _open_finding(self, finding: Finding | None) -> None:
        if finding is None or self.scan is None:
            return
        model = self.scan.model_named(finding.model)
        if model is not None:
            self.pending_line = (finding.path, finding.line)
            self.query_one(ModelTree).move_to(model)

    def on_lint_panel_finding_chosen(self, message: LintPanel.FindingChosen) -> None:
        self.show_finding_line(message.finding.path, message.finding.line)

    def show_finding_line(self, path: str, line: int | None) -> None:
        """Put the cursor on the finding's line in whichever pane shows its file."""
        for pane in self.query(EditorPane):
            buffer = pane.buffer
            if buffer is not None and str(buffer.path) == path:
                pane.editor.focus()
                if line:
                    pane.editor.go_to_line(line - buffer.first_line + 1)
                return


def _project_linted(out: bytes, err: bytes) -> ProjectLinted:
    try:
        rows = json.loads(out)
        findings = [Finding(r["rule"], Severity(r["severity"]), r["model"], r["message"], r["path"], r["line"]) for r in rows]
    except (ValueError, KeyError, TypeError):
        return ProjectLinted(None, f"Lint did not run: {err.decode(errors='replace').strip()[-300:]}")
    return ProjectLinted(findings, None)
