"""Line-level helpers for editing YAML text in place, without ever re-serializing it.

Lines are broken exactly where libyaml breaks them, so the line numbers in its marks index
straight into these lists; every line keeps its own ending so untouched bytes stay untouched.
"""

from __future__ import annotations

import re

BOM = "\ufeff"
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_ORDINARY_BREAK = re.compile("\r\n|[\r\n]")


def split_bom(text: str) -> tuple[str, str]:
    """Set a leading BOM aside: libyaml skips it and does not count it in columns."""
    if text.startswith(BOM):
        return BOM, text[1:]
    return "", text


def split_lines(text: str) -> list[str]:
    """The text's lines, each with its own line break (the last one may have none)."""
    lines: list[str] = []
    start = 0
    for match in _BREAK.finditer(text):
        lines.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        lines.append(text[start:])
    return lines


def line_break(line: str) -> str:
    """The break that ends a line from split_lines ('' for a last line without one)."""
    match = _BREAK.search(line)
    return match.group() if match else ""


def line_body(line: str) -> str:
    """A line from split_lines without its break."""
    return line[: len(line) - len(line_break(line))]


def newline_of(text: str) -> str:
    """The file's own newline (its first CRLF, CR or LF); LF for a file without one."""
    match = _ORDINARY_BREAK.search(text)
    return match.group() if match else "\n"


def is_blank(line: str) -> bool:
    """True for an empty or whitespace-only line."""
    return not line_body(line).strip(" \t")


def leading_spaces(line: str) -> int:
    """How many spaces a line starts with."""
    return len(line) - len(line.lstrip(" "))


def shown_line(line: str, cut: int) -> str:
    """One line as shown in the entry editor: `cut` columns removed when they are only spaces.

    CRLF and CR become LF (the editor's newline); YAML's rarer breaks (NEL, LS, PS) are kept as
    they are, because inside a quoted value they are content.
    """
    body = line_body(line)
    if not body[:cut].strip(" \t"):
        body = body[cut:]
    ending = line_break(line)
    return body + (ending if ending in ("\x85", "\u2028", "\u2029") else "\n")


def indent_lines(lines: list[str], indent: int, newline: str) -> list[str]:
    """Lines (LF-ended, from the editor) moved right by `indent`, with the file's newline.

    Empty lines get no indentation, so no trailing spaces are invented.
    """
    pad = " " * indent
    placed = []
    for line in lines:
        body, ending = line_body(line), line_break(line)
        if ending in ("\n", "\r\n", "\r", ""):
            ending = newline
        placed.append((pad + body if body else body) + ending)
    return placed


def without_trailing_blanks(lines: list[str]) -> list[str]:
    """Lines minus blank ones at the end: those separate entries and never belong to one."""
    end = len(lines)
    while end > 1 and is_blank(lines[end - 1]):
        end -= 1
    return lines[:end]


def normalize_newlines(text: str) -> str:
    """CRLF and CR as LF, the way the entry editor and its line/column numbers see text."""
    return _ORDINARY_BREAK.sub("\n", text)
