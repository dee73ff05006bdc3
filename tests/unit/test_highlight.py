"""The incremental highlighter gives exactly what pygments gives for the whole text, cheaply."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pygments.lexers import get_lexer_by_name

import tui.core.highlight.highlighter as highlight
from tui.core.highlight.highlighter import IncrementalHighlighter

DBT_MODEL = """\
{{ config(materialized='table') }}
{# one row per order;
   payments are summed #}
with orders as (
    select * from {{ ref('stg_orders') }}
    /* drop test accounts,
       they are not real */
    where status <> 'deleted'
),
{% if is_incremental() %}
recent as (select max(updated_at) as at from {{ this }}),
{% endif %}
final as (
    select
        o.order_id,
        {{ dbt_utils.generate_surrogate_key(['o.order_id', "o.day"]) }} as sk,
        'it''s' as quoted, "Mixed Case" as ident -- trailing comment
    from orders as o
)
select * from final
"""

SCHEMA_YAML = """\
version: 2
models:
  - name: fct_orders  # the mart
    description: |
      One row per order.
      Built from {{ doc('orders') }}.
    columns:
      - name: order_id
        tests: [unique, not_null]
      - name: status
        meta: {owner: 'finance', pii: "no"}
sources:
  - name: raw
    tables:
      - name: orders
"""

PYTHON_MODEL = '''\
import pandas as pd


def model(dbt, session):
    """A dbt Python model.

    Triple-quoted docs span lines.
    """
    dbt.config(materialized="table")
    frame = dbt.ref("stg_orders").to_pandas()
    return frame[frame["status"] != 'deleted']  # keep live rows
'''

SAMPLES = {"sql+jinja": DBT_MODEL, "yaml": SCHEMA_YAML, "python": PYTHON_MODEL}

SQL_FRAGMENTS = [
    "/*", "*/", "{#", "#}", "{{", "}}", "{%", "%}", "{%-", "-%}", "'", '"', "''", "\n", "\n    ",
    " ", "select ", "from ", "ref('x')", "-- note", "{% comment %}", "{% endcomment %}",
    "{% raw %}", "{% endraw %}", "{% if x %}", "{% endif %}", "{", "}", "x", "1", "(", ")", ",",
]
YAML_FRAGMENTS = [
    "\n", "\n  ", "  ", "- ", "name: ", "x", "'", '"', "#", "|", ">", "{", "}", "[", "]", ": ", "---\n",
    "key: value", "  - item",
]
PYTHON_FRAGMENTS = [
    "\n", "    ", '"""', "'''", '"', "'", "#", "def ", "f'", "{x}", "\\", "(", ")", "x", "import a",
    "match x:", "case _:", " _ ",
]


def reference_spans(lexer_name: str, lines: list[str]) -> list[list[tuple]]:
    """pygments over the whole text, cut per line: one type per character, runs merged."""
    text = "\n".join(lines)
    types: list = [None] * len(text)
    for pos, ttype, value in get_lexer_by_name(lexer_name).get_tokens_unprocessed(text):
        types[pos : pos + len(value)] = [ttype] * len(value)
    result, offset = [], 0
    for line in lines:
        spans: list[tuple] = []
        for column, ttype in enumerate(types[offset : offset + len(line)]):
            if spans and spans[-1][2] is ttype:
                spans[-1] = (spans[-1][0], column + 1, ttype)
            else:
                spans.append((column, column + 1, ttype))
        result.append(spans)
        offset += len(line) + 1
    return result


def all_spans(highlighter: IncrementalHighlighter) -> list[list[tuple]]:
    return [highlighter.spans(i) for i in range(highlighter.line_count)]


def apply_edit(text: str, where: float, delete: int, insert: str) -> tuple[str, int, int]:
    """Replace `delete` characters at a relative position; return the text and changed lines."""
    at = int(where * len(text))
    new_text = text[:at] + insert + text[at + delete :]
    return new_text, text.count("\n", 0, at), new_text.count("\n", 0, at + len(insert))


edits = st.lists(
    st.tuples(st.floats(0, 1), st.integers(0, 12), st.lists(st.integers(0, 999), max_size=3),
              st.lists(st.integers(0, 10_000), max_size=3), st.sampled_from(["first", "range", "diff"])),
    min_size=1, max_size=12,
)


def tell(highlighter: IncrementalHighlighter, how: str, lines: list[str], first: int, last: int) -> None:
    """Report an edit the three ways the editor can: first line only, line range, or a diff."""
    if how == "diff":
        highlighter.update(lines)
    else:
        highlighter.edited(first, lines, last if how == "range" else None)


