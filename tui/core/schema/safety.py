"""Decide whether a schema YAML file can be edited one entry at a time without risk.

Entry editing splices lines and never re-serializes, so it is only safe when the lines mean what
they seem to: one document, no duplicate keys (loaders disagree on which one wins), no Jinja that
rewrites structure before YAML sees it, no tabs pretending to be indentation.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

import yaml

from tui.core.errors import WorkbenchError
from tui.core.schema.text import is_blank, line_body, split_bom, split_lines
from tui.core.project.yaml_load import SafeLoader, problem_from

Position = tuple[int, int]  # 0-based line and column, as in libyaml marks

_JINJA_BLOCK = re.compile(r"\{%")
_JINJA_EXPRESSION = re.compile(r"\{\{")
_LEADING = re.compile(r"[ \t]*")


class SchemaEditRefused(WorkbenchError):
    """The file cannot be edited entry by entry; `reason` says why in words."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"This file cannot be edited entry by entry: {reason}.")
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Problem:
    """What makes a text unsafe to edit, and where (1-based; `earlier_line` for duplicates)."""

    what: str
    line: int | None = None
    column: int | None = None
    earlier_line: int | None = None

    def describe(self) -> str:
        """The problem in words, with its place in the file."""
        text = self.what
        if self.line is not None:
            text += f" at line {self.line}"
        if self.earlier_line is not None:
            text += f" (first at line {self.earlier_line})"
        return text


@dataclass(frozen=True, slots=True)
class Parsed:
    """A checked file: its node tree, and its values as dbt's loader builds them (when asked)."""

    root: yaml.Node | None
    data: Any = None


def check_editable(text: str) -> None:
    """Raise SchemaEditRefused when the file's text cannot be edited entry by entry."""
    result = inspect(split_bom(text)[1])
    if isinstance(result, Problem):
        raise SchemaEditRefused(result.describe())


def inspect(body: str, construct: bool = True) -> Parsed | Problem:
    """Parse a (BOM-less) text and check it; the first problem found, or the parsed file.

    Building the values (`construct`) costs about as much as all the rest, so callers that only
    need places can skip it.
    """
    block = _JINJA_BLOCK.search(body)
    if block:
        line, column = _position(split_lines(body), block.start())
        return Problem("it uses a Jinja block tag ({% ... %})", line + 1, column + 1)
    try:
        documents = list(yaml.compose_all(body, Loader=SafeLoader))
    except yaml.YAMLError as error:
        return _parse_problem(body, error)
    if len(documents) > 1:
        return Problem(f"it holds {len(documents)} YAML documents (separated by ---)", _second_document_line(body))
    root = documents[0] if documents else None
    problem = _structure_problem(body, root)
    if problem is not None:
        return problem
    return _construct(body, root) if construct else Parsed(root)


def _second_document_line(body: str) -> int | None:
    """Where the second document starts (its `---`); a document node's own mark is past it."""
    starts = [event for event in yaml.parse(body, Loader=SafeLoader) if isinstance(event, yaml.DocumentStartEvent)]
    return starts[1].start_mark.line + 1 if len(starts) > 1 else None


def _structure_problem(body: str, root: yaml.Node | None) -> Problem | None:
    if root is None:
        return None
    if not isinstance(root, yaml.MappingNode):
        return Problem("its top level is not a mapping of keys", root.start_mark.line + 1)
    lines, nodes = split_lines(body), _walk(root)
    spans = _scalar_spans(nodes)
    return _jinja_outside_values(lines, spans) or _duplicate_key(nodes) or _tab_indentation(lines, spans)


def _construct(body: str, root: yaml.Node | None) -> Parsed | Problem:
    """Build values the way dbt does (yaml.load with the safe loader); some valid YAML fails here."""
    try:
        return Parsed(root, yaml.load(body, Loader=SafeLoader))
    except Exception as error:  # noqa: BLE001 - constructors raise ValueError etc., not only YAMLError
        return Problem(f"dbt's YAML loader cannot read it ({str(error).splitlines()[0]})")


