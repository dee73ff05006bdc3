"""A TextArea for dbt files: pygments highlighting (SQL with Jinja, YAML), go-to-line and find.

Textual's own highlighting needs tree-sitter, whose SQL grammar reads Jinja as errors. Colour comes
instead from `tui.core.highlight.highlighter`, through `TextArea.get_line`, the public hook for styling a line;
the highlighter re-lexes only from a checkpoint before each edit, so typing stays as fast as in a
plain TextArea on big models.
"""

from __future__ import annotations

import os
import re
import time

from pygments.token import Comment, Error, Keyword, Name, Number, String, Token, _TokenType
from rich.style import Style
from rich.text import Span, Text
from textual import events
from textual.message import Message
from textual.widgets import TextArea
from textual.widgets.text_area import Edit, EditResult, Location, Selection

from tui.core.highlight.highlighter import IncrementalHighlighter

HIGHLIGHT_LINE_LIMIT = 10_000
"""Files with more lines than this open without highlighting."""
HIGHLIGHT_CHAR_LIMIT = 2_000_000
"""Nor do files with more characters than this, however few their lines."""
LEAVING_S = 1.0
"""How long keys after an escape wait for the focus to leave (it moves within a frame or two)."""

INDENT_WIDTHS = {"sql+jinja": 4, "yaml": 2, "python": 4}

# A dark palette that sits on Textual's default dark theme; Jinja stands apart from SQL.
TOKEN_STYLES: dict[_TokenType, Style] = {
    Keyword: Style(color="#c678dd"),
    Name.Builtin: Style(color="#e5c07b"),
    Name.Function: Style(color="#61afef"),
    Name.Class: Style(color="#61afef"),
    Name.Decorator: Style(color="#61afef"),
    Name.Variable: Style(color="#61afef"),
    Name.Tag: Style(color="#e06c75"),
    String: Style(color="#98c379"),
    Number: Style(color="#d19a66"),
    Comment: Style(color="#7f848e", italic=True),
    Comment.Preproc: Style(color="#56b6c2", bold=True),
    Error: Style(color="#e06c75", underline=True),
}
_style_cache: dict[_TokenType, Style | None] = {}


def style_for(ttype: _TokenType) -> Style | None:
    """The style of a token type, or of its nearest styled parent (String.Single -> String)."""
    if ttype not in _style_cache:
        found: _TokenType | None = ttype
        while found is not None and found not in TOKEN_STYLES and found is not Token:
            found = found.parent
        _style_cache[ttype] = TOKEN_STYLES.get(found) if found is not None else None
    return _style_cache[ttype]


