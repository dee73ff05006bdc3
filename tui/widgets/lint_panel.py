"""The open model's lint findings, under the editors; choosing one moves the cursor to its line."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.core.lint import Finding, Severity

SEVERITY_MARKS = {Severity.ERROR: ("✗", "bold red"), Severity.WARNING: ("⚠", "yellow")}


def finding_text(finding: Finding, with_model: bool = False) -> Text:
    """One line for a finding: mark, rule, message, and where."""
    mark, style = SEVERITY_MARKS[finding.severity]
    where = f"{finding.path}:{finding.line}" if finding.line else finding.path
    text = Text.assemble((f"{mark} ", style), (finding.rule, "bold"), " ")
    if with_model:
        text.append(f"{finding.model} ", "cyan")
    text.append(finding.message)
    text.append(f"  {where}", "dim")
    return text


class LintPanel(OptionList):
    """Findings for one model; updated by the screen as the model's SQL is edited."""

    DEFAULT_CSS = """
    LintPanel { height: auto; max-height: 7; border: round $warning 40%; padding: 0; }
    LintPanel:focus { border: round $warning; }
    LintPanel.-clean { border: round $success 40%; }
    """

    class FindingChosen(Message):
        def __init__(self, finding: Finding) -> None:
            super().__init__()
            self.finding = finding

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.findings: list[Finding] = []
        self.border_title = "Lint"

    def show_findings(self, findings: list[Finding], note: str | None = None) -> None:
        self.findings = list(findings)
        self.clear_options()
        for index, finding in enumerate(self.findings):
            self.add_option(Option(finding_text(finding), id=str(index)))
        clean = not self.findings
        if clean:
            self.add_option(Option(Text(note or "No findings: reads only through ref() and source().", "green"), disabled=True))
        self.set_class(clean, "-clean")
        errors = sum(1 for f in self.findings if f.severity is Severity.ERROR)
        self.border_title = f"Lint: {errors} error(s), {len(self.findings) - errors} warning(s)" if not clean else "Lint"

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.FindingChosen(self.findings[int(event.option.id)]))
