"""Turn the entry text from the YAML editor into the lines of a `models:` item, or say what is wrong.

The editor shows an entry as "- name: x\n  ...", but a bare mapping ("name: x\n...") is accepted
too. Positions in EntryInvalid are in the user's own entry text (1-based): that is what they see.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from tui.core.errors import WorkbenchError
from tui.core.schema.text import (
    indent_lines,
    leading_spaces,
    line_body,
    normalize_newlines,
    split_bom,
    split_lines,
    without_trailing_blanks,
)
from tui.core.project.yaml_load import SafeLoader, problem_from

_NODE_EVENTS = (yaml.ScalarEvent, yaml.AliasEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)
_ANCHORABLE = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)
_SHAPE_HINT = "it must be one mapping, written as '- name: ...'"


class EntryInvalid(WorkbenchError):
    """The new entry text is rejected; `line`/`column` point into the entry text when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(f"{where}{message}")
        self.message = message
        self.line = line
        self.column = column

    def as_numbered_from(self, first_line: int) -> "EntryInvalid":
        """The same error with its line as the editor's gutter shows it (the entry starts at
        `first_line` of its file), so 'line 5' is the line marked 5."""
        if self.line is None or first_line <= 1:
            return self
        return EntryInvalid(self.message, self.line + first_line - 1, self.column)


@dataclass(frozen=True, slots=True)
class PreparedEntry:
    """The entry as item lines ("-" at column 0, LF-ended) and how far each user line moved."""

    lines: list[str]
    shifts: list[int]
    anchored: bool = False  # the entry defines an anchor (&name), which other parts may use

    def placed(self, indent: int, newline: str, final_break: bool) -> list[str]:
        """The lines indented to the item's column with the file's newline."""
        placed = indent_lines(self.lines, indent, newline)
        if not final_break:
            placed[-1] = line_body(placed[-1])
        return placed

    def user_position(self, offset_line: int, column: int, indent: int) -> tuple[int, int] | None:
        """A 0-based place among the placed lines, as a 1-based place in the user's text."""
        if not 0 <= offset_line < len(self.lines):
            return None
        moved = self.shifts[offset_line] + (indent if line_body(self.lines[offset_line]) else 0)
        return offset_line + 1, max(column - moved, 0) + 1


def prepare_entry(text: str) -> PreparedEntry:
    """Check the entry on its own (syntax and shape) and turn it into item lines."""
    text = normalize_newlines(split_bom(text)[1])
    if not text.endswith("\n"):
        text += "\n"
    events = _events(text)
    root = _root_event(events)
    anchored = any(isinstance(event, _ANCHORABLE) and event.anchor is not None for event in events)
    lines = without_trailing_blanks(split_lines(text))
    removed = [min(leading_spaces(line), root.start_mark.column) for line in lines]
    lines = [line[cut:] for line, cut in zip(lines, removed, strict=True)]
    if isinstance(root, yaml.SequenceStartEvent):
        return PreparedEntry(lines, [-cut for cut in removed], anchored)
    return _as_item(lines, removed, root.start_mark.line, anchored)


def _as_item(lines: list[str], removed: list[int], root_line: int, anchored: bool) -> PreparedEntry:
    """A bare mapping becomes a list item: "- " before its first key, two spaces before the rest."""
    item_lines, shifts = [], []
    for number, (line, cut) in enumerate(zip(lines, removed, strict=True)):
        if number == root_line:
            item_lines.append("- " + line)
        else:
            item_lines.append("  " + line if line_body(line) else line)
        shifts.append(2 - cut if line_body(line) else 0)
    return PreparedEntry(item_lines, shifts, anchored)


def _events(text: str) -> list[yaml.Event]:
    try:
        return list(yaml.parse(text, Loader=SafeLoader))
    except yaml.YAMLError as error:
        problem = problem_from(error)
        raise EntryInvalid(f"the entry is not valid YAML: {problem.message}", problem.line, problem.column) from None


def _root_event(events: list[yaml.Event]) -> yaml.Event:
    """The entry's top node, when it is a mapping or a one-item block list holding a mapping."""
    documents = [event for event in events if isinstance(event, yaml.DocumentStartEvent)]
    if not documents:
        raise EntryInvalid("the entry is empty")
    if len(documents) > 1:
        raise EntryInvalid("the entry holds several YAML documents", *_place(documents[1]))
    marker = next((event for event in events if _explicit_document_mark(event)), None)
    if marker is not None:
        raise EntryInvalid("the entry may not hold a document marker (---, ... or %)", *_place(marker))
    root = events[2]
    if isinstance(root, yaml.MappingStartEvent):
        return root
    if not isinstance(root, yaml.SequenceStartEvent) or root.flow_style:
        raise EntryInvalid(f"the entry is not a mapping; {_SHAPE_HINT}", *_place(root))
    items = _children(events, 3)
    if len(items) != 1:
        where = _place(items[1]) if len(items) > 1 else _place(root)
        raise EntryInvalid(f"the entry is a list of {len(items)} items; {_SHAPE_HINT}", *where)
    if not isinstance(items[0], yaml.MappingStartEvent):
        raise EntryInvalid(f"the entry's item is not a mapping; {_SHAPE_HINT}", *_place(items[0]))
    return root


def _explicit_document_mark(event: yaml.Event) -> bool:
    return isinstance(event, (yaml.DocumentStartEvent, yaml.DocumentEndEvent)) and bool(event.explicit)


def _children(events: list[yaml.Event], start: int) -> list[yaml.Event]:
    """The direct children of the collection whose first child event is at `start`."""
    children, depth = [], 0
    for event in events[start:]:
        if depth == 0 and isinstance(event, _NODE_EVENTS):
            children.append(event)
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
            if depth < 0:
                break
    return children


def _place(event: yaml.Event) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1
