"""Edit exactly one model's entry in a schema YAML file; every other byte stays as it was.

Text in, text out (the caller reads and saves the file). An entry's lines are spliced and nothing
is re-serialized, so comments, quoting, key order, anchors, the BOM and line endings outside the
entry are untouched, and values such as 'yes' or '012' keep the quotes that make dbt's YAML 1.1
loader read them as strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tui.core.errors import WorkbenchError
from tui.core.schema.entry_input import EntryInvalid, PreparedEntry, prepare_entry
from tui.core.scan.schema_index import mapping_items
from tui.core.schema.layout import ItemSpan, ModelsLayout, item_span, models_layout
from tui.core.schema.safety import Parsed, Problem, SchemaEditRefused, check_editable, construct_node, inspect
from tui.core.schema.text import (
    is_blank,
    line_break,
    newline_of,
    normalize_newlines,
    shown_line,
    split_bom,
    split_lines,
    without_trailing_blanks,
)
from tui.core.project.yaml_load import SafeLoader

__all__ = [
    "EntryInvalid",
    "EntryMissing",
    "SchemaEditRefused",
    "add_entry",
    "check_editable",
    "entry_text",
    "replace_entry",
    "schema_file_for_new_entry",
]

NEW_FILE_HEAD = "version: 2\n\n"
_MODELS_KEY = re.compile(r"^\ufeff?[\"']?models[\"']?[ \t]*:(?:[ \t]|$)", re.MULTILINE)


class EntryMissing(WorkbenchError):
    """The file has no entry for the model (add_entry creates one)."""


@dataclass(frozen=True, slots=True)
class _Entry:
    """A model's item: its place in the `models:` list and its lines."""

    index: int
    span: ItemSpan


@dataclass(frozen=True, slots=True)
class _Schema:
    """A checked schema text split into lines, with where its `models:` items are."""

    bom: str
    lines: list[str]
    parsed: Parsed
    layout: ModelsLayout
    names: list[str | None]
    newline: str

    def shown(self, entry: _Entry) -> str:
        return "".join(shown_line(line, entry.span.dash) for line in self.lines[entry.span.first : entry.span.end])

    def entry(self, model_name: str) -> _Entry | None:
        """The model's item, or None; refuses items that cannot be spliced by lines."""
        found = [index for index, name in enumerate(self.names) if name == model_name]
        if not found:
            return None
        if len(found) > 1:
            raise SchemaEditRefused(f"there are {len(found)} entries named {model_name}")
        if self.layout.value != "block":
            raise SchemaEditRefused("the models list is not written as a block list ('- name: ...' lines)")
        extent = self.layout.items[found[0]]
        span = None if extent.alias else item_span(self.lines, extent)
        if span is None:
            raise SchemaEditRefused(f"the entry for {model_name} (line {extent.line + 1}) is not written out in place")
        return _Entry(found[0], span)


def entry_text(text: str, model_name: str) -> str | None:
    """The model's entry as the editor shows it: unindented to "- name: ...", LF, ending with a newline."""
    schema = _read(text)
    entry = schema.entry(model_name)
    return None if entry is None else schema.shown(entry)


def replace_entry(text: str, model_name: str, new_entry: str) -> str:
    """The whole file with only the model's entry lines replaced by `new_entry` (checked first)."""
    schema = _read(text)
    entry = schema.entry(model_name)
    if entry is None:
        raise EntryMissing(f"{model_name} has no entry in this file")
    if _trimmed(new_entry) == _trimmed(schema.shown(entry)):
        return text
    prepared = prepare_entry(new_entry)
    first, end = entry.span.first, entry.span.end
    placed = prepared.placed(entry.span.dash, schema.newline, bool(line_break(schema.lines[end - 1])))
    new_text = schema.bom + "".join(schema.lines[:first] + placed + schema.lines[end:])
    anchored = schema.layout.items[entry.index].anchored
    placement = _Placement(prepared, first, entry.span.dash, end - first)
    _check_result(schema, new_text, placement, model_name, entry.index, anchored)
    return new_text


def add_entry(text: str | None, model_name: str, new_entry: str) -> str:
    """The file with a new entry at the end of `models:` (created when absent; a new file for None)."""
    schema = _read(text or "")
    if model_name in schema.names:
        line = schema.layout.items[schema.names.index(model_name)].line + 1
        raise SchemaEditRefused(f"{model_name} already has an entry in this file (line {line})")
    prepared = prepare_entry(new_entry)
    at, indent, head = _insertion(schema)
    placed = prepared.placed(indent, schema.newline, True)
    lines = list(schema.lines)
    if at > 0 and not line_break(lines[at - 1]):
        lines[at - 1] += schema.newline
    new_text = schema.bom + "".join(lines[:at] + head + placed + lines[at:])
    _check_result(schema, new_text, _Placement(prepared, at + len(head), indent), model_name, None, False)
    return new_text


