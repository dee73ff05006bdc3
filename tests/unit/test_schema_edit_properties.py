"""Property tests of the entry splice: generated schema files, one entry replaced by a generated one."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from dbt.clients.yaml_helper import load_yaml_text
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.schema.edit import EntryInvalid, entry_text, replace_entry

TEXT = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"), blacklist_characters="\ufeff"),
    max_size=24,
).filter(lambda text: "{%" not in text)
TRICKY = st.sampled_from(["yes", "no", "on", "off", "012", "0x1F", "1:30", "~", "null", "- a", "a: b", "#x",
                          "{{ doc('x') }}", "'", '"', "x: 'y'", "é ✓ 日本", "", " padded "])
VALUES = st.one_of(TEXT, TRICKY)
NAMES = st.from_regex(r"[a-z_][a-z0-9_]{0,11}", fullmatch=True)
STYLES = st.sampled_from(["plain", "single", "double", "block"])


def plain_ok(value: str) -> bool:
    if not value or value != value.strip():
        return False
    try:
        return yaml.load(f"k: {value}\n", Loader=yaml.CSafeLoader) == {"k": value}
    except yaml.YAMLError:
        return False


def scalar(value: str, style: str) -> str:
    """The value written in a style that YAML 1.1 reads back as exactly this string."""
    if style == "plain" and plain_ok(value):
        return value
    if style == "single":
        return "'" + value.replace("'", "''") + "'"
    return json.dumps(value, ensure_ascii=False)


@dataclass
class Entry:
    """A generated model entry: its lines (dash at column 0) and the value dbt should read."""

    lines: list[str]
    value: dict[str, Any]


@st.composite
def block_text(draw: st.DrawFn) -> str:
    lines = draw(st.lists(TEXT.map(lambda text: text.strip(" ")).filter(bool), min_size=1, max_size=3))
    return "\n".join(lines) + "\n"


@st.composite
def entries(draw: st.DrawFn, name: str, step: int) -> Entry:
    """An entry for `name` with a description, an optional inner comment and optional columns."""
    pad = " " * step
    style = draw(STYLES)
    description = draw(block_text()) if style == "block" else draw(VALUES)
    name_comment = draw(st.none() | TEXT.map(lambda text: f"  # {text}"))
    lines = ["-" + " " * (step - 1) + f"name: {scalar(name, draw(STYLES))}{name_comment or ''}"]
    if draw(st.booleans()):
        lines.append(f"{pad}# {draw(TEXT)}")
    if style == "block":
        lines += [f"{pad}description: |"] + [pad * 2 + line for line in description.rstrip("\n").split("\n")]
    else:
        lines.append(f"{pad}description: {scalar(description, style)}")
    value: dict[str, Any] = {"name": name, "description": description}
    columns = draw(st.lists(st.tuples(NAMES, VALUES, STYLES), max_size=3, unique_by=lambda column: column[0]))
    if columns:
        lines.append(f"{pad}columns:")
        value["columns"] = []
    for column, text, column_style in columns:
        lines.append(f"{pad * 2}- name: {scalar(column, 'single')}")
        lines.append(f"{pad * 2}  description: {scalar(text, column_style)}")
        lines.append(f"{pad * 2}  data_tests: [unique, not_null]")
        value["columns"].append({"name": column, "description": text, "data_tests": ["unique", "not_null"]})
    return Entry(lines, value)


@dataclass
class SchemaFile:
    text: str
    entries: list[Entry]
    dash: int
    spans: list[tuple[int, int]] = field(default_factory=list)  # (first line, line count) per entry
    newline: str = "\n"


@st.composite
def schema_files(draw: st.DrawFn) -> SchemaFile:
    """A file with N entries, comments and blank lines between them, CRLF or LF, maybe a BOM."""
    names = draw(st.lists(NAMES, min_size=1, max_size=5, unique=True))
    step, dash = draw(st.sampled_from([2, 4])), draw(st.sampled_from([0, 2, 4]))
    newline, bom = draw(st.sampled_from(["\n", "\r\n"])), draw(st.sampled_from(["", "\ufeff"]))
    lines = ["version: 2", "", "models:"]
    generated = SchemaFile("", [], dash, newline=newline)
    for name in names:
        for kind in draw(st.lists(st.sampled_from(["blank", "comment", "margin comment"]), max_size=2)):
            lines.append({"blank": "", "comment": " " * dash + f"# {draw(TEXT)}"}.get(kind, f"# {draw(TEXT)}"))
        entry = draw(entries(name, draw(st.sampled_from([2, 4]))))
        generated.entries.append(entry)
        generated.spans.append((len(lines), len(entry.lines)))
        lines += [" " * dash + line for line in entry.lines]
    if draw(st.booleans()):
        lines += ["", f"# {draw(TEXT)}", "sources:", "  - name: raw", "    tables:", "      - name: t"]
    generated.text = bom + newline.join(lines) + newline
    return generated


def lines_of(text: str, newline: str) -> list[str]:
    return [line + newline for line in text.split(newline)][:-1]


@given(data=st.data())
@settings(max_examples=100, deadline=None)
def test_replacing_one_entry_changes_only_its_lines(data: st.DataObject) -> None:
    schema = data.draw(schema_files())
    models = yaml.load(schema.text, Loader=yaml.CSafeLoader)["models"]
    assert models == [entry.value for entry in schema.entries]
    index = data.draw(st.integers(0, len(schema.entries) - 1))
    name = schema.entries[index].value["name"]
    new = data.draw(entries(name, data.draw(st.sampled_from([2, 4]))))
    new_text = "".join(line + "\n" for line in new.lines)

    result = replace_entry(schema.text, name, new_text)

    first, count = schema.spans[index]
    old_lines, new_lines = lines_of(schema.text, schema.newline), lines_of(result, schema.newline)
    placed = [" " * schema.dash + line + schema.newline for line in new.lines]
    assert new_lines[:first] == old_lines[:first]
    assert new_lines[first : first + len(placed)] == placed
    assert new_lines[first + len(placed) :] == old_lines[first + count :]
    after = yaml.load(result, Loader=yaml.CSafeLoader)["models"]
    assert after == [new.value if number == index else entry.value for number, entry in enumerate(schema.entries)]
    assert entry_text(result, name) == new_text
    assert replace_entry(result, name, "".join(line + "\n" for line in schema.entries[index].lines)) == schema.text


@given(data=st.data())
@settings(max_examples=50, deadline=None)
def test_a_bare_mapping_becomes_an_item(data: st.DataObject) -> None:
    schema = data.draw(schema_files())
    index = data.draw(st.integers(0, len(schema.entries) - 1))
    name = schema.entries[index].value["name"]
    new = data.draw(entries(name, 2))
    bare = "".join(line[2:] + "\n" for line in new.lines)
    result = replace_entry(schema.text, name, bare)
    assert yaml.load(result, Loader=yaml.CSafeLoader)["models"][index] == new.value
    assert entry_text(result, name) == "".join(line + "\n" for line in new.lines)


CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "schema_corpus"
CORPUS_CASES = [
    (path.name, item["name"])
    for path in sorted(CORPUS.glob("*.yml"))
    for item in yaml.load(path.read_bytes().decode("utf-8"), Loader=yaml.CSafeLoader)["models"]
]
TYPED_PIECES = [*":-#'\"{}[]&*!|>\n \t%@`,?~\\ab1", "  ", "\n  ", "name: ", "yes"]
TYPED = st.lists(st.sampled_from(TYPED_PIECES), max_size=6).map("".join)


@given(case=st.sampled_from(CORPUS_CASES), data=st.data())
@settings(max_examples=150, deadline=None)
def test_whatever_is_typed_is_rejected_or_changes_only_the_entry(case: tuple[str, str], data: st.DataObject) -> None:
    file_name, model = case
    text = (CORPUS / file_name).read_bytes().decode("utf-8")
    shown = entry_text(text, model)
    assert shown is not None
    start = data.draw(st.integers(0, len(shown)))
    end = data.draw(st.integers(start, min(len(shown), start + 8)))
    typed = shown[:start] + data.draw(TYPED) + shown[end:]
    try:
        result = replace_entry(text, model, typed)
    except EntryInvalid:
        return
    first = next(item.start_mark.line for item in _items(text) if _item_name(item) == model)
    old, new = text.splitlines(keepends=True), result.splitlines(keepends=True)
    tail = len(old) - first - len(shown.splitlines())
    assert new[:first] == old[:first] and new[len(new) - tail :] == old[len(old) - tail :]
    before, after = load_yaml_text(text), load_yaml_text(result)
    index = [item["name"] for item in before["models"]].index(model)
    assert after["models"][index]["name"] == model
    assert {key: value for key, value in after.items() if key != "models"} == {
        key: value for key, value in before.items() if key != "models"
    }
    others_after = after["models"][:index] + after["models"][index + 1 :]
    assert others_after == before["models"][:index] + before["models"][index + 1 :]


def _items(text: str) -> list[yaml.Node]:
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    return next(value.value for key, value in root.value if key.value == "models")


def _item_name(item: yaml.Node) -> str | None:
    if not isinstance(item, yaml.MappingNode):
        return None
    return next((value.value for key, value in item.value if key.value == "name"), None)
