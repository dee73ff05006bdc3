"""Incremental pygments highlighting: per-line spans, re-lexed only around an edit.

A keystroke must not re-lex a 2,000-line model (~40 ms with pygments here). The highlighter keeps
the spans of a prefix of the document and, per line, a *checkpoint*: the first place in the line
where the lexer began a match, with the lexer's complete state then. pygments' lexers are
deterministic in (text, position, state), so lexing from a checkpoint gives exactly what a whole-file
lex gives. An edit at line L restarts from the last checkpoint before it, and stops as soon as a
line after the edit has the same checkpoint as before the edit (usually the next line): the lines
after it keep their spans. `spans(i)` lexes on demand, up to line i plus a margin, never further.

The state is observable because the rules are run by pygments' `ExtendedRegexLexer`, which keeps it
in a `LexerContext`; our context records it at the first match attempt on each line. A restart is
also refused where the text before it could still change its meaning: a regex may look past its
match through blank lines, and a regex that found no closing delimiter (quote, `#}`, `endraw`, a
Python docstring) read the text to its end, so later edits restart before such a token.

`sql+jinja` follows pygments' `SqlJinjaLexer`: the Jinja lexer splits the text, and the SQL lexer
reads the text between Jinja tags joined together. Restarts happen only outside Jinja tags, so only
the SQL state is recorded. The SQL lexer is fed the joined text a little past what is needed; a
token that might depend on text further on makes it read more, so results always equal pygments'
over the whole text (property tests check this). This module never imports Textual.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from pygments.lexer import ExtendedRegexLexer, LexerContext, RegexLexer
from pygments.lexers.data import YamlLexer, YamlLexerContext
from pygments.lexers.python import PythonLexer
from pygments.lexers.sql import SqlLexer
from pygments.lexers.templates import DjangoLexer
from pygments.token import Keyword, Other, Text, Whitespace, _TokenType

Span = tuple[int, int, _TokenType]
"""(start column, end column, pygments token type) within one line."""
State = tuple[Any, ...]
FarTest = Callable[[str, int, str], bool]
Checkpoint = tuple[int, State]  # (column, lexer state) where a match started
LEXERS = ("sql+jinja", "yaml", "python")
DEFAULT_MARGIN = 50
_QUOTES = frozenset("'\"")
_QUOTES_AND_BRACE = frozenset("'\"{")
_JINJA_FAR_KEYWORDS = frozenset({"comment", "raw"})
_SQL_LOOKAHEAD = 64  # SQL tokens ending this close to the end of what was fed are not trusted
_JINJA_SLACK = 512  # doc characters fed past the requested end, at first
_DOCSTRING_LEAD = re.compile(r"[ \t]*[rRuUbB]{0,2}\Z")


def _stateful(lexer_class: type[RegexLexer]) -> type[ExtendedRegexLexer]:
    """The same rules, run by pygments' ExtendedRegexLexer so that the state lives in a context."""
    attrs = {"tokens": lexer_class.tokens, "flags": lexer_class.flags, "name": lexer_class.name}
    return type(f"Stateful{lexer_class.__name__}", (ExtendedRegexLexer,), attrs)


class _Recording:
    """Mixin for a LexerContext that remembers the state at the first match attempt on each line.

    ExtendedRegexLexer reads `pos` first when it tries the first rule at a new position, after the
    previous rule's state changes are done, so that read sees exactly the state to restart from.
    """

    _extra: tuple[str, ...] = ()
    _watch: float = float("inf")  # no recording until start_recording()

    def start_recording(self) -> None:
        self.marks: list[tuple[int, State]] = []
        self._watch = self._pos

    @property
    def pos(self) -> int:
        at = self._pos
        if at >= self._watch:
            self.marks.append((at, self.snapshot()))
            newline = self.text.find("\n", at)
            self._watch = newline + 1 if newline >= 0 else len(self.text) + 1
        return at

    @pos.setter
    def pos(self, value: int) -> None:
        self._pos = value

    def snapshot(self) -> State:
        extra = (getattr(self, name) for name in self._extra)
        return (tuple(self.stack), *(tuple(v) if isinstance(v, list) else v for v in extra))

    def restore(self, state: State) -> None:
        self.stack = list(state[0])
        for name, value in zip(self._extra, state[1:]):
            setattr(self, name, list(value) if isinstance(value, tuple) else value)


class _RecordingContext(_Recording, LexerContext):
    pass


