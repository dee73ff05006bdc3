"""The project-wide lint screen: every finding grouped by rule; enter opens the model at the line."""

from __future__ import annotations

from collections import defaultdict

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from tui.bindings import bindings_for
from tui.core.commands import LINT_SCREEN_COMMANDS
from tui.core.lint.rules import RULES, Finding, Severity
from tui.widgets.lint.panel import ProjectLintState, finding_text


class LintScreen(ModalScreen[Finding | None]):
    """Lists findings by rule; dismisses with the chosen finding (or None)."""

    DEFAULT_CSS = """
    LintScreen { align: center middle; }
    LintScreen > OptionList { width: 100%; height: 1fr; border: round $primary; margin: 1 2 0 2; }
    LintScreen > #lint-summary { height: 1; padding: 0 3; color: $text-muted; }
    """
    BINDINGS = bindings_for(LINT_SCREEN_COMMANDS)

    def __init__(self, findings: list[Finding], title: str, empty_note: str = "No findings in the project.") -> None:
        super().__init__()
        self.findings = findings
        self.title_text = title
        self.empty_note = empty_note
        """What an empty list means: no findings only when a lint has finished."""

    def compose(self) -> ComposeResult:
        yield Static(self.title_text, id="lint-summary")
        yield OptionList(*self._options())
        yield Footer()

    def show(self, findings: list[Finding], title: str, empty_note: str) -> None:
        """The project lint finished (or failed) while the screen was open."""
        self.findings, self.title_text, self.empty_note = findings, title, empty_note
        self.query_one("#lint-summary", Static).update(title)
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(self._options())

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.border_title = "Findings by rule (enter: open the model at the line)"
        options.focus()

    def _options(self) -> list[Option]:
        if not self.findings:
            style = "green" if self.empty_note.startswith("No findings") else "italic"
            return [Option(Text(self.empty_note, style), disabled=True)]
        by_rule: dict[str, list[int]] = defaultdict(list)
        for index, finding in enumerate(self.findings):
            by_rule[finding.rule].append(index)
        options: list[Option] = []
        for rule in sorted(by_rule):
            title = RULES[rule][0] if rule in RULES else rule
            heading = Text.assemble((rule, "bold"), f"  {title} ({len(by_rule[rule])})")
            options.append(Option(heading, disabled=True))
            for index in by_rule[rule]:
                line = Text("  ").append_text(finding_text(self.findings[index], under_rule=True))
                options.append(Option(line, id=str(index)))
        return options

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(self.findings[int(event.option.id)])


def lint_screen_contents(
    findings: list[Finding], state: ProjectLintState, problem: str | None, project_name: str
) -> tuple[list[Finding], str, str]:
    """Findings, a title, and what an empty list means, as the project lint stands now: an empty
    list says "no findings" only once a lint has finished."""
    errors = sum(1 for finding in findings if finding.severity is Severity.ERROR)
    title = f"{len(findings)} finding(s), {errors} error(s) in {project_name}"
    empty = "No findings in the project."
    if state is ProjectLintState.RUNNING:
        title += " (the project lint is running: these are from the last one)" if findings else ""
        empty = "The project lint is running... (findings appear here when it is done)"
    elif state is ProjectLintState.FAILED:
        title += f" (the last project lint failed: {problem})"
        empty = f"The project lint failed: {problem}"
    elif state is ProjectLintState.NOT_STARTED:
        empty = "The project lint has not started yet: it runs once the schema YAML is read."
    if state in (ProjectLintState.RUNNING, ProjectLintState.NOT_STARTED) and not findings:
        title = f"Project lint of {project_name}: {state.value}"
    return findings, title, empty
