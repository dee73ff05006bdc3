"""Editing one model's entry in schema YAML: a golden corpus, refusals, rejected entries, new entries."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from dbt.clients.yaml_helper import load_yaml_text

from tui.core.schema.edit import (
    EntryInvalid,
    EntryMissing,
    SchemaEditRefused,
    add_entry,
    check_editable,
    entry_text,
    replace_entry,
    schema_file_for_new_entry,
)

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "schema_corpus"
NEW_DESCRIPTION = "Edited: it's \"quoted\" — ✓ #not-a-comment, yes: no"
ADDED_COLUMN = {"name": "added_col", "data_tests": ["not_null"]}


def read(name: str) -> str:
    """A corpus file exactly as decoded: BOM character and CRLF kept."""
    return (CORPUS / name).read_bytes().decode("utf-8")


def model_names(data: dict[str, Any]) -> list[str]:
    return [item["name"] for item in data["models"]]


CASES = [
    (path.name, name)
    for path in sorted(CORPUS.glob("*.yml"))
    for name in model_names(yaml.load(read(path.name), Loader=yaml.CSafeLoader))
]


def key_indent(entry: str) -> int:
    first = entry.splitlines()[0]
    return 1 + len(first[1:]) - len(first[1:].lstrip())


def with_description(entry: str, text: str) -> str:
    """The entry with its description replaced (or added), edited as a person would, by lines."""
    lines = entry.splitlines(keepends=True)
    if lines[0][1:].lstrip().startswith("{"):
        data = yaml.safe_load(entry)[0]
        return yaml.safe_dump([{**data, "description": text}], sort_keys=False, allow_unicode=True)
    pad = " " * key_indent(entry)
    new_line = f"{pad}description: {json.dumps(text)}\n"
    kept, replaced, skipping = [lines[0]], False, False
    for line in lines[1:]:
        if line.startswith(pad + "description:"):
            kept.append(new_line)
            replaced = skipping = True
        elif not (skipping and (not line.strip() or line.startswith(pad + " "))):
            skipping = False
            kept.append(line)
    if not replaced:
        kept.insert(1, new_line)
    return "".join(kept)


def with_added_column(entry: str) -> str | None:
    """The entry with one more column, or None when its columns are not a block list of its own."""
    lines = entry.splitlines(keepends=True)
    if lines[0][1:].lstrip().startswith("{"):
        return None
    pad = " " * key_indent(entry)
    starts = [index for index, line in enumerate(lines) if line.startswith(pad + "columns:")]
    if not starts:
        return entry + f"{pad}columns:\n{pad}  - name: added_col\n{pad}    data_tests: [not_null]\n"
    index = starts[0]
    if lines[index].strip() != "columns:":
        return None
    item_pad = " " * (len(lines[index + 1]) - len(lines[index + 1].lstrip()))
    end = index + 1
    while end < len(lines) and (not lines[end].strip() or lines[end].startswith((pad + " ", pad + "-"))):
        end += 1
    added = f"{item_pad}- name: added_col\n{item_pad}  data_tests: [not_null]\n"
    return "".join([*lines[:end], added, *lines[end:]])


def item_line(text: str, model: str) -> int:
    """The 0-based line of the model's item, found by the pure-Python parser (independent check)."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    models = dict((key.value, value) for key, value in root.value)["models"]
    for item in models.value:
        names = [value.value for key, value in item.value if key.value == "name"]
        if names == [model]:
            return item.start_mark.line
    raise AssertionError(model)


def assert_only_entry_lines_changed(text: str, result: str, model: str, shown: str) -> None:
    first, count = item_line(text, model), len(shown.splitlines())
    old, new = text.splitlines(keepends=True), result.splitlines(keepends=True)
    tail = len(old) - first - count
    assert new[:first] == old[:first]
    assert new[len(new) - tail :] == old[first + count :]


def assert_others_equal(before: dict[str, Any], after: dict[str, Any], index: int | None) -> None:
    assert [key for key in before if key != "models"] == [key for key in after if key != "models"]
    for key in before:
        if key != "models":
            assert after[key] == before[key], key
    others = [item for number, item in enumerate(before["models"]) if number != index]
    assert [item for item in after["models"] if item["name"] in model_names({"models": others})] == others


@pytest.mark.parametrize(("file_name", "model"), CASES)
def test_replacing_an_entry_with_its_own_text_is_identity(file_name: str, model: str) -> None:
    text = read(file_name)
    check_editable(text)
    shown = entry_text(text, model)
    assert shown is not None and shown.startswith("- ") and shown.endswith("\n") and "\r" not in shown
    assert replace_entry(text, model, shown) == text
    assert replace_entry(text, model, shown.replace("\n", "\r\n")) == text