class _RecordingYamlContext(_Recording, YamlLexerContext):
    _extra = ("indent_stack", "indent", "next_indent", "block_scalar_indent")


@dataclass
class _Chunk:
    """What a driver lexed: tokens covering [start, >= until), restart marks, far-reaching tokens."""

    tokens: list[tuple[int, int, _TokenType]] = field(default_factory=list)
    marks: list[tuple[int, State]] = field(default_factory=list)
    far: list[int] = field(default_factory=list)


class _SingleDriver:
    """Lexes with one stateful lexer (YAML, Python) straight over the document text."""

    def __init__(
        self, lexer: ExtendedRegexLexer, context_class: type, converted: bool, far: FarTest | None = None
    ) -> None:
        self._lexer = lexer
        self._context_class = context_class
        self._converted = converted
        self._far = far
        context = context_class("", 0)
        self.initial_state: State = context.snapshot()

    def lex(self, text: str, start: int, state: State, until: int) -> _Chunk:
        context = self._context_class(text, start)
        context.restore(state)
        context.start_recording()
        chunk = _Chunk()
        for pos, ttype, value in self._lexer.get_tokens_unprocessed(context=context):
            if pos >= until:
                break
            if value:
                chunk.tokens.append((pos, pos + len(value), self._fix_type(ttype, value)))
            if self._far is not None and self._far(text, pos, value):
                chunk.far.append(pos)
        chunk.marks = [mark for mark in context.marks if mark[0] < until]
        return chunk

    def _fix_type(self, ttype: _TokenType, value: str) -> _TokenType:
        """RegexLexer calls an unmatched newline Whitespace, ExtendedRegexLexer calls it Text."""
        return Whitespace if self._converted and ttype is Text and value == "\n" else ttype


@dataclass
class _JinjaPass:
    """The Jinja lexer's view from a restart: SQL pieces (doc offset, text) and Jinja tokens."""

    pieces: list[tuple[int, str]]
    jinja: list[tuple[int, int, _TokenType]]
    far: list[int]
    at_end: bool


class _JinjaSqlDriver:
    """pygments' SqlJinjaLexer, resumable: Jinja (Django) over the text, SQL over what is left."""

    def __init__(self) -> None:
        self._jinja = DjangoLexer()
        self._sql = _stateful(SqlLexer)()
        self.initial_state: State = (("root",),)

    def lex(self, text: str, start: int, state: State, until: int) -> _Chunk:
        slack = _JINJA_SLACK
        while True:
            jinja = self._jinja_pass(text, start, until + slack)
            chunk = self._sql_pass(jinja, state, until)
            if chunk is not None:
                return chunk
            slack = len(text) if slack > 8 * _JINJA_SLACK else slack * 8

    def _jinja_pass(self, text: str, start: int, limit: int) -> _JinjaPass:
        """Lex Jinja from `start` (always outside any tag) until a token passes `limit`."""
        result = _JinjaPass([], [], [], at_end=True)
        for pos, ttype, value in self._jinja.get_tokens_unprocessed(text[start:]):
            pos += start
            if ttype is Other:
                result.pieces.append((pos, value))
            elif value:
                result.jinja.append((pos, pos + len(value), ttype))
            if _jinja_far_reaching(ttype, value):
                result.far.append(pos)
            if pos + len(value) >= limit:
                result.at_end = pos + len(value) >= len(text)
                break
        return result

    def _sql_pass(self, jinja: _JinjaPass, state: State, until: int) -> _Chunk | None:
        """SQL over the joined pieces; None when a needed token may depend on unread text."""
        buffer = "".join(piece for _, piece in jinja.pieces)
        to_doc = _BufferMap(jinja.pieces)
        needed = to_doc.buffer_offset(until)
        trusted = len(buffer) if jinja.at_end else len(buffer) - _SQL_LOOKAHEAD
        context = _RecordingContext(buffer, 0)
        context.restore(state)
        context.start_recording()
        tokens, far = [], list(jinja.far)
        for pos, ttype, value in self._sql.get_tokens_unprocessed(context=context):
            if pos >= needed:
                break
            end = pos + len(value)
            if end > trusted:
                return None
            if end - pos == 1 and value in _QUOTES:  # an unclosed quote: SQL read to the end
                if not jinja.at_end:
                    return None
                far.append(to_doc.doc_offset(pos))
            tokens.append((pos, end, ttype))
        marks = [(to_doc.doc_offset(at), mark) for at, mark in context.marks if at < needed]
        return _Chunk(sorted(to_doc.doc_tokens(tokens) + jinja.jinja), marks, sorted(far))