def run_edits(lexer_name: str, fragments: list[str], text: str, steps, margin: int) -> None:
    highlighter = IncrementalHighlighter(lexer_name, margin=margin)
    highlighter.set_lines(text.split("\n"))
    for where, delete, pick, looks, how in steps:
        insert = "".join(fragments[i % len(fragments)] for i in pick)
        text, first_line, last_line = apply_edit(text, where, delete, insert)
        tell(highlighter, how, text.split("\n"), first_line, last_line)
        lines = text.split("\n")
        for look in looks:  # what a viewport would ask for, in any order; sometimes everything
            highlighter.spans(look % len(lines)) if look % 5 else all_spans(highlighter)
    assert all_spans(highlighter) == reference_spans(lexer_name, text.split("\n"))


@pytest.mark.parametrize("lexer_name", list(SAMPLES))
def test_whole_file_matches_pygments(lexer_name: str) -> None:
    lines = SAMPLES[lexer_name].split("\n")
    highlighter = IncrementalHighlighter(lexer_name, margin=3)
    highlighter.set_lines(lines)
    assert all_spans(highlighter) == reference_spans(lexer_name, lines)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=edits, margin=st.integers(0, 6), tiny_slack=st.booleans())
def test_sql_jinja_edits_match_a_fresh_lex(steps, margin: int, tiny_slack: bool) -> None:
    slack = 4 if tiny_slack else highlight._JINJA_SLACK
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(highlight, "_JINJA_SLACK", slack)
        run_edits("sql+jinja", SQL_FRAGMENTS, DBT_MODEL, steps, margin)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=edits, margin=st.integers(0, 6))
def test_yaml_edits_match_a_fresh_lex(steps, margin: int) -> None:
    run_edits("yaml", YAML_FRAGMENTS, SCHEMA_YAML, steps, margin)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=edits, margin=st.integers(0, 6))
def test_python_edits_match_a_fresh_lex(steps, margin: int) -> None:
    run_edits("python", PYTHON_FRAGMENTS, PYTHON_MODEL, steps, margin)


def test_closing_a_quote_far_below_recolours_the_lines_above() -> None:
    """An unclosed quote makes pygments read to the end; closing it later changes earlier lines."""
    lines = ["select 'open"] + ["    a,"] * 200 + ["from t"]
    highlighter = IncrementalHighlighter("sql+jinja")
    highlighter.set_lines(lines)
    all_spans(highlighter)
    lines[150] = "    a',"
    highlighter.edited(150, lines)
    assert all_spans(highlighter) == reference_spans("sql+jinja", lines)


def test_opening_a_comment_recolours_everything_after_it() -> None:
    lines = DBT_MODEL.split("\n")
    highlighter = IncrementalHighlighter("sql+jinja", margin=1)
    highlighter.set_lines(lines)
    all_spans(highlighter)
    for opener in ("/* ", "{# "):
        lines[4] = opener + lines[4]
        highlighter.edited(4, lines)
        assert all_spans(highlighter) == reference_spans("sql+jinja", lines)


def long_model(line_count: int) -> list[str]:
    block = DBT_MODEL.split("\n")[3:19]
    return (block * (line_count // len(block) + 1))[:line_count]


def test_an_edit_near_the_end_relexes_only_a_few_lines() -> None:
    lines = long_model(2_000)
    highlighter = IncrementalHighlighter("sql+jinja", margin=50)
    highlighter.set_lines(lines)
    for row in range(1_940, 2_000):  # the viewport at the end of the file
        highlighter.spans(row)
    before = highlighter.lines_lexed
    lines[1_970] = lines[1_970] + " x"
    highlighter.edited(1_970, lines)
    for row in range(1_940, 2_000):
        highlighter.spans(row)
    assert highlighter.lines_lexed - before <= 40
    assert all_spans(highlighter)[1_900:] == reference_spans("sql+jinja", lines)[1_900:]


def test_lines_after_an_edit_are_reused_once_lexing_is_back_in_step() -> None:
    lines = long_model(2_000)
    highlighter = IncrementalHighlighter("sql+jinja", margin=50)
    highlighter.set_lines(lines)
    all_spans(highlighter)
    before = highlighter.lines_lexed
    for key in "xy":  # two keys before the next repaint
        lines[1_000] = key + lines[1_000]
        highlighter.edited(1_000, lines, 1_000)
    all_spans(highlighter)
    lines[1_200:1_202] = ["select 1", "union all", "select 2"]  # a line added: numbering shifts
    highlighter.update(lines)
    assert all_spans(highlighter) == reference_spans("sql+jinja", lines)
    assert highlighter.lines_lexed - before <= 12


def test_a_far_line_lexes_only_up_to_it_plus_the_margin() -> None:
    highlighter = IncrementalHighlighter("sql+jinja", margin=50)
    highlighter.set_lines(long_model(2_000))
    highlighter.spans(100)
    assert highlighter.lines_lexed == 151


def test_lines_outside_the_document_have_no_spans() -> None:
    highlighter = IncrementalHighlighter("yaml")
    highlighter.set_lines(["a: 1"])
    assert highlighter.spans(5) == [] and highlighter.spans(-1) == []


def test_unknown_lexer_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ValueError, match="sql\\+jinja"):
        IncrementalHighlighter("cobol")