@pytest.mark.parametrize(("file_name", "model"), CASES)
def test_an_edit_changes_only_that_entry(file_name: str, model: str) -> None:
    text = read(file_name)
    shown = entry_text(text, model)
    assert shown is not None
    before = load_yaml_text(text)
    index = model_names(before).index(model)
    edits: list[tuple[str, Callable[[dict[str, Any]], dict[str, Any]]]] = [
        (with_description(shown, NEW_DESCRIPTION), lambda entry: {**entry, "description": NEW_DESCRIPTION}),
    ]
    added = with_added_column(shown)
    if added is not None:
        edits.append((added, lambda entry: {**entry, "columns": [*entry.get("columns", []), ADDED_COLUMN]}))
    for edited, expected in edits:
        result = replace_entry(text, model, edited)
        assert_only_entry_lines_changed(text, result, model, shown)
        after = load_yaml_text(result)
        assert after["models"][index] == expected(before["models"][index])
        assert_others_equal(before, after, index)
        assert entry_text(result, model) == edited
        assert replace_entry(result, model, shown) == text  # and back, through a real splice


def test_new_lines_follow_the_file_bom_and_crlf() -> None:
    text = read("crlf_endings.yml")
    shown = entry_text(text, "int_case_events")
    assert shown is not None
    result = replace_entry(text, "int_case_events", shown + "  meta:\n    owner: cases\n")
    assert "    meta:\r\n      owner: cases\r\n" in result and "\n" not in result.replace("\r\n", "")
    bom = read("bom_marked.yml")
    assert replace_entry(bom, "mart_backlog", "- name: mart_backlog\n").startswith("\ufeffversion: 2\n")


def test_an_entry_ending_the_file_without_a_newline_still_does() -> None:
    text = read("no_final_newline.yml")
    result = replace_entry(text, "stg_only", "- name: stg_only\n  description: Changed.\n")
    assert result.endswith("    description: Changed.")


def test_an_entry_ending_in_an_alias_ends_at_the_alias_not_at_its_anchor() -> None:
    # libyaml gives an alias node the marks of its anchor, here in the `anchors:` block at the top.
    text = read("anchors_defaults.yml")
    assert entry_text(text, "stg_orders") == (
        "- name: stg_orders\n  config:\n    <<: *view_config\n    tags: [orders]\n  columns: *audit_columns\n"
    )
    assert entry_text(text, "stg_chargebacks") == (
        "- name: stg_chargebacks\n  columns:\n    - *amount_column\n    - name: reason\n"
    )


def test_yaml_1_1_values_keep_their_quotes_and_stay_strings() -> None:
    assert yaml.safe_load("a: yes\nb: on\nc: 012\nd: 1:30\n") == {"a": True, "b": True, "c": 10, "d": 90}
    text = read("yaml11_quoting.yml")
    result = replace_entry(text, "dim_flags", "- name: dim_flags\n  meta:\n    enabled: 'yes'\n    answer: 'no'\n")
    after = yaml.safe_load(result)
    assert after["models"][0]["meta"] == {"enabled": "yes", "answer": "no"}
    assert after["models"][1]["meta"] == {
        "region_code": "012", "octal_like": "0755", "hex_like": "0x1F", "sexagesimal": "1:30",
        "tilde": "~", "null_word": "null", "version": "1.10",
    }
    assert "      region_code: '012'\n" in result


def test_entry_text_of_a_missing_model_is_none_and_replace_says_so() -> None:
    text = read("shared_staging.yml")
    assert entry_text(text, "stg_missing") is None
    with pytest.raises(EntryMissing, match="stg_missing has no entry"):
        replace_entry(text, "stg_missing", "- name: stg_missing\n")


def test_a_dash_alone_on_its_line_starts_the_entry() -> None:
    text = "models:\n  - # the first\n    name: a\n    description: x\n  -\n    name: b\n"
    assert entry_text(text, "a") == "- # the first\n  name: a\n  description: x\n"
    assert entry_text(text, "b") == "-\n  name: b\n"
    assert replace_entry(text, "b", "- name: b\n") == (
        "models:\n  - # the first\n    name: a\n    description: x\n  - name: b\n"
    )


DUPLICATE = "version: 2\nmodels:\n  - name: a\n    description: x\n    description: y\n"
REFUSED = [
    (DUPLICATE, ["the key 'description' appears twice", "line 5", "first at line 4"]),
    ("models:\n  - name: a\n{% if target.name == 'prod' %}\n  - name: b\n{% endif %}\n", ["Jinja block tag", "line 3"]),
    ("models:\n  - name: a\n    description: '{% docs x %}'\n", ["Jinja block tag", "line 3"]),
    ("models:\n\t- name: a\n", ["tab character", "line 2"]),
    ("models:\n  - name: a\n    tags: [x,\n\t y]\n", ["tab character", "line 4"]),
    ("models:\n  - name: a\n---\nmodels:\n  - name: b\n", ["2 YAML documents", "line 3"]),
    ("models:\n  - name: [a\n", ["not valid YAML", "line 3"]),
    ("models:\n  - name: a\n    description: {{ doc('a') }}\n", ["Jinja {{ ... }} outside a quoted value", "line 3"]),
    ("- name: a\n", ["top level is not a mapping"]),
]


