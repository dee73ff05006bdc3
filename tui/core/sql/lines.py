"""Map a relation found in rendered SQL back to its line in the original model file.

Rendering Jinja moves lines (loops add them, blocks remove them), so the parser's line is
only a hint. We look for the relation's text on the source lines, with comments and
string literals blanked so ``-- from raw.x`` never attracts a finding, and pick the
occurrence nearest the hint. No Textual here (tui/core rule).
"""

from __future__ import annotations

import re

_QUOTES = {'"': '"', "`": "`", "[": "]"}


def blank_comments(text: str) -> str:
    """Blank SQL/Jinja comments and SQL string contents, keeping newlines and offsets.

    ``{{ }}`` and ``{% %}`` are copied verbatim so ``var('x')`` can still be found.
    """
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        two = text[i : i + 2]
        if two in ("{{", "{%"):
            end = text.find("}}" if two == "{{" else "%}", i + 2)
            end = n if end < 0 else end + 2
            out.append(text[i:end])
        elif two in ("--", "/*", "{#") or text[i] == "'":
            end = _comment_end(text, i, two)
            out.append(_blank(text[i:end]))
        else:
            out.append(text[i])
            end = i + 1
        i = end
    return "".join(out)


def _comment_end(text: str, i: int, two: str) -> int:
    """End offset (exclusive) of the comment or string literal starting at ``i``."""
    if two == "--":
        end = text.find("\n", i)
        return len(text) if end < 0 else end
    if two in ("/*", "{#"):
        end = text.find("*/" if two == "/*" else "#}", i + 2)
        return len(text) if end < 0 else end + 2
    j = i + 1
    while j < len(text):
        if text[j] == "'":
            if text[j + 1 : j + 2] == "'":  # doubled quote inside a literal
                j += 2
                continue
            return j + 1
        j += 1
    return len(text)


def _blank(chunk: str) -> str:
    return "".join(c if c == "\n" else " " for c in chunk)


def part_pattern(name: str) -> str:
    """Regex for one name part, bare or quoted in any of the usual SQL quote styles."""
    esc = re.escape(name)
    return rf'(?:{esc}|"{esc}"|`{esc}`|\[{esc}\])'


def var_pattern(var_name: str) -> str:
    """Regex for ``{{ var('name' ...) }}`` as written in the model."""
    return r"\{\{-?\s*var\(\s*['\"]" + re.escape(var_name) + r"['\"][^}]*\}\}"


def relation_regex(part_patterns: list[str], whole: str | None = None) -> re.Pattern[str]:
    """Whole dotted name, not part of a longer name; dots may have spaces around them.

    ``whole`` also accepts the full dotted name inside one pair of quotes, as BigQuery
    writes `project.dataset.table`.
    """
    body = r"\s*\.\s*".join(part_patterns)
    if whole and len(part_patterns) > 1:
        esc = re.escape(whole)
        body = rf'(?:{body}|`{esc}`|"{esc}")'
    return re.compile(rf"(?<![\w.\"`\]]){body}(?![\w\"`])", re.IGNORECASE)


class SourceLines:
    """The model file prepared once for many relation look-ups."""

    def __init__(self, source: str) -> None:
        self.text = blank_comments(source)
        self.original = source
        self.line_count = max(1, source.count("\n") + (0 if source.endswith("\n") else 1))
        self._used: set[tuple[int, int]] = set()

    def line_of(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1

    def locate(self, regex: re.Pattern[str], hint_line: int) -> tuple[int, str | None]:
        """Line and text as written of the match nearest ``hint_line`` not used before.

        Falls back to the hint (clamped to the file) with no text when nothing matches.
        """
        best: tuple[int, int, re.Match[str]] | None = None
        for match in regex.finditer(self.text):
            key = (match.start(), match.end())
            if key in self._used:
                continue
            line = self.line_of(match.start())
            distance = abs(line - hint_line)
            if best is None or distance < best[0]:
                best = (distance, line, match)
        if best is None:
            return min(max(hint_line, 1), self.line_count), None
        match = best[2]
        self._used.add((match.start(), match.end()))
        return best[1], self.original[match.start() : match.end()]
