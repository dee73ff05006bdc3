"""Line breaks other than \\n (U+2028, U+2029, form feeds, \\x85...) kept byte for byte.

Textual's TextArea splits lines as str.splitlines does and joins them with one newline, so a
file holding such characters would look edited the moment it opens and would come back with
every one of them turned into \\n. `editor_form` is the text as the editor holds it;
`restore_line_breaks` puts the file's own breaks back outside the lines the user edited.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
"""What str.splitlines, and so Textual's TextArea, takes for the end of a line."""
_OTHER_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def editor_form(text: str) -> str:
    """`text` as a TextArea holds it: every line break, whatever its character, becomes a \\n.

    Textual splits lines as str.splitlines does and joins them with one newline, so a U+2028 in a
    string literal or a form feed in a comment comes back as \\n. Compared in this form, a file
    that holds them is not taken for edited the moment it opens.
    """
    if not _OTHER_BREAKS.search(text):
        return text
    return "\n".join(body for body, _ in _split_lines(text))


def restore_line_breaks(edited: str, original: str) -> str:
    """`edited` (in editor form) with `original`'s line breaks back wherever the edit kept them.

    Lines are matched as a diff matches them, so the bytes outside the edited lines stay as they
    were. A changed block of lines keeps the breaks of its last lines (a break ends its line: a
    line split in two keeps it at the end, two joined lines keep the second one's); lines the user
    added end in \\n. `edited == editor_form(original)` gives back `original` exactly.
    """
    if not _OTHER_BREAKS.search(original):
        return edited
    old = _split_lines(original)
    new = edited.split("\n")
    breaks = _matched_breaks([body for body, _ in old], [end for _, end in old], new)
    return "".join(body + end for body, end in zip(new, breaks))


def _split_lines(text: str) -> list[tuple[str, str]]:
    """Each line and the break that ends it; the last line (maybe empty) has none."""
    lines = []
    for part in text.splitlines(keepends=True):
        cut = 2 if part.endswith("\r\n") else 1 if part[-1] in LINE_BREAKS else 0
        lines.append((part[: len(part) - cut], part[len(part) - cut:]))
    if not lines or lines[-1][1]:
        lines.append(("", ""))
    return lines


def _matched_breaks(old: list[str], old_breaks: list[str], new: list[str]) -> list[str]:
    """The break after each new line, from the old line it matches (the ends are cut off first,
    so the diff only sees the edited middle even in a big file)."""
    head = _common_count(old, new)
    tail = _common_count(old[head:][::-1], new[head:][::-1])
    breaks = old_breaks[:head]
    middle = SequenceMatcher(None, old[head:len(old) - tail], new[head:len(new) - tail])
    for _tag, i1, i2, j1, j2 in middle.get_opcodes():
        width = min(i2 - i1, j2 - j1)  # lines paired up: all of an equal block, none of an insert
        kept = old_breaks[head + i2 - width: head + i2]
        breaks += ["\n"] * (j2 - j1 - width) + kept
    breaks += old_breaks[len(old) - tail:]
    return [end or "\n" for end in breaks[:-1]] + [""]


def _common_count(first: list[str], second: list[str]) -> int:
    """How many leading items the two lists share."""
    count = 0
    for a, b in zip(first, second):
        if a != b:
            break
        count += 1
    return count
