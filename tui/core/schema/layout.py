"""Where the `models:` list and each of its items sit in a schema file, line by line.

Node marks cannot say where an item ends: libyaml puts a block collection's end mark at the next
token (often the next item's line), and an alias node is its anchor's node, carrying the anchor's
marks (possibly in another entry). The event stream has the true place of every scalar, alias and
flow bracket, so item extents are read from events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from tui.core.schema.text import is_blank, line_body
from tui.core.project.yaml_load import SafeLoader

_NODE_EVENTS = (yaml.ScalarEvent, yaml.AliasEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)
_DASH_BEFORE = re.compile(r"-[ \t]*$")
_DASH_ALONE = re.compile(r"^([ \t]*)-(?:[ \t]+#.*)?[ \t]*$")
_COMMENT = re.compile(r"^[ \t]*#")


@dataclass(slots=True)
class ItemExtent:
    """A `models:` item: where its node starts (0-based) and the line after its last content."""

    line: int
    column: int
    end: int
    alias: bool = False
    anchored: bool = False  # an anchor (&name) is defined inside the item


@dataclass(slots=True)
class ModelsLayout:
    """The `models:` key of the top-level mapping, the shape of its value, and its items."""

    key_line: int | None = None
    key_column: int = 0
    value: str | None = None  # "block", "flow", "empty" or "other"
    items: list[ItemExtent] = field(default_factory=list)
    list_offsets: list[int] = field(default_factory=list)  # dash column minus key column, per list


@dataclass(frozen=True, slots=True)
class ItemSpan:
    """An item's lines: from the line of its "-" to its content end (exclusive), and the dash column."""

    first: int
    end: int
    dash: int


def models_layout(body: str) -> ModelsLayout:
    """Read the layout of a (BOM-less, already checked) schema text."""
    scan = _Scan()
    for event in yaml.parse(body, Loader=SafeLoader):
        scan.feed(event)
    return scan.layout


def item_span(lines: list[str], extent: ItemExtent) -> ItemSpan | None:
    """The item's line span; trailing blank lines stay outside (they separate entries)."""
    dash = find_dash(lines, extent.line, extent.column)
    if dash is None:
        return None
    first, column = dash
    end = min(extent.end, len(lines))
    while end > first + 1 and is_blank(lines[end - 1]):
        end -= 1
    return ItemSpan(first, end, column)


def find_dash(lines: list[str], line: int, column: int) -> tuple[int, int] | None:
    """The "-" that opens a sequence item whose node starts at (line, column).

    Usually on the same line ("  - name: x"), but "-" may stand alone on an earlier line, with
    comments or blank lines between.
    """
    head = line_body(lines[line])[:column]
    match = _DASH_BEFORE.search(head)
    if match:
        return line, match.start()
    if head.strip(" \t"):
        return None
    for index in range(line - 1, -1, -1):
        body = line_body(lines[index])
        alone = _DASH_ALONE.match(body)
        if alone:
            return index, len(alone.group(1))
        if body.strip(" \t") and not _COMMENT.match(body):
            return None
    return None


@dataclass(slots=True)
class _Frame:
    mapping: bool
    flow: bool
    models: bool = False
    count: int = 0
    key: str | None = None
    key_column: int = 0


class _Scan:
    """Follows the event stream, tracking the top-level keys and the items of `models:`."""

    def __init__(self) -> None:
        self.layout = ModelsLayout()
        self.stack: list[_Frame] = []
        self.current: ItemExtent | None = None

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, _NODE_EVENTS):
            self._node(event)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frame = self.stack.pop()
            if frame.flow:
                self._reach(event.end_mark)
            self._done()

    def _node(self, event: yaml.Event) -> None:
        parent = self.stack[-1] if self.stack else None
        if parent is not None and parent.models:
            start = event.start_mark
            self.current = ItemExtent(start.line, start.column, start.line + 1, isinstance(event, yaml.AliasEvent))
            self.layout.items.append(self.current)
        if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
            self._reach(event.end_mark)
        if self.current is not None and event.anchor is not None and not isinstance(event, yaml.AliasEvent):
            self.current.anchored = True
        is_models = self._top_level(parent, event)
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            flow = bool(event.flow_style)
            mapping = isinstance(event, yaml.MappingStartEvent)
            self.stack.append(_Frame(mapping, flow, models=is_models and not mapping and not flow))
        else:
            self._done()

    def _top_level(self, parent: _Frame | None, event: yaml.Event) -> bool:
        """Track keys of the top-level mapping; True when the event is the value of `models:`."""
        if parent is None or len(self.stack) != 1 or not parent.mapping:
            return False
        if parent.count % 2 == 0:
            parent.key = event.value if isinstance(event, yaml.ScalarEvent) else None
            parent.key_column = event.start_mark.column
            if parent.key == "models":
                self.layout.key_line, self.layout.key_column = event.start_mark.line, event.start_mark.column
            return False
        if isinstance(event, yaml.SequenceStartEvent) and not event.flow_style:
            self.layout.list_offsets.append(event.start_mark.column - parent.key_column)
        if parent.key != "models":
            return False
        self.layout.value = _shape(event)
        return True

    def _done(self) -> None:
        parent = self.stack[-1] if self.stack else None
        if parent is None:
            return
        parent.count += 1
        if parent.models:
            self.current = None

    def _reach(self, mark: yaml.Mark) -> None:
        if self.current is not None:
            self.current.end = max(self.current.end, mark.line + (1 if mark.column else 0))


def _shape(event: yaml.Event) -> str:
    if isinstance(event, yaml.SequenceStartEvent):
        return "flow" if event.flow_style else "block"
    if isinstance(event, yaml.ScalarEvent) and event.value == "" and not event.style:
        return "empty"
    return "other"
