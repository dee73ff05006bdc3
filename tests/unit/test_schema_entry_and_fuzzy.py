"""Showing one model's YAML entry exactly as written, and the tree's fuzzy filter."""

from __future__ import annotations

from pathlib import Path

from tui.core.fuzzy import fuzzy_match
from tui.core.schema_entry import EntryText, find_entry_text

SHARED = """\
version: 2

models:
  - name: first   # first model
    description: |
      Several
      lines.
    columns:
      - name: id
        data_tests: [unique, not_null]

  # a comment between entries
  - name: second
    description: 'yes'

sources:
  - name: raw
"""


def test_entry_lines_stop_at_the_next_entry(tmp_path: Path) -> None:
    path = tmp_path / "schema.yml"
    path.write_text(SHARED)
    first = find_entry_text(path, "first")
    assert isinstance(first, EntryText)
    assert first.first_line == 4
    assert first.text == (
        "- name: first   # first model\n  description: |\n    Several\n    lines.\n"
        "  columns:\n    - name: id\n      data_tests: [unique, not_null]\n"
    )
    second = find_entry_text(path, "second")
    assert second == EntryText("- name: second\n  description: 'yes'\n", 13)


def test_missing_entry_and_broken_file_are_sentences(tmp_path: Path) -> None:
    path = tmp_path / "schema.yml"
    path.write_text(SHARED)
    assert find_entry_text(path, "third") == "schema.yml has no entry for third."
    path.write_text("models:\n  - name: [\n")
    assert find_entry_text(path, "first").startswith("schema.yml is not valid YAML: line 3")
    assert find_entry_text(tmp_path / "gone.yml", "first").startswith("Cannot read gone.yml")


def test_fuzzy_match_is_an_ordered_subsequence_per_word() -> None:
    assert fuzzy_match("", "stg_cases")
    assert fuzzy_match("fcd", "fct_case_decisions")
    assert fuzzy_match("FCT dec", "fct_case_decisions")
    assert not fuzzy_match("dcf", "fct_case_decisions")
    assert not fuzzy_match("fct zz", "fct_case_decisions")
