"""The lint panel under the editors: the open model's findings as it is typed, and the project's lint.

The open model is linted in a thread worker from the text in the SQL editor (a few ms; typing
restarts a short debounce, so it never blocks). The whole project is linted by the injected
`ProjectLinter` (by default `dbt-workbench lint --json` in a child process, on the other core)
whenever a new schema index arrives; the result goes up as ProjectLinted for the tree's marks and
the lint screen. Choosing a finding moves the cursor to its line.
"""

from __future__ import annotations

from enum import StrEnum

from rich.text import Text
from textual import on, work
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import OptionList
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tui.core.errors import WorkbenchError
from tui.core.lint.child import ProjectLinter
from tui.core.lint.rules import Finding, Severity
from tui.core.lint.run import lint_model
from tui.core.lint.settings import LintSettings
from tui.core.project.dbt_project import DbtProject
from tui.core.project.records import ModelFile, ProjectScan
from tui.core.scan.model_reading import ProjectReading

SEVERITY_MARKS = {Severity.ERROR: ("✗", "bold red"), Severity.WARNING: ("⚠", "yellow")}
TYPING_DEBOUNCE_S = 0.3
CLEAN = "No findings: reads only through ref() and source()."


class ProjectLintState(StrEnum):
    NOT_STARTED = "not started"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


def finding_text(finding: Finding, under_rule: bool = False) -> Text:
    """One line for a finding: mark, rule, message, and where. Under a rule's heading (the lint
    screen) the rule is not repeated, and the model is named only when the message does not."""
    mark, style = SEVERITY_MARKS[finding.severity]
    where = f"{finding.path}:{finding.line}" if finding.line else finding.path
    text = Text.assemble((f"{mark} ", style))
    if not under_rule:
        text.append(finding.rule, "bold").append(" ")
    elif finding.model and finding.model not in finding.message:
        text.append(f"{finding.model}: ", "cyan")
    text.append(finding.message)
    text.append(f"  {where}", "dim")
    return text


def worst_by_model(findings: list[Finding]) -> dict[str, Severity]:
    """Each model's worst severity, for the tree's marks."""
    worst: dict[str, Severity] = {}
    for finding in findings:
        if worst.get(finding.model) is not Severity.ERROR:
            worst[finding.model] = finding.severity
    return worst


