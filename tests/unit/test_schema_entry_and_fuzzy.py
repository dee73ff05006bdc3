"""Showing one model's YAML entry exactly as written (the YAML pane's text), and the fuzzy filter."""

from __future__ import annotations

from tui.core.discover.search import fuzzy_match
from tui.core.schema.edit import entry_text

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


def test_entry_lines_stop_at_the_next_entry() -> None:
    assert entry_text(SHARED, "first") == (
        "- name: first   # first model\n  description: |\n    Several\n    lines.\n"
        "  columns:\n    - name: id\n      data_tests: [unique, not_null]\n"
    )
    assert entry_text(SHARED, "second") == "- name: second\n  description: 'yes'\n"
    assert entry_text(SHARED, "third") is None


def test_fuzzy_match_is_an_ordered_subsequence_per_word() -> None:
    assert fuzzy_match("", "stg_cases")
    assert fuzzy_match("fcd", "fct_case_decisions")
    assert fuzzy_match("FCT dec", "fct_case_decisions")
    assert not fuzzy_match("dcf", "fct_case_decisions")
    assert not fuzzy_match("fct zz", "fct_case_decisions")
