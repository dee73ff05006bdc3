"""Resumable pygments lexing: lex from any recorded point and get what a whole-file lex gives.

pygments' lexers are deterministic in (text, position, state), so lexing from a recorded state
gives exactly what a whole-file lex gives. The state is observable because the rules are run by
pygments' `ExtendedRegexLexer`, which keeps it in a `LexerContext`; our context records it at the
first match attempt on each line (a *mark*). A driver also reports *far-reaching* tokens: a regex
that found no closing delimiter (quote, `#}`, `endraw`, a Python docstring) read the text to its
end, so an edit after such a token may change it, and the caller must restart before it.

`sql+jinja` follows pygments' `SqlJinjaLexer`: the Jinja lexer splits the text, and the SQL lexer
reads the text between Jinja tags joined together. Restarts happen only outside Jinja tags, so only
the SQL state is recorded. The SQL lexer is fed the joined text a little past what is needed; a
token that might depend on text further on makes it read more, so results always equal pygments'
over the whole text. This module never imports Textual.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from pygments.lexer import ExtendedRegexLexer, LexerContext, RegexLexer
from pygments.lexers.data import YamlLexer, YamlLexerContext
from pygments.lexers.python import PythonLexer
from pygments.lexers.sql import SqlLexer
from pygments.lexers.templates import DjangoLexer
from pygments.token import Keyword, Other, Text, Whitespace, _TokenType

State = tuple[Any, ...]
FarTest = Callable[[str, int, str], bool]
LEXERS = ("sql+jinja", "yaml", "python")
JINJA_SLACK = 512  # doc characters fed past the requested end, at first
_QUOTES = frozenset("'\"")
_QUOTES_AND_BRACE = frozenset("'\"{")
_JINJA_FAR_KEYWORDS = frozenset({"comment", "raw"})
_SQL_LOOKAHEAD = 64  # SQL tokens ending this close to the end of what was fed are not trusted
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
        """Record from here on; the restored state itself is the caller's, not a new mark."""
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
        """The state as immutable tuples, so that marks can be compared and kept safely."""
        extra = (getattr(self, name) for name in self._extra)
        return (tuple(self.stack), *(tuple(v) if isinstance(v, list) else v for v in extra))

    def restore(self, state: State) -> None:
        """Put a snapshot back as the lists the lexer mutates."""
        self.stack = list(state[0])
        for name, value in zip(self._extra, state[1:]):
            setattr(self, name, list(value) if isinstance(value, tuple) else value)


class _RecordingContext(_Recording, LexerContext):
    pass


class _RecordingYamlContext(_Recording, YamlLexerContext):
    _extra = ("indent_stack", "indent", "next_indent", "block_scalar_indent")


@dataclass
class Chunk:
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

    def lex(self, text: str, start: int, state: State, until: int) -> Chunk:
        """Tokens from `start` in `state` until a token starts at or past `until`."""
        context = self._context_class(text, start)
        context.restore(state)
        context.start_recording()
        chunk = Chunk()
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

    def __init__(self, slack: int = JINJA_SLACK) -> None:
        self._jinja = DjangoLexer()
        self._sql = _stateful(SqlLexer)()
        self._slack = slack
        self.initial_state: State = (("root",),)

    def lex(self, text: str, start: int, state: State, until: int) -> Chunk:
        """Feed SQL a little past `until`, and more whenever a needed token may depend on the rest."""
        slack = self._slack
        while True:
            jinja = self._jinja_pass(text, start, until + slack)
            chunk = self._sql_pass(jinja, state, until)
            if chunk is not None:
                return chunk
            slack = len(text) if slack > 8 * self._slack else slack * 8

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

    def _sql_pass(self, jinja: _JinjaPass, state: State, until: int) -> Chunk | None:
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
        return Chunk(sorted(to_doc.doc_tokens(tokens) + jinja.jinja), marks, sorted(far))


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
        """Document offset of buffer offset `at`, so marks and far tokens land on document lines."""
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


Driver = _SingleDriver | _JinjaSqlDriver


def make_driver(lexer_name: str, jinja_slack: int = JINJA_SLACK) -> Driver:
    """The resumable lexer for one of LEXERS; any other name is refused, not lexed some other way."""
    if lexer_name == "sql+jinja":
        return _JinjaSqlDriver(jinja_slack)
    if lexer_name == "yaml":
        return _SingleDriver(YamlLexer(), _RecordingYamlContext, converted=False)
    if lexer_name == "python":
        return _SingleDriver(_stateful(PythonLexer)(), _RecordingContext, True, _python_far_reaching)
    raise ValueError(f"no incremental highlighter for {lexer_name!r}; known: {', '.join(LEXERS)}")