class LintPanel(OptionList):
    """Findings for the open model; `scan` is bound by the screen, the SQL text is handed in."""

    DEFAULT_CSS = """
    LintPanel { height: 6; border: round $warning 40%; padding: 0; }
    LintPanel:focus { border: round $warning; }
    LintPanel.-clean { border: round $success 40%; }
    """

    scan: reactive[ProjectScan | None] = reactive(None, always_update=True, init=False)

    class FindingChosen(Message):
        def __init__(self, finding: Finding) -> None:
            super().__init__()
            self.finding = finding

    class ProjectLinted(Message):
        """The project lint ended: `findings` when it ran, else `problem` says why not."""

        def __init__(self, findings: list[Finding] | None, problem: str | None) -> None:
            super().__init__()
            self.findings = findings
            self.problem = problem

    class _ModelLinted(Message):
        def __init__(self, model_path: str, text: str, findings: list[Finding]) -> None:
            super().__init__()
            self.model_path = model_path
            self.text = text
            self.findings = findings

    def __init__(
        self, project: DbtProject, settings: LintSettings, project_linter: ProjectLinter, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.project = project
        self.settings = settings
        self.project_linter = project_linter
        self.findings: list[Finding] = []
        self._shown_lines: list[str] = []
        self.linted_text: str | None = None
        """The SQL text the shown findings are for."""
        self.project_findings: list[Finding] = []
        self.project_state = ProjectLintState.NOT_STARTED
        self.project_problem: str | None = None
        self._model: ModelFile | None = None
        self._text = ""
        self._timer: Timer | None = None
        self._schema_seen: object = None
        self._reading = ProjectReading.of(project)
        """The project's macros and vars for the guard; renewed with each new scan (macros may change)."""
        self.border_title = "Lint"

    # --- the open model -----------------------------------------------------------------------

    def lint_text(self, model: ModelFile, text: str) -> None:
        """Lint this text of the model: at once for a newly opened model, after a pause while typing."""
        typing = self._model is not None and self._model.path == model.path
        self._model, self._text = model, text
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if typing:
            self._timer = self.set_timer(TYPING_DEBOUNCE_S, self._lint_open_model)
        else:
            self._lint_open_model()

    def lint_now(self, model: ModelFile, text: str) -> list[Finding]:
        """Lint a text of the model in the caller's thread (a review checks exactly what it approves)."""
        scan = self.scan
        if scan is None:
            raise RuntimeError("the project has not been read yet")
        return lint_model(scan, model, text, self.settings, self.project.sql_dialect_source, self._reading)

    def forget_model(self) -> None:
        """No model is open (a source or a problem is shown)."""
        self._model = None
        self.linted_text = None
        self.show_findings([], note="")

    def _lint_open_model(self) -> None:
        scan, model = self.scan, self._model
        if model is None or scan is None or not scan.schema.complete:
            return  # the schema index brings a lint when it arrives
        self._lint_model(scan, model, self._text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="lint-model")
    def _lint_model(self, scan: ProjectScan, model: ModelFile, text: str) -> None:
        findings = lint_model(scan, model, text, self.settings, self.project.sql_dialect_source, self._reading)
        if not get_current_worker().is_cancelled:  # a newer lint (newer text) supersedes this one
            self.post_message(self._ModelLinted(model.path, text, findings))

    @on(_ModelLinted)
    def _model_linted(self, message: _ModelLinted) -> None:
        if self._model is not None and self._model.path == message.model_path:
            self.linted_text = message.text
            self.show_findings(message.findings)

    def show_findings(self, findings: list[Finding], note: str | None = None) -> None:
        """The findings in one update (filled option by option, the list re-lays the screen out
        once per option, on every keystroke's lint); the same lines as shown change nothing."""
        self.findings = list(findings)
        clean = not self.findings
        lines = [finding_text(finding) for finding in self.findings] or [Text(CLEAN if note is None else note, "green")]
        if [line.plain for line in lines] == self._shown_lines:
            return
        self._shown_lines = [line.plain for line in lines]
        if clean:
            self.set_options([Option(lines[0], disabled=True)])
        else:
            self.set_options(Option(line, id=str(index)) for index, line in enumerate(lines))
        self.set_class(clean, "-clean")
        errors = sum(1 for f in self.findings if f.severity is Severity.ERROR)
        self.border_title = f"Lint: {errors} error(s), {len(self.findings) - errors} warning(s)" if not clean else "Lint"

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.FindingChosen(self.findings[int(event.option.id)]))

    # --- the project --------------------------------------------------------------------------

    def watch_scan(self, scan: ProjectScan | None) -> None:
        """A new schema index means files changed: lint the project and the open model again."""
        if scan is None or not scan.schema.complete or scan.schema is self._schema_seen:
            return
        self._schema_seen = scan.schema
        self._reading = ProjectReading.of(self.project)
        self.project_state = ProjectLintState.RUNNING
        self._lint_project(scan)
        self._lint_open_model()

    @work(thread=True, exclusive=True, exit_on_error=False, group="lint-project")
    def _lint_project(self, scan: ProjectScan) -> None:
        worker = get_current_worker()
        try:
            findings = self.project_linter(self.project, scan, self.settings, lambda: worker.is_cancelled)
        except WorkbenchError as error:
            self.post_message(self.ProjectLinted(None, str(error)))
            return
        if findings is not None and not worker.is_cancelled:
            self.post_message(self.ProjectLinted(findings, None))

    @on(ProjectLinted)
    def _project_linted(self, message: ProjectLinted) -> None:
        """Keep the result for the lint screen; the message goes on up to the screen."""
        if message.findings is None:
            self.project_state, self.project_problem = ProjectLintState.FAILED, message.problem
        else:
            self.project_state, self.project_problem = ProjectLintState.DONE, None
            self.project_findings = message.findings
