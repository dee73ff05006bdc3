"""Incremental pygments highlighting: per-line spans, re-lexed only around an edit.

A keystroke must not re-lex a 2,000-line model (~40 ms with pygments here). The highlighter keeps
the spans of a prefix of the document and, per line, a *checkpoint*: the first place in the line
where the lexer began a match, with the lexer's complete state then. Lexing from a checkpoint gives
exactly what a whole-file lex gives (`tui.core.highlight.lexing` records the states and does the
lexing, including `sql+jinja`'s SQL-between-Jinja-tags). An edit at line L restarts from the last
checkpoint before it, and stops as soon as a line after the edit has the same checkpoint as before
the edit (usually the next line): the lines after it keep their spans. `spans(i)` lexes on demand,
up to line i plus a margin, never further.

A restart is refused where the text before it could still change its meaning: a regex may look
past its match through blank lines, and a regex that found no closing delimiter read the text to
its end (a far-reaching token), so later edits restart before such a token. Property tests check
that results always equal pygments' over the whole text. This module never imports Textual.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Iterable, Sequence

from pygments.token import _TokenType

from tui.core.highlight.lexing import JINJA_SLACK, LEXERS, Chunk, State, make_driver

__all__ = ["DEFAULT_MARGIN", "LEXERS", "Checkpoint", "IncrementalHighlighter", "Span", "State", "split_into_lines"]

Span = tuple[int, int, _TokenType]
"""(start column, end column, pygments token type) within one line."""
Checkpoint = tuple[int, State]  # (column, lexer state) where a match started
DEFAULT_MARGIN = 50
_JINJA_SLACK = JINJA_SLACK  # read each time a highlighter is made, so a test can shrink it


def split_into_lines(
    tokens: Sequence[tuple[int, int, _TokenType]], first_line_start: int, lengths: Iterable[int]
) -> list[list[Span]]:
    """Cut document-offset tokens into per-line spans, merging neighbours of the same type."""
    result: list[list[Span]] = []
    index, line_start = 0, first_line_start
    for length in lengths:
        line_end = line_start + length
        spans: list[Span] = []
        while index < len(tokens):
            start, end, ttype = tokens[index]
            if start >= line_end:
                break
            _append_span(spans, max(start, line_start) - line_start, min(end, line_end) - line_start, ttype)
            if end > line_end:
                break
            index += 1
        result.append(spans)
        line_start = line_end + 1
    return result


def _clip(spans: list[Span], column: int) -> list[Span]:
    """The spans before `column`: a restart line keeps what lies before its checkpoint."""
    return [(start, min(end, column), ttype) for start, end, ttype in spans if start < column]


def _append_span(spans: list[Span], start: int, end: int, ttype: _TokenType) -> None:
    """Add a span, merged into the previous one when they touch and share a type (as pygments cuts)."""
    if end <= start:
        return
    if spans and spans[-1][1] == start and spans[-1][2] is ttype:
        spans[-1] = (spans[-1][0], end, ttype)
    else:
        spans.append((start, end, ttype))


@dataclass
class _Stash:
    """Results for the lines after an edit, kept until lexing is back in step with them."""

    first_line: int  # where the stashed lines start, in the edited document
    spans: list[list[Span]]
    checkpoints: list[Checkpoint | None]
    far: list[tuple[int, int]]
    step: int = 1  # lines lexed past first_line before looking for a match; grows on misses


class IncrementalHighlighter:
    """Per-line pygments spans for a document that is edited line by line.

    After an edit, lexing restarts at a checkpoint before it and stops as soon as a checkpoint
    after the edit has the same state as before (the usual case: one or two lines); the lines
    after it keep their spans. `lines_lexed` counts the lines lexed, so tests can prove it.
    """

    def __init__(self, lexer_name: str, margin: int = DEFAULT_MARGIN) -> None:
        self.lexer_name = lexer_name
        self.margin = margin
        self.lines_lexed = 0
        self._driver = make_driver(lexer_name, jinja_slack=_JINJA_SLACK)
        self.set_lines([""])

    def set_lines(self, lines: Sequence[str]) -> None:
        """Start over with a new document."""
        self._lines = list(lines) or [""]
        self._text: str | None = None
        self._spans: list[list[Span]] = []  # complete spans of lines < len(self._spans)
        # One per known line, plus the resume point when lexing is pending (len(_spans) + 1).
        self._checkpoints: list[Checkpoint | None] = [(0, self._driver.initial_state)]
        self._head: list[Span] = []  # spans of the resume line before its checkpoint
        self._offsets: list[int] = [0]  # document offsets of line starts, for the kept prefix
        self._far: list[tuple[int, int]] = []  # (line, column) of far-reaching tokens, sorted
        self._stash: _Stash | None = None

    def edited(self, first_changed_line: int, lines: Sequence[str], last_changed_line: int | None = None) -> None:
        """The document changed from `first_changed_line` to `last_changed_line` (in `lines`).

        Both are hints: an earlier first line or a later last line is always safe; without a
        last line, nothing after the edit is reused.
        """
        old_count = len(self._lines)
        self._lines = list(lines) or [""]
        self._text = None
        first_changed_line = max(0, min(first_changed_line, len(self._lines)))
        self._stash_after(last_changed_line, len(self._lines) - old_count)
        bounds = [(first_changed_line, 0), self._after_last_solid(first_changed_line)]
        if self._far:
            bounds.append(self._far[0])
        self._resume_before(min(bounds))

    def update(self, lines: Sequence[str]) -> None:
        """The document changed somewhere (undo, redo): find the changed lines by comparing."""
        old = self._lines
        first = next(
            (i for i, (a, b) in enumerate(zip(old, lines)) if a is not b and a != b),
            min(len(old), len(lines)),
        )
        if first == len(old) == len(lines):
            return
        same_tail = 0
        while same_tail < min(len(old), len(lines)) - first and old[-1 - same_tail] == lines[-1 - same_tail]:
            same_tail += 1
        self.edited(first, lines, len(lines) - same_tail - 1)

    @property
    def line_count(self) -> int:
        """Lines in the document, so callers can ask for every line without keeping their own copy."""
        return len(self._lines)

    def spans(self, line_index: int) -> list[Span]:
        """The spans of one line, lexing up to `line_index + margin` if that line is not known."""
        if not 0 <= line_index < len(self._lines):
            return []
        if line_index >= len(self._spans):
            self._lex_to(min(line_index + self.margin, len(self._lines) - 1))
        return self._spans[line_index]

    def _stash_after(self, last_changed_line: int | None, line_delta: int) -> None:
        """Keep the known lines after the edit, renumbered, to splice back after re-lexing.

        They come from the lines lexed so far or, when the edit is before a stash not yet used
        (two keys typed within one frame), from that stash.
        """
        previous, self._stash = self._stash, None
        if last_changed_line is None:
            return
        old_first = last_changed_line + 1 - line_delta
        known = len(self._spans)
        if 0 < old_first < known:
            far = [(line + line_delta, column) for line, column in self._far if line >= old_first]
            checkpoints = self._checkpoints[old_first:known]
            self._stash = _Stash(last_changed_line + 1, self._spans[old_first:], checkpoints, far)
        elif previous is not None and previous.first_line >= old_first:
            previous.first_line += line_delta
            previous.far = [(line + line_delta, column) for line, column in previous.far]
            self._stash = previous

    def _after_last_solid(self, row: int) -> tuple[int, int]:
        """Just after the last non-blank character before `row`.

        A regex may look past its match through whitespace (`\\s*` spanning blank lines), so a
        restart point counts as safe only if some non-blank text separates it from the edit.
        """
        for previous in range(row - 1, -1, -1):
            solid = len(self._lines[previous].rstrip())
            if solid:
                return previous, solid
        return 0, 0

    def _resume_before(self, bound: tuple[int, int]) -> None:
        """Forget everything from the last checkpoint strictly before `bound` (line, column)."""
        row = min(bound[0], len(self._checkpoints) - 1)
        while row > 0 and not self._usable(row, bound):
            row -= 1
        if row == 0:
            checkpoint, head = (0, self._driver.initial_state), []
        else:
            checkpoint = self._checkpoints[row]
            head = self._head if row == len(self._spans) else _clip(self._spans[row], checkpoint[0])
        self._head = head
        del self._spans[row:]
        del self._checkpoints[row:]
        self._checkpoints.append(checkpoint)
        del self._offsets[row + 1 :]
        del self._far[bisect_left(self._far, (row, checkpoint[0])) :]

    def _usable(self, row: int, bound: tuple[int, int]) -> bool:
        """A line can be restarted from if it has a checkpoint, and that lies before `bound`."""
        checkpoint = self._checkpoints[row]
        return checkpoint is not None and (row, checkpoint[0]) < bound

    def _lex_to(self, target: int) -> None:
        """Lex until `target` is known, in short steps while a stash may soon be spliced back."""
        while len(self._spans) <= target:
            if len(self._spans) == len(self._checkpoints):  # nothing pending: resume at the last one
                self._resume_before((len(self._spans), 0))
            row = len(self._spans)
            stop = target if self._stash is None else min(target, max(row, self._stash.first_line) + self._stash.step)
            self._lex_rows(row, stop)
            self._splice_stash(row)

    def _lex_rows(self, row: int, target: int) -> None:
        """Lex lines row..target from the checkpoint pending at `row`."""
        column, state = self._checkpoints[row]
        offsets = self._offsets_to(target)
        until = offsets[target] + len(self._lines[target])
        chunk = self._driver.lex(self._document_text(), offsets[row] + column, state, until)
        self._store(row, target, chunk)
        self.lines_lexed += target - row + 1

    def _splice_stash(self, lexed_from: int) -> None:
        """Reuse the stashed lines once a freshly lexed line has the same checkpoint as before."""
        stash = self._stash
        if stash is None:
            return
        for line in range(max(lexed_from, stash.first_line), len(self._spans)):
            index = line - stash.first_line
            old = stash.checkpoints[index] if index < len(stash.checkpoints) else None
            if old is not None and old == self._checkpoints[line]:
                del self._spans[line + 1 :], self._checkpoints[line + 1 :]
                self._spans.extend(stash.spans[index + 1 :])
                self._checkpoints.extend(stash.checkpoints[index + 1 :])
                self._far = [f for f in self._far if f[0] <= line] + [f for f in stash.far if f[0] > line]
                self._stash = None
                return
        stash.step *= 4
        if len(self._spans) >= stash.first_line + len(stash.spans):
            self._stash = None

    def _store(self, row: int, target: int, chunk: Chunk) -> None:
        """Keep a lexed chunk as the spans, checkpoints and far tokens of lines row..target."""
        self._store_spans(row, target, chunk)
        self._store_marks(row, target, chunk)

    def _store_spans(self, row: int, target: int, chunk: Chunk) -> None:
        """Per-line spans; the first line continues the head kept from before its checkpoint."""
        lengths = (len(line) for line in self._lines[row : target + 1])
        new_spans = split_into_lines(chunk.tokens, self._offsets[row], lengths)
        head = self._head
        for span in new_spans[0]:
            _append_span(head, *span)
        new_spans[0] = head
        self._head = []
        self._spans.extend(new_spans)

    def _store_marks(self, row: int, target: int, chunk: Chunk) -> None:
        """The first mark on each line becomes its checkpoint; far tokens are kept by line."""
        offsets = self._offsets
        self._checkpoints.extend([None] * (target - row))
        for at, state in chunk.marks:
            line = bisect_left(offsets, at + 1, row, target + 2) - 1
            if self._checkpoints[line] is None:
                self._checkpoints[line] = (at - offsets[line], state)
        for at in chunk.far:
            if at < offsets[target + 1]:
                line = bisect_left(offsets, at + 1, row, target + 2) - 1
                self._far.append((line, at - offsets[line]))
        self._far.sort()

    def _offsets_to(self, target: int) -> list[int]:
        """Line start offsets up to target + 1 (one past its newline)."""
        offsets = self._offsets
        while len(offsets) < target + 2:
            row = len(offsets) - 1
            offsets.append(offsets[row] + len(self._lines[row]) + 1)
        return offsets

    def _document_text(self) -> str:
        """The joined text, built once per edit since the drivers lex document offsets."""
        if self._text is None:
            self._text = "\n".join(self._lines)
        return self._text
