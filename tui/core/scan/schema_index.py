"""Index `models:` and `sources:` entries of schema YAML files, with the line each starts on.

Only block structure is needed, so files are composed into nodes (no Python objects built) with
libyaml. Results are cached per file, keyed by a hash of the file's bytes (see tui.core.scan.cache).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tui.core.project.records import FileProblem, SchemaEntry, SourceTable
from tui.core.scan.model_files import decode_text
from tui.core.project.yaml_load import collector_paused, compose_yaml, problem_from

TEST_KEYS = ("data_tests", "tests")
COLUMN_KEY_TESTS = frozenset({"unique", "not_null"})
MODEL_KEY_TESTS = frozenset({"unique_combination_of_columns"})


_NAMED = re.compile(r"""^[ \t]*-[ \t]*name:[ \t]*['"]?([A-Za-z0-9_]+)""", re.M)


@dataclass(slots=True)
class SchemaFileIndex:
    """What one schema file declares; `problem` is set when the file could not be read.

    A file dbt would reject declares nothing; `named` then lists the names it mentions, so a model
    whose entry sits in it is not reported as having none (and no second entry is offered).
    """

    entries: list[SchemaEntry] = field(default_factory=list)
    sources: list[SourceTable] = field(default_factory=list)
    problem: FileProblem | None = None
    named: tuple[str, ...] = ()


def index_schema_text(rel_path: str, data: bytes) -> SchemaFileIndex:
    """Index one file's bytes; a YAML error becomes a located problem, not an exception.

    The node tree of a big file is millions of objects: the collector stays paused until it is
    dropped (see collector_paused)."""
    with collector_paused():
        return _index_text(rel_path, data)


def _index_text(rel_path: str, data: bytes) -> SchemaFileIndex:
    text, decode_problem = decode_text(data)
    if decode_problem:
        return SchemaFileIndex(problem=FileProblem(rel_path, decode_problem))
    try:
        root = compose_yaml(text)
    except yaml.YAMLError as error:
        problem = problem_from(error)
        message = f"invalid YAML: {problem.message}" + (", column %d" % problem.column if problem.column else "")
        return _rejected(rel_path, text, message, problem.line)
    if root is None:
        return SchemaFileIndex()
    if not isinstance(root, yaml.MappingNode):
        return _rejected(rel_path, text, "top level is not a mapping", root.start_mark.line + 1)
    duplicate = first_duplicate_key(root)
    if duplicate is not None:
        key, line, first_line = duplicate
        return _rejected(rel_path, text, f"duplicate key '{key}' (first on line {first_line})", line)
    top = mapping_items(root)
    return SchemaFileIndex(
        entries=_model_entries(rel_path, top.get("models")),
        sources=_source_tables(rel_path, top.get("sources")),
    )


def _rejected(rel_path: str, text: str, message: str, line: int | None) -> SchemaFileIndex:
    named = tuple(dict.fromkeys(_NAMED.findall(text)))
    return SchemaFileIndex(problem=FileProblem(rel_path, message, line, rejected=True), named=named)


def first_duplicate_key(root: yaml.Node) -> tuple[str, int, int] | None:
    """The first key repeated within one mapping (dbt refuses such a file): key, its line, first line."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value != "<<":
                    line = key.start_mark.line + 1
                    if key.value in seen:
                        return key.value, line, seen[key.value]
                    seen[key.value] = line
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return None


def mapping_items(node: yaml.Node) -> dict[str, yaml.Node]:
    """A mapping node's items by key text, with `<<` merge keys folded in (own keys win)."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    items: dict[str, yaml.Node] = {}
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "<<":
            merged = value.value if isinstance(value, yaml.SequenceNode) else [value]
            for source in merged:
                for merged_key, merged_value in mapping_items(source).items():
                    items.setdefault(merged_key, merged_value)
        elif isinstance(key, yaml.ScalarNode):
            items[key.value] = value
    return items


def _sequence(node: yaml.Node | None) -> list[yaml.Node]:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _text(node: yaml.Node | None) -> str:
    if isinstance(node, yaml.ScalarNode) and node.tag != "tag:yaml.org,2002:null":
        return str(node.value).strip()
    return ""


def _has_tests(items: dict[str, yaml.Node]) -> bool:
    return any(_sequence(items.get(key)) for key in TEST_KEYS)


def _test_names(items: dict[str, yaml.Node]) -> set[str]:
    """Names of the generic tests under data_tests/tests, without a package prefix.

    A test is `- unique`, `- unique: {...}` (the `arguments:` form included) or has a `test_name:`;
    `dbt.unique` and `dbt_utils.unique_combination_of_columns` lose their package prefix.
    """
    names = set()
    for key in TEST_KEYS:
        for test in _sequence(items.get(key)):
            if isinstance(test, yaml.ScalarNode):
                names.add(_text(test))
            elif isinstance(test, yaml.MappingNode):
                fields = mapping_items(test)
                names.add(_text(fields.get("test_name")) or next(iter(fields), ""))
    return {name.rsplit(".", 1)[-1] for name in names if name}


def _primary_key_tested(fields: dict[str, yaml.Node], columns: list[dict[str, yaml.Node]]) -> bool:
    """What dbt-project-evaluator accepts as a primary-key test: unique + not_null on one column,
    or a unique_combination_of_columns test on the model."""
    if _test_names(fields) & MODEL_KEY_TESTS:
        return True
    return any(COLUMN_KEY_TESTS <= _test_names(column) for column in columns)


def _model_entries(rel_path: str, models: yaml.Node | None) -> list[SchemaEntry]:
    entries = []
    for item in _sequence(models):
        fields = mapping_items(item)
        name = _text(fields.get("name"))
        if not name:
            continue
        columns = [mapping_items(column) for column in _sequence(fields.get("columns"))]
        tested = _has_tests(fields) or any(_has_tests(column) for column in columns)
        documented = bool(_text(fields.get("description")))
        key_tested = _primary_key_tested(fields, columns)
        line = item.start_mark.line + 1
        description = _text(fields.get("description"))
        names = tuple(n for n in (_text(column.get("name")) for column in columns) if n)
        entries.append(
            SchemaEntry(name, rel_path, line, documented, tested, len(columns), key_tested, description, names)
        )
    return entries


def _source_tables(rel_path: str, sources: yaml.Node | None) -> list[SourceTable]:
    tables = []
    for source in _sequence(sources):
        source_fields = mapping_items(source)
        source_name = _text(source_fields.get("name"))
        for table in _sequence(source_fields.get("tables")):
            table_fields = mapping_items(table)
            table_name = _text(table_fields.get("name"))
            if source_name and table_name:
                description = _text(table_fields.get("description"))
                columns = _typed_columns(table_fields.get("columns"))
                line = table.start_mark.line + 1
                tables.append(SourceTable(source_name, table_name, rel_path, line, bool(description), columns, description))
    return tables


def _typed_columns(node: yaml.Node | None) -> tuple[tuple[str, str], ...]:
    """(name, data_type) of each named column; starter SQL casts to the declared type."""
    columns = []
    for column in _sequence(node):
        fields = mapping_items(column)
        name = _text(fields.get("name"))
        if name:
            columns.append((name, _text(fields.get("data_type")) or _text(fields.get("type"))))
    return tuple(columns)


def read_schema_file(root: Path, path: Path) -> tuple[bytes | None, FileProblem | None]:
    """The file's bytes, or the reason it cannot be read."""
    try:
        return path.read_bytes(), None
    except OSError as error:
        return None, FileProblem(path.relative_to(root).as_posix(), f"cannot read: {error.strerror}")
