"""Read the exact text of one model's entry in a schema YAML file (for showing it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from tui.core.model_files import decode_text
from tui.core.schema_files import mapping_items
from tui.core.yaml_load import compose_yaml, problem_from


@dataclass(frozen=True, slots=True)
class EntryText:
    """The lines of a `models:` item as written in the file, and the line number of the first."""

    text: str
    first_line: int


def find_entry_text(path: Path, model_name: str) -> EntryText | str:
    """The entry's lines from the file, or a sentence saying why they cannot be shown."""
    try:
        text, problem = decode_text(path.read_bytes())
    except OSError as error:
        return f"Cannot read {path.name}: {error.strerror}"
    if problem:
        return f"{path.name} is {problem}"
    try:
        root = compose_yaml(text)
    except yaml.YAMLError as error:
        return f"{path.name} is not valid YAML: {problem_from(error).describe()}"
    item = _find_item(root, model_name)
    if item is None:
        return f"{path.name} has no entry for {model_name}."
    lines = text.splitlines()
    first, last = item.start_mark.line, content_end_line(item)
    body = lines[first:last]
    while body and not body[-1].strip():
        body.pop()
    return EntryText(_unindent_item(body, item.start_mark.column), first + 1)


def content_end_line(node: yaml.Node) -> int:
    """The line after the node's last character of content (0-based, exclusive).

    A block collection's own end mark lies at the next token, often the next item's line, so
    the end is taken from its last child instead.
    """
    children: list[yaml.Node] = []
    if isinstance(node, yaml.MappingNode) and not node.flow_style:
        children = [part for pair in node.value for part in pair]
    elif isinstance(node, yaml.SequenceNode) and not node.flow_style:
        children = list(node.value)
    if children:
        return content_end_line(children[-1])
    return node.end_mark.line + (1 if node.end_mark.column > 0 else 0)


def _find_item(root: yaml.Node | None, model_name: str) -> yaml.Node | None:
    models = mapping_items(root).get("models") if root is not None else None
    if not isinstance(models, yaml.SequenceNode):
        return None
    for item in models.value:
        name = mapping_items(item).get("name")
        if isinstance(name, yaml.ScalarNode) and name.value == model_name:
            return item
    return None


def _unindent_item(lines: list[str], column: int) -> str:
    """Show the item as if it were at the left margin: '  - name: x' becomes '- name: x'."""
    if not lines:
        return ""
    dash = lines[0].rfind("-", 0, column)
    cut = dash if dash >= 0 else column
    shown = [lines[0][cut:]]
    for line in lines[1:]:
        shown.append(line[cut:] if line[:cut].strip() == "" else line)
    return "\n".join(shown) + "\n"