@pytest.mark.parametrize(("text", "words"), REFUSED)
def test_unsafe_files_are_refused_with_the_reason(text: str, words: list[str]) -> None:
    with pytest.raises(SchemaEditRefused) as caught:
        check_editable(text)
    for word in words:
        assert word in caught.value.reason
    assert caught.value.reason in str(caught.value)
    with pytest.raises(SchemaEditRefused):
        replace_entry(text, "a", "- name: a\n")
    with pytest.raises(SchemaEditRefused):
        add_entry(text, "z", "- name: z\n")


def test_jinja_inside_values_and_comments_and_tabs_inside_values_are_fine() -> None:
    check_editable(read("docs_blocks.yml"))
    check_editable("models:\n  - name: a  # see {{ doc('a') }}\n    description: |\n      code:\n      \tindented\n")


def test_two_entries_with_the_same_name_are_refused() -> None:
    text = "models:\n  - name: a\n  - name: a\n"
    with pytest.raises(SchemaEditRefused, match="2 entries named a"):
        replace_entry(text, "a", "- name: a\n")


INVALID = [
    ("- name: stg_judges\n  description: 'unclosed\n", "not valid YAML", (3, 1)),
    ("- name: stg_judges\n  description: x\n   oops: y\n", "not valid YAML", (3, 8)),
    ("just a sentence\n", "not a mapping", (1, 1)),
    ("- name: stg_judges\n- name: stg_courts\n", "list of 2 items", (2, 3)),
    ("- stg_judges\n", "item is not a mapping", (1, 3)),
    ("", "empty", None),
    ("- name: judges\n  description: x\n", "renamed to judges", (1, 9)),
    ("- description: x\n  name: stg_courts\n", "stg_courts is another model's entry in this file (line 45)", (2, 9)),
    ("- description: x\n", "has no name", None),
    ("- name: stg_judges\n  description: x\n  description: y\n", "'description' appears twice", (3, 3)),
    ("- name: stg_judges\n  description: '{% if x %}'\n", "Jinja block tag", (2, 17)),
    ("- name: stg_judges\n  config: *nowhere\n", "anchor (&name) is not defined before it", (2, 11)),
    ("- name: stg_judges\n  meta: {since: 2021-13-45}\n", "dbt's YAML loader cannot read the entry", None),
]


@pytest.mark.parametrize(("entry", "words", "where"), INVALID)
def test_rejected_entries_say_why_and_where(entry: str, words: str, where: tuple[int, int] | None) -> None:
    text = read("shared_staging.yml")
    with pytest.raises(EntryInvalid) as caught:
        replace_entry(text, "stg_judges", entry)
    assert words in caught.value.message
    assert (caught.value.line, caught.value.column) == (where or (None, None))


def test_a_name_that_yaml_1_1_reads_as_a_boolean_must_be_quoted() -> None:
    text = "models:\n  - name: 'on'\n    description: A model named on.\n"
    with pytest.raises(EntryInvalid, match="quote it: name: 'on'") as caught:
        replace_entry(text, "on", "- name: on\n")
    assert (caught.value.line, caught.value.column) == (1, 9)
    assert yaml.safe_load(replace_entry(text, "on", "- name: 'on'\n"))["models"] == [{"name": "on"}]


def test_entries_that_are_not_written_out_as_block_items_are_refused() -> None:
    with pytest.raises(SchemaEditRefused, match="block list"):
        entry_text("models: [{name: a}, {name: b}]\n", "a")
    with pytest.raises(SchemaEditRefused, match="not written out in place"):
        entry_text("anchors:\n  - &a\n    name: a\nmodels:\n  - *a\n", "a")


def test_a_bare_mapping_entry_is_accepted_and_positions_are_in_its_own_lines() -> None:
    text = read("shared_staging.yml")
    result = replace_entry(text, "stg_judges", "name: stg_judges\ndescription: Bare.\n")
    assert "  - name: stg_judges\n    description: Bare.\n\n  # TODO" in result
    with pytest.raises(EntryInvalid) as caught:
        replace_entry(text, "stg_judges", "name: stg_judges\ndescription: x\ndescription: y\n")
    assert (caught.value.line, caught.value.column) == (3, 1)