def _jinja_far_reaching(ttype: _TokenType, value: str) -> bool:
    """Jinja tokens left behind by a regex that searched the rest of the text for a delimiter.

    An unclosed quote inside a tag becomes a one-character token, an unclosed `{#` a lone `{`,
    an unclosed `{% comment %}` or `{% raw %}` a plain keyword.
    """
    if len(value) == 1:
        return value in _QUOTES_AND_BRACE
    return ttype in Keyword and value in _JINJA_FAR_KEYWORDS


def _python_far_reaching(text: str, pos: int, value: str) -> bool:
    """PythonLexer first tries a whole docstring at a line start; unclosed, that read to the end."""
    if value not in ('"""', "'''"):
        return False
    return _DOCSTRING_LEAD.match(text, text.rfind("\n", 0, pos) + 1, pos) is not None


class _BufferMap:
    """Maps offsets in the joined SQL text back to offsets in the document."""

    def __init__(self, pieces: Sequence[tuple[int, str]]) -> None:
        self._doc = [doc for doc, _ in pieces]
        self._buf: list[int] = []
        total = 0
        for _, piece in pieces:
            self._buf.append(total)
            total += len(piece)
        self._total = total

    def doc_offset(self, at: int) -> int:
        index = max(0, bisect_left(self._buf, at + 1) - 1)
        return self._doc[index] + at - self._buf[index] if self._buf else at

    def buffer_offset(self, doc: int) -> int:
        """Buffer offset of the first SQL character at or after document offset `doc`."""
        index = bisect_left(self._doc, doc + 1) - 1
        if index < 0:
            return 0
        piece_end = self._buf[index + 1] if index + 1 < len(self._buf) else self._total
        return min(self._buf[index] + doc - self._doc[index], piece_end)

    def doc_tokens(self, tokens: Sequence[tuple[int, int, _TokenType]]) -> list[tuple[int, int, _TokenType]]:
        """Sorted SQL tokens as document ranges; a Jinja tag inside a token cuts it in two."""
        starts, docs = self._buf, self._doc
        ends = [*starts[1:], self._total]
        result, index = [], 0
        for start, end, ttype in tokens:
            while start < end:
                while ends[index] <= start:
                    index += 1
                stop = min(end, ends[index])
                doc = docs[index] + start - starts[index]
                result.append((doc, doc + stop - start, ttype))
                start = stop
        return result


def _make_driver(lexer_name: str) -> _SingleDriver | _JinjaSqlDriver:
    if lexer_name == "sql+jinja":
        return _JinjaSqlDriver()
    if lexer_name == "yaml":
        return _SingleDriver(YamlLexer(), _RecordingYamlContext, converted=False)
    if lexer_name == "python":
        return _SingleDriver(_stateful(PythonLexer)(), _RecordingContext, True, _python_far_reaching)
    raise ValueError(f"no incremental highlighter for {lexer_name!r}; known: {', '.join(LEXERS)}")


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
    return [(start, min(end, column), ttype) for start, end, ttype in spans if start < column]


def _append_span(spans: list[Span], start: int, end: int, ttype: _TokenType) -> None:
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
        self._driver = _make_driver(lexer_name)
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
        checkpoint = self._checkpoints[row]
        return checkpoint is not None and (row, checkpoint[0]) < bound

    def _lex_to(self, target: int) -> None:
        while len(self._spans) <= target:
            if len(self._spans) == len(self._checkpoints):  # nothing pending: resume at the last one
                self._resume_before((len(self._spans), 0))
            row = len(self._spans)
            stop = target if self._stash is None else min(target, max(row, self._stash.first_line) + self._stash.step)
            self._lex_rows(row, stop)
            self._splice_stash(row)

    def _lex_rows(self, row: int, target: int) -> None:
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

    def _store(self, row: int, target: int, chunk: _Chunk) -> None:
        offsets = self._offsets
        lengths = (len(line) for line in self._lines[row : target + 1])
        new_spans = split_into_lines(chunk.tokens, offsets[row], lengths)
        head = self._head
        for span in new_spans[0]:
            _append_span(head, *span)
        new_spans[0] = head
        self._head = []
        self._spans.extend(new_spans)
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
        if self._text is None:
            self._text = "\n".join(self._lines)
        return self._text
