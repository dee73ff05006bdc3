"""Hard-coded relation guard: fixture corpus of true/false positives and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.core.sql import relations as guard
from tui.core.sql.relations import (
    KIND_HARD_CODED,
    KIND_VAR,
    GuardResult,
    RelationFinding,
    find_hard_coded_relations,
    sqlglot_dialect,
)
from tui.core.sql.lines import blank_comments
from tui.core.sql.neutral import render_neutral

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "guard"
CASES = sorted(p.stem for p in FIXTURES.glob("*.sql"))


def _expected(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.expected.json").read_text())


def test_corpus_is_complete() -> None:
    """Every fixture has its expectation, so none is silently skipped."""
    assert len(CASES) >= 20
    for name in CASES:
        assert (FIXTURES / f"{name}.expected.json").is_file(), name


@pytest.mark.parametrize("name", CASES)
def test_fixture(name: str) -> None:
    expected = _expected(name)
    sql = (FIXTURES / f"{name}.sql").read_text()
    result = find_hard_coded_relations(sql, expected.get("dialect", "duckdb"))
    assert result.checked is expected["checked"], result
    got = [{"relation": f.relation, "line": f.line, "kind": f.kind} for f in result.findings]
    assert got == expected["findings"]
    if expected["checked"]:
        assert result.why_not is None
    else:
        assert result.why_not and result.why_not.startswith("not checked: ")
        assert expected["why_not_contains"] in result.why_not
        assert not result.clean


def test_jinja_syntax_error_gives_line() -> None:
    result = find_hard_coded_relations("select 1\nfrom {{ ref('a' }}\n")
    assert not result.checked
    assert "line 2" in result.why_not


def test_jinja_runtime_error_is_not_checked() -> None:
    result = find_hard_coded_relations("select {{ 1 / 0 }} from raw.cases\n")
    assert not result.checked
    assert "Jinja does not render" in result.why_not


def test_unknown_macro_with_args_is_checked() -> None:
    result = find_hard_coded_relations("select {{ foo.bar(1, x='y')['k'].z() }} from raw.t")
    assert result.checked
    assert result.findings == (RelationFinding("raw.t", 1, KIND_HARD_CODED),)


def test_empty_and_whitespace_are_clean() -> None:
    for text in ("", "   \n\n", "-- just a comment\n", ";\n"):
        result = find_hard_coded_relations(text)
        assert (result.findings, result.checked, result.why_not) == ((), True, None), text
        assert result.clean


def test_huge_model_completes() -> None:
    """5,000 lines: must finish and find the one relation, on its line."""
    columns = "\n".join(f"    , col_{i} as c_{i}" for i in range(5000))
    sql = "select 1 as id\n" + columns + "\nfrom raw.cases\n"
    result = find_hard_coded_relations(sql)
    assert result.checked
    assert result.findings == (RelationFinding("raw.cases", 5002, KIND_HARD_CODED),)


def test_var_as_schema_is_a_var_finding() -> None:
    result = find_hard_coded_relations("select *\nfrom {{ var('raw_schema') }}.cases\n")
    assert result.findings == (RelationFinding("var(raw_schema).cases", 2, KIND_VAR),)


def test_var_as_value_is_not_a_finding() -> None:
    result = find_hard_coded_relations("select * from {{ ref('a') }} where d > {{ var('start') }}")
    assert result.checked and not result.findings


def test_line_mapping_after_jinja_loop() -> None:
    """Loops change the rendered line count; the finding keeps its source line."""
    sql = (
        "{% for i in range(30) %}\n"
        "-- generated {{ i }}\n"
        "{% endfor %}\n"
        "select *\n"
        "from raw.cases\n"
    )
    result = find_hard_coded_relations(sql)
    assert result.findings == (RelationFinding("raw.cases", 5, KIND_HARD_CODED),)


def test_snowflake_three_part_name() -> None:
    result = find_hard_coded_relations("select * from analytics.raw.cases", "snowflake")
    assert result.findings == (RelationFinding("analytics.raw.cases", 1, KIND_HARD_CODED),)


def test_duckdb_fallback_when_sqlglot_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """DuckDB's parser decides when sqlglot cannot; CTEs and functions still ignored."""
    monkeypatch.setattr(guard, "_refs_with_sqlglot", lambda sql, dialect: (None, "boom"))
    sql = (
        "with c as (select 1 as id)\n"
        "select * from c\n"
        "join raw.cases x on x.id = c.id\n"
        "join read_csv('a.csv') r on true\n"
        "join {{ ref('stg') }} s on true\n"
    )
    result = find_hard_coded_relations(sql)
    assert result.checked
    assert result.findings == (RelationFinding("raw.cases", 3, KIND_HARD_CODED),)