def test_anchors_tie_entries_together_and_an_edit_may_not_change_another_silently() -> None:
    text = read("anchors_defaults.yml")
    shown = entry_text(text, "stg_payments")
    assert shown is not None
    with pytest.raises(EntryInvalid, match="would also change stg_refunds"):
        replace_entry(text, "stg_payments", shown.replace("materialized: table", "materialized: view"))
    with pytest.raises(EntryInvalid, match="line 27 of the file uses an anchor"):
        replace_entry(text, "stg_payments", "- name: stg_payments\n  description: Payments.\n")
    uses_top_anchor = "- name: stg_orders\n  config: *view_config\n  columns: *audit_columns\n"
    after = yaml.safe_load(replace_entry(text, "stg_orders", uses_top_anchor))
    assert after["models"][0]["config"] == {"materialized": "view", "schema": "staging"}


def test_add_entry_goes_after_the_last_item_before_trailing_comments_and_later_keys() -> None:
    text = read("shared_staging.yml")
    result = add_entry(text, "stg_new", "- name: stg_new\n  description: New.\n")
    expected = "      contains_pii: false\n\n  - name: stg_new\n    description: New.\n\n# end of staging models\n"
    assert expected in result
    before, after = load_yaml_text(text), load_yaml_text(result)
    assert after["models"] == [*before["models"], {"name": "stg_new", "description": "New."}]
    assert_others_equal(before, {**after, "models": after["models"][:-1]}, None)
    semantic = add_entry(read("unit_and_semantic.yml"), "fct_new", "name: fct_new\n")
    assert "    description: Revenue per day.\n\n  - name: fct_new\n\nunit_tests:\n" in semantic


def test_add_entry_keeps_crlf_indentless_lists_and_a_missing_final_newline_in_mind() -> None:
    crlf = add_entry(read("crlf_endings.yml"), "int_new", "- name: int_new\n")
    assert crlf.endswith("unique_key: ['case_id', 'day']\r\n\r\n  - name: int_new\r\n")
    assert add_entry(read("indentless_lists.yml"), "stg_c", "- name: stg_c\n").count("\n- name: stg_c\nsources:") == 1
    assert add_entry(read("no_final_newline.yml"), "stg_two", "- name: stg_two\n").endswith(
        "end of this file.\n  - name: stg_two\n"
    )


def test_add_entry_creates_models_or_a_whole_file() -> None:
    sources_only = "version: 2\n\nsources:\n    - name: raw  # raw data\n# trailing\n"
    assert add_entry(sources_only, "stg_a", "- name: stg_a\n") == sources_only + "\nmodels:\n    - name: stg_a\n"
    assert add_entry("version: 2\nmodels:\n", "stg_a", "- name: stg_a\n") == "version: 2\nmodels:\n  - name: stg_a\n"
    assert add_entry(None, "stg_a", "- name: stg_a\n  description: A.\n") == (
        "version: 2\n\nmodels:\n  - name: stg_a\n    description: A.\n"
    )
    assert add_entry("", "stg_a", "name: stg_a\n") == "version: 2\n\nmodels:\n  - name: stg_a\n"


def test_add_entry_refuses_an_existing_entry_and_checks_the_new_one() -> None:
    text = read("shared_staging.yml")
    with pytest.raises(SchemaEditRefused, match=r"stg_cases already has an entry in this file \(line 7\)"):
        add_entry(text, "stg_cases", "- name: stg_cases\n")
    with pytest.raises(EntryInvalid, match="renamed to stg_other"):
        add_entry(text, "stg_new", "- name: stg_other\n")
    with pytest.raises(SchemaEditRefused, match="block list"):
        add_entry("models: []\n", "stg_new", "- name: stg_new\n")


def test_schema_file_for_new_entry_policies(tmp_path: Path) -> None:
    model = tmp_path / "stg_x.sql"
    model.write_text("select 1\n")
    assert schema_file_for_new_entry(model) == tmp_path / "stg_x.yml"
    (tmp_path / "sources.yml").write_text("version: 2\nsources:\n  - name: raw\n")
    assert schema_file_for_new_entry(model) == tmp_path / "stg_x.yml"
    (tmp_path / "schema.yaml").write_text("version: 2\nmodels:\n  - name: stg_y\n")
    assert schema_file_for_new_entry(model) == tmp_path / "schema.yaml"
    (tmp_path / "a_models.yml").write_text("\ufeffmodels:\n")
    assert schema_file_for_new_entry(model) == tmp_path / "a_models.yml"
    (tmp_path / "_stg__models.yml").write_text("models: [\n")  # broken, still the folder's schema file
    assert schema_file_for_new_entry(model, "folder") == tmp_path / "_stg__models.yml"
    assert schema_file_for_new_entry(model, "model") == tmp_path / "stg_x.yml"
    with pytest.raises(Exception, match="Unknown schema file policy"):
        schema_file_for_new_entry(model, "nearest")