def schema_file_for_new_entry(model_path: Path, policy: str = "folder") -> Path:
    """Where a model without an entry gets one: `<model>.yml` when it exists (whatever it holds, e.g.
    only `semantic_models`), else the folder's schema file, else a new `<model>.yml`."""
    beside = model_path.with_suffix(".yml")
    if policy == "model" or beside.is_file():
        return beside
    if policy != "folder":
        raise WorkbenchError(f"Unknown schema file policy {policy!r}: use 'folder' or 'model'.")
    candidates = [path for path in model_path.parent.iterdir() if _declares_models(path)]
    if not candidates:
        return beside
    return min(candidates, key=lambda path: (not path.name.startswith("_"), path.name))


def _declares_models(path: Path) -> bool:
    """A `.yml`/`.yaml` file with a top-level `models:` key (read as text, so a broken file counts)."""
    if path.suffix not in (".yml", ".yaml") or not path.is_file():
        return False
    try:
        return bool(_MODELS_KEY.search(path.read_text(encoding="utf-8", errors="replace")))
    except OSError:
        return False


def _read(text: str) -> _Schema:
    bom, body = split_bom(text)
    parsed = inspect(body, construct=False)
    if isinstance(parsed, Problem):
        raise SchemaEditRefused(parsed.describe())
    layout = models_layout(body)
    names = [_name(item) for item in _model_items(parsed.root)]
    if layout.value == "block" and len(names) != len(layout.items):
        raise SchemaEditRefused("its models list could not be read item by item")
    return _Schema(bom, split_lines(body), parsed, layout, names, newline_of(body))


def _model_items(root: yaml.Node | None) -> list[yaml.Node]:
    """The items of the top-level `models:` key (own key only, not one merged in with `<<`)."""
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "models":
            return list(value.value) if isinstance(value, yaml.SequenceNode) else []
    return []


def _name(item: yaml.Node) -> str | None:
    name = mapping_items(item).get("name")
    return name.value if isinstance(name, yaml.ScalarNode) else None


def _trimmed(entry: str) -> str:
    return "".join(without_trailing_blanks(split_lines(normalize_newlines(entry).rstrip("\n") + "\n")))


def _insertion(schema: _Schema) -> tuple[int, int, list[str]]:
    """Where a new item goes (line index), its dash column, and any lines to write before it."""
    layout, newline = schema.layout, schema.newline
    offset = layout.list_offsets[0] if layout.list_offsets else 2
    if layout.value == "block":
        last = item_span(schema.lines, layout.items[-1])
        if last is None:
            raise SchemaEditRefused("the end of its models list cannot be found")
        separated = len(layout.items) > 1 and last.first > 0 and is_blank(schema.lines[last.first - 1])
        return last.end, last.dash, [newline] if separated else []
    if layout.value == "empty" and layout.key_line is not None:
        return layout.key_line + 1, layout.key_column + offset, []
    if layout.value is not None:
        raise SchemaEditRefused("its models: key does not hold a block list ('- name: ...' lines)")
    head = [] if schema.parsed.root is not None else [NEW_FILE_HEAD.replace("\n", newline)]
    gap = [newline] if schema.lines and not is_blank(schema.lines[-1]) else []
    column = schema.parsed.root.start_mark.column if schema.parsed.root is not None else 0
    return len(schema.lines), column + offset, split_lines("".join([*gap, *head, " " * column + "models:" + newline]))


@dataclass(frozen=True, slots=True)
class _Placement:
    """Where the prepared entry landed in the new file, to report problems in the user's terms."""

    prepared: PreparedEntry
    first: int
    indent: int
    replaced: int = 0  # how many lines of the old file the entry took the place of

    def old_line(self, line: int) -> int:
        """A 1-based line of the new file after the entry, as numbered in the file as it was."""
        return line if line <= self.first else line - len(self.prepared.lines) + self.replaced

    def position(self, line: int | None, column: int | None) -> tuple[int, int] | None:
        if line is None:
            return None
        return self.prepared.user_position(line - 1 - self.first, (column or 1) - 1, self.indent)


