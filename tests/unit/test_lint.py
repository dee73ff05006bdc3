"""Lint rules on fixture projects (one per layer rule), the guard as lint findings, and the config."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tui.core.demo import write_demo_project
from tui.core.lint.run import lint_model, lint_project, sql_approval_blockers
from tui.core.lint.rules import RULES, Finding, Severity
from tui.core.lint.settings import LintIgnore, LintSettings
from tui.core.project.dbt_project import load_project
from tui.core.project.layers import LayerRules
from tui.core.scan.scanner import ProjectScanner

Row = tuple[str, str, str, int | None]


def _lint(root: Path, settings: LintSettings | None = None, **options) -> list[Finding]:
    project = load_project(root)
    scan = ProjectScanner(project, (settings or LintSettings()).layer_rules).scan()
    return lint_project(project, scan, settings, **options)


def _rows(findings: list[Finding]) -> list[Row]:
    return [(f.rule, f.model, f.path, f.line) for f in findings]


EXPECTED: dict[str, list[Row]] = {
    "fct_staging_dependent_on_staging": [
        ("fct_staging_dependent_on_staging", "stg_b", "models/staging/stg_b.sql", 2),
    ],
    "fct_staging_dependent_on_marts_or_intermediate": [
        ("fct_staging_dependent_on_marts_or_intermediate", "stg_b", "models/staging/stg_b.sql", 3),
    ],
    "fct_marts_or_intermediate_dependent_on_source": [
        ("fct_marts_or_intermediate_dependent_on_source", "fct_x", "models/marts/fct_x.sql", 4),
    ],
    "fct_direct_join_to_source": [
        ("fct_direct_join_to_source", "int_x", "models/intermediate/int_x.sql", 2),
        ("fct_marts_or_intermediate_dependent_on_source", "int_x", "models/intermediate/int_x.sql", 2),
    ],
    "fct_multiple_sources_joined": [
        ("fct_multiple_sources_joined", "stg_ab", "models/staging/stg_ab.sql", 2),
    ],
    "fct_model_naming_conventions": [
        ("fct_model_naming_conventions", "orders", "models/marts/orders.sql", None),
        ("fct_model_naming_conventions", "report", "models/report.sql", None),
    ],
    "fct_model_directories": [
        ("fct_model_directories", "int_misplaced", "models/staging/int_misplaced.sql", None),
        ("fct_model_directories", "stg_wrong", "models/marts/stg_wrong.sql", None),
        # flagged once, by the directory rule: not a second time for the name
    ],
    "fct_undocumented_models": [
        ("fct_missing_primary_key_tests", "stg_b", "models/staging/stg_b.sql", None),
        ("fct_undocumented_models", "stg_a", "models/_models.yml", 4),
        ("fct_undocumented_models", "stg_b", "models/staging/stg_b.sql", None),
    ],
    "fct_missing_primary_key_tests": [
        # stg_c (unique_combination_of_columns, `arguments:` form) and stg_d (`tests:`, mapping form,
        # dbt.not_null) pass; unique alone, unique/not_null on different columns, or nothing do not.
        ("fct_missing_primary_key_tests", "stg_a", "models/_models.yml", 4),
        ("fct_missing_primary_key_tests", "stg_b", "models/_models.yml", 9),
        ("fct_missing_primary_key_tests", "stg_e", "models/_models.yml", 31),
        ("fct_missing_primary_key_tests", "stg_f", "models/_models.yml", 33),
    ],
    "fct_root_models": [
        ("fct_root_models", "fct_root", "models/marts/fct_root.sql", None),
    ],
    "disabled_models": [],  # a disabled model reading raw.a is skipped
}


@pytest.mark.parametrize("fixture", sorted(EXPECTED))
def test_fixture_project_rows(fixture: str) -> None:
    assert _rows(_lint(FIXTURES / "lint" / fixture)) == EXPECTED[fixture]


def test_every_layer_rule_has_a_fixture() -> None:
    fired = {row[0] for rows in EXPECTED.values() for row in rows}
    assert fired == set(RULES) - {"hard_coded_relation", "not_checked", "invalid_schema_yaml"}  # tests/unit/test_shapes.py


def test_findings_carry_default_severity_and_a_message() -> None:
    (finding,) = _lint(FIXTURES / "lint" / "fct_staging_dependent_on_staging")
    assert finding.severity is Severity.WARNING
    assert finding.message == "staging model stg_b reads staging model stg_a; staging models read sources only"


def test_workers_give_the_same_findings() -> None:
    root = FIXTURES / "lint" / "fct_model_directories"
    assert _lint(root, workers=2) == _lint(root, workers=1)


def test_select_limits_the_models() -> None:
    findings = _lint(FIXTURES / "lint" / "fct_model_directories", select=["stg_wrong"])
    assert {f.model for f in findings} == {"stg_wrong"}


@pytest.fixture
def demo_root(tmp_path: Path) -> Path:
    return write_demo_project(tmp_path / "demo")


def test_demo_project_findings(demo_root: Path) -> None:
    assert _rows(_lint(demo_root)) == [
        ("fct_missing_primary_key_tests", "dim_cases", "models/marts/dim_cases.yml", 4),
        ("fct_missing_primary_key_tests", "int_reviewer_workload", "models/intermediate/int_reviewer_workload.sql", None),
        ("fct_undocumented_models", "int_reviewer_workload", "models/intermediate/int_reviewer_workload.sql", None),
    ]


def _demo_scan(root: Path):
    project = load_project(root)
    return ProjectScanner(project).scan()


def test_lint_model_uses_the_edited_text(demo_root: Path) -> None:
    scan = _demo_scan(demo_root)
    text = "with cases as (\n    select * from {{ ref('stg_cases') }}\n)\nselect * from cases\njoin raw.decisions d using (case_id)\n"
    findings = lint_model(scan, "fct_case_decisions", text, dialect="duckdb")
    assert _rows(findings) == [("hard_coded_relation", "fct_case_decisions", "models/marts/fct_case_decisions.sql", 5)]
    assert findings[0].severity is Severity.ERROR
    assert "raw.decisions" in findings[0].message
    assert sql_approval_blockers(findings) == findings


def test_lint_model_layer_rules_follow_the_text(demo_root: Path) -> None:
    scan = _demo_scan(demo_root)
    text = "select * from {{ ref('stg_cases') }}\nunion all\nselect * from {{ source('raw', 'cases') }}\n"
    rules = {f.rule: f.line for f in lint_model(scan, scan.model_named("dim_cases"), text)}
    assert rules == {
        "fct_marts_or_intermediate_dependent_on_source": 3,
        "fct_direct_join_to_source": 3,
        "fct_missing_primary_key_tests": 4,
    }


def test_undecidable_sql_is_not_checked_never_clean(demo_root: Path) -> None:
    scan = _demo_scan(demo_root)
    findings = lint_model(scan, "stg_cases", "select * from {{ source('raw', 'cases') }} where (((\n")
    (finding,) = findings
    assert finding.rule == "not_checked" and finding.severity is Severity.WARNING
    assert finding.message.startswith("not checked:")
    assert sql_approval_blockers(findings) == []


def test_disabled_model_has_no_findings() -> None:
    project = load_project(FIXTURES / "lint" / "disabled_models")
    scan = ProjectScanner(project).scan()
    assert lint_model(scan, "fct_off", "select * from raw.a") == []


def test_severities_and_ignores_apply() -> None:
    root = FIXTURES / "lint" / "fct_undocumented_models"
    settings = LintSettings(
        severity={"fct_undocumented_models": "error", "fct_missing_primary_key_tests": "off"},
        ignores=(LintIgnore("stg_a", "fct_undocumented_models", "legacy model, documented in the wiki"),),
    )
    findings = _lint(root, settings)
    assert _rows(findings) == [("fct_undocumented_models", "stg_b", "models/staging/stg_b.sql", None)]
    assert findings[0].severity is Severity.ERROR


def test_ignored_hard_coded_relation_no_longer_blocks(demo_root: Path) -> None:
    scan = _demo_scan(demo_root)
    text = "select * from raw.cases\n"
    ignore = LintIgnore("stg_cases", "hard_coded_relation", "bootstrap while the source is declared")
    settings = LintSettings(ignores=(ignore,))
    assert sql_approval_blockers(lint_model(scan, "stg_cases", text)) != []
    assert sql_approval_blockers(lint_model(scan, "stg_cases", text, settings)) == []


def test_lines_point_at_the_offending_call() -> None:
    from tui.core.lint.rules import ref_line, source_line

    text = "-- x\nselect 1\nfrom {{ ref('pkg', 'orders') }}\njoin {{ source( \"raw\" , 'a' ) }}\n"
    assert ref_line(text, "orders") == 3
    assert source_line(text, ("raw", "a")) == 4
    assert ref_line(text, "missing") is None


def test_primary_key_tested_survives_the_cache(tmp_path: Path) -> None:
    from tui.core.scan.cache import SchemaCache

    project = load_project(FIXTURES / "lint" / "fct_missing_primary_key_tests")
    first = ProjectScanner(project, cache=SchemaCache(project.root, tmp_path)).scan()
    second_cache = SchemaCache(project.root, tmp_path)
    second = ProjectScanner(project, cache=second_cache).scan()
    tested = {name: entry.primary_key_tested for name, entry in second.schema.entries.items()}
    assert tested == {"stg_a": False, "stg_b": False, "stg_c": True, "stg_d": True, "stg_e": False, "stg_f": False}
    assert first.schema.entries == second.schema.entries
    assert second_cache.get("models/_models.yml", "x") is None  # sanity: lookups need the digest


def test_a_model_too_large_to_parse_is_not_checked_and_says_why(demo_root: Path) -> None:
    from tui.core.lint.run import GUARD_MAX_CHARS

    scan = _demo_scan(demo_root)
    text = "select * from raw.cases union all\n" * (GUARD_MAX_CHARS // 30)
    findings = lint_model(scan, "stg_cases", text)
    found = [f for f in findings if f.rule == "not_checked"]
    assert len(found) == 1 and "too large to parse" in found[0].message
    assert not [f for f in findings if f.rule == "hard_coded_relation"]  # never reported clean either


def test_base_models_are_their_own_sub_layer_of_staging() -> None:
    """As dbt-project-evaluator: stg_ reading base_ is not staging on staging, unless the team says so."""
    root = FIXTURES / "lint" / "base_sub_layer"
    assert _rows(_lint(root)) == []
    strict = LintSettings(LayerRules.with_overrides(base_counts_as_staging=True))
    assert _rows(_lint(root, strict)) == [
        ("fct_staging_dependent_on_staging", "stg_raw__orders", "models/staging/stg_raw__orders.sql", 2),
    ]
    no_base = LintSettings(LayerRules.with_overrides(base_prefixes=()))
    assert [row[:2] for row in _rows(_lint(root, no_base))] == [
        ("fct_model_naming_conventions", "base_raw__orders"),  # in staging by its folder only
        ("fct_staging_dependent_on_staging", "stg_raw__orders"),
    ]


def test_naming_finding_names_the_layer_and_its_prefixes() -> None:
    findings = _lint(FIXTURES / "lint" / "fct_model_naming_conventions")
    orders = next(f for f in findings if f.model == "orders")
    assert orders.message == (
        "orders is in the marts layer (in a marts folder) but its name does not start with "
        "dim_ or fct_, the prefixes that layer expects"
    )
