"""A read-only, scrollable, highlighted view of source text (SQL with Jinja, or YAML)."""

from __future__ import annotations

from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import ScrollableContainer
from textual.widgets import Static

MAX_SHOWN_LINES = 2_000
MAX_SHOWN_CHARS = 100_000
SYNTAX_THEME = "monokai"


def shown_part(text: str, limit: int = MAX_SHOWN_LINES) -> tuple[str, str | None]:
    """Cut very long texts so rendering stays instant; say what was left out."""
    if len(text) <= MAX_SHOWN_CHARS and text.count("\n") < limit:
        return text, None
    lines = text[: MAX_SHOWN_CHARS * 2].splitlines()[:limit]
    shown = "\n".join(lines)[:MAX_SHOWN_CHARS]
    return shown, f"Showing the first {len(shown):,} of {len(text):,} characters; the file is too big to show whole."


class CodeView(ScrollableContainer, can_focus=True):
    """Shows text highlighted by a pygments lexer, with line numbers, or a plain message."""

    DEFAULT_CSS = """
    CodeView { height: 1fr; }
    CodeView > Static { width: auto; min-width: 100%; }
    CodeView > .code-view--note { color: $text-warning; width: 100%; }
    """

    shown_text: str = ""
    """The text on display (source or message), for tests and copy actions."""

    def compose(self) -> ComposeResult:
        yield Static(classes="code-view--note")
        yield Static(classes="code-view--code")

    def on_mount(self) -> None:
        self.query_one(".code-view--note", Static).display = False

    def show_code(self, text: str, lexer: str, first_line: int = 1) -> None:
        shown, note = shown_part(text)
        self.shown_text = shown
        self._set_note(note)
        syntax = Syntax(
            shown, lexer, theme=SYNTAX_THEME, line_numbers=True, start_line=first_line,
            background_color="default", word_wrap=False,
        )
        self.query_one(".code-view--code", Static).update(syntax)
        self.scroll_home(animate=False)

    def show_message(self, message: str) -> None:
        self._set_note(None)
        self.shown_text = message
        self.query_one(".code-view--code", Static).update(Text(message, style="italic"))
        self.scroll_home(animate=False)

    def _set_note(self, note: str | None) -> None:
        widget = self.query_one(".code-view--note", Static)
        widget.display = note is not None
        widget.update(note or "")