def _check_result(
    schema: _Schema, new_text: str, placement: _Placement, model: str, old_index: int | None, anchored: bool
) -> None:
    """Parse the whole new file (so aliases resolve) and check the entry and everything else."""
    new_body = split_bom(new_text)[1]
    result = inspect(new_body, construct=False)
    if isinstance(result, Problem):
        raise _problem_error(result, placement)
    items = _model_items(result.root)
    index = len(schema.names) if old_index is None else old_index
    if len(items) != len(schema.names) + (old_index is None) or not isinstance(items[index], yaml.MappingNode):
        raise EntryInvalid("the entry must be exactly one mapping, written as '- name: ...'")
    _check_name(schema, items[index], placement, model, old_index)
    try:
        construct_node(items[index])
    except Exception as error:  # noqa: BLE001 - constructors raise ValueError etc., not only YAMLError
        raise EntryInvalid(f"dbt's YAML loader cannot read the entry ({str(error).splitlines()[0]})") from None
    if anchored or placement.prepared.anchored:
        _check_elsewhere(schema, new_body, old_index, index)


def _check_elsewhere(schema: _Schema, new_body: str, old_index: int | None, new_index: int) -> None:
    """With anchors in play, an entry's change can reach other entries: compare the rest as dbt loads it."""
    old_data = yaml.load("".join(schema.lines), Loader=SafeLoader)
    changed = _changed_elsewhere(old_data, yaml.load(new_body, Loader=SafeLoader), old_index, new_index)
    if changed:
        raise EntryInvalid(
            f"this change would also change {', '.join(changed)} (they use an anchor that this entry "
            "defines or redefines); edit the whole file to change them together"
        )


def _problem_error(problem: Problem, placement: _Placement) -> EntryInvalid:
    """A problem of the new file, told in the entry's own lines when it lies inside the entry."""
    where = placement.position(problem.line, problem.column)
    alias = "undefined alias" in problem.what
    if where is not None:
        if alias:
            return EntryInvalid("the entry uses an alias (*name) whose anchor (&name) is not defined before it", *where)
        return EntryInvalid(_with_earlier(problem, placement), *where)
    if alias:
        return EntryInvalid(
            f"line {placement.old_line(problem.line or 0)} of the file uses an anchor (&name) that this entry "
            "defined; keep the anchor"
        )
    return EntryInvalid(f"the file would not be valid after this change: {problem.describe()}")


def _with_earlier(problem: Problem, placement: _Placement) -> str:
    if problem.earlier_line is None:
        return problem.what
    earlier = placement.position(problem.earlier_line, 1)
    return f"{problem.what} (first at line {earlier[0] if earlier else problem.earlier_line})"


def _check_name(schema: _Schema, item: yaml.Node, placement: _Placement, model: str, old_index: int | None) -> None:
    name = mapping_items(item).get("name")
    if not isinstance(name, yaml.ScalarNode):
        raise EntryInvalid(f"the entry has no name; it must say 'name: {model}'")
    where = placement.position(name.start_mark.line + 1, name.start_mark.column + 1) or (None, None)
    if name.value == model and name.tag != "tag:yaml.org,2002:str":
        raise EntryInvalid(f"dbt's YAML 1.1 does not read name: {model} as text; quote it: name: '{model}'", *where)
    if name.value == model:
        return
    message = f"renamed to {name.value}: the entry must keep 'name: {model}' (rename the model instead)"
    if name.value in schema.names and schema.names.index(name.value) != old_index:
        other = schema.layout.items[schema.names.index(name.value)].line + 1
        message += f"; {name.value} is another model's entry in this file (line {other})"
    raise EntryInvalid(message, *where)


def _changed_elsewhere(old_data: Any, new_data: Any, old_index: int | None, new_index: int) -> list[str]:
    """What outside the entry would read differently, compared by repr (so NaN equals NaN)."""
    old, new = _as_dict(old_data), _as_dict(new_data)
    changed = [str(key) for key in old if key != "models" and repr(old[key]) != repr(new.get(key))]
    old_models = _other_models(old, old_index)
    new_models = _other_models(new, new_index)
    for before, after in zip(old_models, new_models, strict=False):
        if repr(before) != repr(after):
            changed.append(str(before.get("name")) if isinstance(before, dict) else "a models item")
    if len(old_models) != len(new_models):
        changed.append("the models list")
    return changed


def _as_dict(data: Any) -> dict[Any, Any]:
    return data if isinstance(data, dict) else {}


def _other_models(data: dict[Any, Any], index: int | None) -> list[Any]:
    models = data.get("models")
    items = list(models) if isinstance(models, list) else []
    if index is not None and index < len(items):
        del items[index]
    return items