def test_unparsable_sql_still_reports_relations_found_by_pattern() -> None:
    """No dialect parses it: not checked, but the raw table after `join` is still an error."""
    sql = "with a as (select * from {{ ref('x') }})\nselect * from a\njoin raw.cases c on (c.id = a.id\n"
    result = find_hard_coded_relations(sql, "postgres")
    assert not result.checked
    assert result.why_not.startswith("not checked: SQL does not parse: ")
    assert [(f.relation, f.line, f.kind) for f in result.findings] == [("raw.cases", 3, KIND_HARD_CODED)]
    assert result.findings[0].note.startswith("found by pattern: the SQL could not be parsed (SQL does not parse: ")
    assert result.refs == ("x",)


def test_unrenderable_jinja_falls_back_to_the_pattern_too() -> None:
    result = find_hard_coded_relations("select {{ 1 / 0 }} from raw.cases\n")
    assert not result.checked
    assert [(f.relation, f.line) for f in result.findings] == [("raw.cases", 1)]
    assert "ZeroDivisionError" in result.findings[0].note


@pytest.mark.parametrize(
    "sql",
    [
        "select payload:customer.id::string as id from raw.events qualify row_number() over (partition by id order by ts) = 1",
        "select * from raw.people where name ilike any ('a%', 'b%')",
    ],
)
def test_warehouse_syntax_parses_without_a_profile(sql: str) -> None:
    """No dialect known (no profile): the common dialects are tried before giving up."""
    result = find_hard_coded_relations(sql, None)
    assert result.checked, result.why_not
    assert len(result.findings) == 1 and result.findings[0].relation.startswith("raw.")
    assert result.dialect in ("", "snowflake")


@pytest.mark.parametrize(
    ("adapter", "dialect"),
    [
        ("duckdb", "duckdb"),
        ("postgres", "postgres"),
        ("snowflake", "snowflake"),
        ("bigquery", "bigquery"),
        ("redshift", "redshift"),
        ("databricks", "databricks"),
        ("spark", "spark"),
        ("trino", "trino"),
        ("sqlserver", "tsql"),
        ("Snowflake", "snowflake"),
        ("no-such-adapter", ""),
        (None, ""),
    ],
)
def test_adapter_dialects(adapter: str | None, dialect: str) -> None:
    assert sqlglot_dialect(adapter) == dialect


def test_unknown_adapter_still_checks() -> None:
    result = find_hard_coded_relations("select * from raw.cases", "no-such-adapter")
    assert result.checked and len(result.findings) == 1


def test_render_neutral_placeholders() -> None:
    rendered = render_neutral("{{ ref('a') }} {{ source('s', 't') }} {{ this }} {{ var('v') }} {{ m(1) }}")
    assert rendered.error is None
    assert rendered.sql == "__dbt_ref__a __dbt_source__s__t __dbt_this__this __dbt_var__0 (select null)"
    assert rendered.var_names == {"__dbt_var__0": "v"}


def test_render_is_sandboxed() -> None:
    """Unsafe attributes are refused by the sandbox: they render as neutral values."""
    rendered = render_neutral("{{ ''.__class__.__mro__ }} {{ ''.__class__.__mro__[1].__subclasses__() }}")
    assert rendered.sql == "null (select null)"


def test_blank_comments_keeps_lines_and_jinja() -> None:
    text = "a -- x\n/* y\nz */ '{{ q }}' {{ var('v') }} {# w #}"
    blanked = blank_comments(text)
    assert len(blanked) == len(text)
    assert blanked.count("\n") == text.count("\n")
    assert "x" not in blanked and "y" not in blanked and "w" not in blanked
    assert "{{ var('v') }}" in blanked


def test_a_var_holding_a_source_call_is_rendered_as_dbt_does() -> None:
    """The packages' pattern: `vars: {calls: "{{ source('twilio', 'calls') }}"}` then `from {{ var('calls') }}`."""
    result = find_hard_coded_relations(
        "select * from {{ var('calls') }}\n", "snowflake", None, {"calls": "{{ source('twilio', 'calls') }}"}
    )
    assert result.checked and result.findings == ()
    assert result.sources == (("twilio", "calls"),)
    unset = find_hard_coded_relations("select * from {{ var('calls') }}\n", "snowflake", None, {})
    assert [f.relation for f in unset.findings] == ["var(calls)"]  # still the guard's business


def test_column_list_macros_side_by_side_in_a_select_list_parse() -> None:
    """Unknown package macros that emit column lists, one after the other (fill_staging_columns,
    apply_source_relation): the model is still checked, and a raw read in it still found."""
    sql = (
        "with base as (select * from {{ ref('stg_x') }}),\n"
        "fields as (\n    select\n        {{ pkg_utils.fill_columns(source_columns=[]) }}\n"
        "        {{ pkg_utils.apply_source_relation() }}\n    from base\n)\n"
        "select * from fields join raw.audit on true\n"
    )
    result = find_hard_coded_relations(sql, "snowflake")
    assert result.checked
    assert [(f.relation, f.line) for f in result.findings] == [("raw.audit", 8)]