def construct_node(node: yaml.Node) -> Any:
    """One node's value as dbt's safe loader builds it; raises what the loader raises."""
    loader = SafeLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _parse_problem(body: str, error: yaml.YAMLError) -> Problem:
    problem = problem_from(error)
    if problem.line is None:
        return Problem(f"it is not valid YAML ({problem.message})")
    lines = split_lines(body)
    text = line_body(lines[problem.line - 1]) if problem.line <= len(lines) else ""
    column = (problem.column or 1) - 1
    if "tab" in problem.message or text[column : column + 1] == "\t":
        return Problem("a tab character is used for indentation", problem.line, problem.column)
    return Problem(f"it is not valid YAML ({problem.message})", problem.line, problem.column)


def _walk(root: yaml.Node) -> list[yaml.Node]:
    """Every node once (an alias is the same node object as its anchor, so it is not repeated)."""
    seen: set[int] = set()
    order: list[yaml.Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        order.append(node)
        if isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in reversed(node.value) for part in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
    return order


def _scalar_spans(nodes: list[yaml.Node]) -> list[tuple[Position, Position]]:
    spans = [
        ((node.start_mark.line, node.start_mark.column), (node.end_mark.line, node.end_mark.column))
        for node in nodes
        if isinstance(node, yaml.ScalarNode)
    ]
    return sorted(spans)


def _inside(spans: list[tuple[Position, Position]], starts: list[Position], position: Position) -> bool:
    index = bisect_right(starts, position) - 1
    return index >= 0 and position < spans[index][1]


def _jinja_outside_values(lines: list[str], spans: list[tuple[Position, Position]]) -> Problem | None:
    """`{{ }}` inside a value is normal dbt (`{{ doc('x') }}`); anywhere else YAML sees braces."""
    starts = [start for start, _ in spans]
    for number, line in enumerate(lines):
        for match in _JINJA_EXPRESSION.finditer(line_body(line)):
            position = (number, match.start())
            if not _inside(spans, starts, position) and not _in_comment(line, position, spans, starts):
                return Problem("it uses Jinja {{ ... }} outside a quoted value", number + 1, match.start() + 1)
    return None


def _in_comment(line: str, position: Position, spans: list[tuple[Position, Position]], starts: list[Position]) -> bool:
    body = line_body(line)
    for column in range(position[1]):
        starts_comment = body[column] == "#" and (column == 0 or body[column - 1] in " \t")
        if starts_comment and not _inside(spans, starts, (position[0], column)):
            return True
    return False


def _duplicate_key(nodes: list[yaml.Node]) -> Problem | None:
    for node in nodes:
        if not isinstance(node, yaml.MappingNode):
            continue
        seen: dict[tuple[str, str], int] = {}
        for key, _ in node.value:
            line, column = key.start_mark.line + 1, key.start_mark.column + 1
            if not isinstance(key, yaml.ScalarNode):
                return Problem("a mapping key is not plain text", line, column)
            identity = (key.tag, key.value)
            if identity in seen:
                return Problem(f"the key '{key.value}' appears twice in one mapping", line, column, seen[identity])
            seen[identity] = line
    return None


def _tab_indentation(lines: list[str], spans: list[tuple[Position, Position]]) -> Problem | None:
    """Tabs before the first character of a line, except inside multi-line values (content)."""
    content_lines: set[int] = set()
    for (start_line, _), (end_line, end_column) in spans:
        content_lines.update(range(start_line + 1, end_line + (1 if end_column else 0)))
    for number, line in enumerate(lines):
        if number in content_lines or is_blank(line):
            continue
        leading = _LEADING.match(line_body(line))
        if leading and "\t" in leading.group():
            return Problem("a tab character is used for indentation", number + 1, leading.group().index("\t") + 1)
    return None


def _position(lines: list[str], offset: int) -> Position:
    for number, line in enumerate(lines):
        if offset < len(line):
            return number, offset
        offset -= len(line)
    return len(lines), 0