class CodeEditor(TextArea):
    """Edits SQL with Jinja, YAML or Python, with incremental highlighting and bracket matching.

    `highlighting_enabled` and `notice` say whether colour is on and, when it is off for a big
    file, why (a screen shows the notice). The limit is checked when text is loaded.
    """

    highlighting_enabled: bool = False
    notice: str | None = None

    class LeaveRequested(Message):
        """Escape was pressed: the user wants out of the editor (TextArea would move focus on)."""

        def __init__(self, editor: CodeEditor) -> None:
            super().__init__()
            self.editor = editor

        @property
        def control(self) -> CodeEditor:
            return self.editor

    class TypedWhileReadOnly(Message):
        """A letter was typed into the read-only editor (its pane says why it is read-only)."""

        def __init__(self, editor: CodeEditor) -> None:
            super().__init__()
            self.editor = editor

    _leaving_since: float | None = None
    """When escape asked to leave; until the focus has moved, keys are for where it goes."""

    def on_key(self, event: events.Key) -> None:
        """Escape leaves the editor (tab indents here, so escape is the way out). Keys that come
        after it but before the focus has moved (a slow link delivers them together) go back to
        the app, to reach the widget the focus moves to, not the text. In a read-only pane a typed
        letter stays here (a bell): it must not reach the screen as a command key."""
        if self._leaving_since is not None and time.monotonic() - self._leaving_since < LEAVING_S:
            event.prevent_default()
            event.stop()
            self.app.post_message(events.Key(event.key, event.character))
        elif event.key == "escape":
            event.prevent_default()
            event.stop()
            self._leaving_since = time.monotonic()
            self.post_message(self.LeaveRequested(self))
        elif self.read_only and event.is_printable:
            event.prevent_default()
            event.stop()
            self.post_message(self.TypedWhileReadOnly(self))

    def on_blur(self, _event: events.Blur) -> None:
        self._leaving_since = None

    def on_focus(self, _event: events.Focus) -> None:
        self._leaving_since = None

    _highlighter: IncrementalHighlighter | None = None
    _lexer: str | None = None

    def __init__(
        self,
        text: str = "",
        lexer: str | None = "sql+jinja",
        read_only: bool = False,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(
            text, soft_wrap=False, tab_behavior="indent", read_only=read_only,
            show_line_numbers=True, name=name, id=id, classes=classes,
        )
        self.set_reactive(TextArea.match_cursor_bracket, True)
        self.set_reactive(TextArea.cursor_blink, False)  # no animation over SSH; steady snapshots
        self._lexer = lexer
        self.set_reactive(TextArea.indent_width, INDENT_WIDTHS.get(lexer or "", 4))
        self._reset_highlighter()

    @property
    def lexer(self) -> str | None:
        return self._lexer

    def load(self, text: str, lexer: str | None) -> None:
        """Replace the text (undo history cleared); `lexer` None means plain text."""
        self._lexer = lexer
        self.indent_width = INDENT_WIDTHS.get(lexer or "", 4)
        self.load_text(text)

    def load_text(self, text: str) -> None:
        super().load_text(text)
        self._reset_highlighter()

    def become(self, text: str) -> None:
        """Change the text to `text` by one undoable edit of the part that differs.

        For a save that re-derives the text (an entry tidied as it is spliced into its file):
        unlike load, the undo history survives and the cursor stays where it was (clamped).
        """
        old = self.text
        if old == text:
            return
        start = len(os.path.commonprefix([old, text]))
        room = min(len(old), len(text)) - start
        end = min(len(os.path.commonprefix([old[::-1], text[::-1]])), room)
        self.replace(
            text[start:len(text) - end],
            self.document.get_location_from_index(start),
            self.document.get_location_from_index(len(old) - end),
        )

    def mark_saved(self) -> None:
        """The next edit starts a new undo step, so undo first comes back to the saved text."""
        self.history.checkpoint()

    def _reset_highlighter(self) -> None:
        line_count = self.document.line_count
        chars = sum(len(line) for line in self.document.lines) if line_count <= HIGHLIGHT_LINE_LIMIT else 0
        self.highlighting_enabled = (
            self._lexer is not None and line_count <= HIGHLIGHT_LINE_LIMIT and chars <= HIGHLIGHT_CHAR_LIMIT
        )
        self.notice = None
        self._highlighter = None
        if self.highlighting_enabled:
            self._highlighter = IncrementalHighlighter(self._lexer)
            self._highlighter.set_lines(self.document.lines)
        elif self._lexer is not None and line_count > HIGHLIGHT_LINE_LIMIT:
            self.notice = f"Highlighting is off: {line_count:,} lines (over {HIGHLIGHT_LINE_LIMIT:,})"
        elif self._lexer is not None:
            self.notice = f"Highlighting is off: {chars:,} characters (over {HIGHLIGHT_CHAR_LIMIT:,})"

    # Every change to the document passes through edit(), undo() or redo(), or load_text().
    def edit(self, edit: Edit) -> EditResult:
        result = super().edit(edit)
        if self._highlighter is not None:
            self._highlighter.edited(edit.top[0], self.document.lines, result.end_location[0])
        return result

    def undo(self) -> None:
        super().undo()
        self._resync()

    def redo(self) -> None:
        super().redo()
        self._resync()

    def _resync(self) -> None:
        """After undo/redo the changed lines are not reported; the highlighter finds them."""
        if self._highlighter is not None:
            self._highlighter.update(self.document.lines)

    def get_line(self, line_index: int) -> Text:
        """The line as TextArea draws it, coloured by the highlighter's spans."""
        line = super().get_line(line_index)
        highlighter = self._highlighter
        if highlighter is None:
            return line
        if highlighter.line_count != self.document.line_count:  # a change we were not told of
            highlighter.update(self.document.lines)
        line.spans = [
            Span(start, end, style)
            for start, end, ttype in highlighter.spans(line_index)
            if (style := style_for(ttype)) is not None
        ]
        return line

    def go_to_line(self, line_number: int) -> None:
        """Put the cursor at the start of a 1-based line (clamped) and scroll it into view."""
        row = min(max(line_number, 1), self.document.line_count) - 1
        self.move_cursor((row, 0), center=True)

    def find_next(self, query: str, backwards: bool = False) -> bool:
        """Select the next (or previous) case-insensitive match of a one-line query, wrapping."""
        if not query:
            return False
        pattern = re.compile(re.escape(query), re.IGNORECASE)
        first, last = sorted(self.selection)
        found = self._search_back(pattern, first) if backwards else self._search(pattern, last)
        if found is None:
            return False
        self.selection = Selection(*found)
        self.scroll_cursor_visible(center=True)
        return True

    def _search(self, pattern: re.Pattern[str], origin: Location) -> tuple[Location, Location] | None:
        row, column = origin
        count = self.document.line_count
        for step in range(count + 1):
            index = (row + step) % count
            match = pattern.search(self.document[index], column if step == 0 else 0)
            if match:
                return (index, match.start()), (index, match.end())
        return None

    def _search_back(self, pattern: re.Pattern[str], origin: Location) -> tuple[Location, Location] | None:
        row, column = origin
        count = self.document.line_count
        for step in range(count + 1):
            index = (row - step) % count
            limit = column if step == 0 else None
            matches = [m for m in pattern.finditer(self.document[index]) if limit is None or m.start() < limit]
            if matches:
                return (index, matches[-1].start()), (index, matches[-1].end())
        return None
