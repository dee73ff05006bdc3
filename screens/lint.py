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
from tui.core.lint.rules import RULES, Finding
from tui.widgets.lint.panel import finding_text


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
