"""'Find data' as data: marts first, then staging/intermediate, then declared sources; never a raw table."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.demo import write_demo_project
from tui.core.discover.find_data import Verdict, asked_words, find_data, ref_snippet, score_words
from tui.core.project.dbt_project import load_project
from tui.core.project.layers import Layer, LayerRules
from tui.core.scan.scanner import scan_project

HEARINGS_SQL = "select hearing_id, courtroom, heard_on from {{ source('raw', 'cases') }}\n"
HEARINGS_YML = """version: 2
models:
  - name: stg_hearings
    description: Hearings scheduled in a courtroom.
    columns:
      - name: hearing_id
      - name: courtroom
      - name: heard_on
"""


@pytest.fixture(scope="module")
def demo_scan(tmp_path_factory: pytest.TempPathFactory):
    root = write_demo_project(tmp_path_factory.mktemp("find-data") / "demo")
    (root / "models/staging/stg_hearings.sql").write_text(HEARINGS_SQL)
    (root / "models/staging/stg_hearings.yml").write_text(HEARINGS_YML)
    project = load_project(root)
    return scan_project(project, LayerRules.with_overrides()), root


def test_words_drop_the_glue_and_fold_plurals() -> None:
    assert asked_words("Case decisions BY reviewer, for each case") == ("case", "decision", "reviewer")
    assert asked_words("  the of  ") == ()


def test_a_fitting_mart_is_the_answer_with_the_reasons(demo_scan) -> None:
    scan, _root = demo_scan
    answer = find_data("case decisions by reviewer", scan)
    assert answer.verdict is Verdict.MART
    best = answer.best
    assert best.name == "fct_case_decisions" and best.layer is Layer.MARTS
    assert "its name says case, decision" in best.reasons
    assert "it has column(s) reviewer_id" in best.reasons
    assert all(match.layer is Layer.MARTS for match in answer.matches)


def test_the_snippet_lists_the_marts_columns_and_reads_it_with_ref(demo_scan) -> None:
    scan, _root = demo_scan
    snippet = ref_snippet(find_data("reviewer approval rate", scan).best)
    assert snippet.startswith("select\n    reviewer_id,\n")
    assert "    approval_rate,\n" in snippet
    assert snippet.endswith("from {{ ref('dim_reviewers') }}\n")


def test_only_staging_fits_so_the_answer_says_staging(demo_scan) -> None:
    scan, _root = demo_scan
    answer = find_data("hearings by courtroom", scan)
    assert answer.verdict is Verdict.STAGING
    assert answer.best.name == "stg_hearings"
    assert all(match.layer in (Layer.STAGING, Layer.INTERMEDIATE) for match in answer.matches)


def test_nothing_fits_so_declared_sources_are_offered_never_a_raw_relation(demo_scan) -> None:
    scan, _root = demo_scan
    answer = find_data("invoices and payments", scan)
    assert answer.verdict is Verdict.NOTHING
    assert [match.name for match in answer.matches] == sorted(t.qualified for t in scan.schema.sources)
    assert all(match.layer is None for match in answer.matches)


def test_a_mart_found_by_its_columns_fits(demo_scan) -> None:
    scan, _root = demo_scan
    answer = find_data("seniority of staff hired", scan)  # no name says staff; dim_reviewers has the columns
    assert answer.verdict is Verdict.MART
    assert answer.best.name == "dim_reviewers"
    assert answer.best.reasons == ("it has column(s) seniority, hired_on",)


def test_the_source_that_covers_most_comes_first(demo_scan) -> None:
    scan, _root = demo_scan
    answer = find_data("appeal payouts ledger", scan)
    assert answer.verdict is Verdict.NOTHING
    assert answer.best.name == "raw.decisions"
    assert answer.best.reasons == ("its description mentions appeal",)


def test_columns_of_the_built_relation_count_when_yaml_has_none(demo_scan) -> None:
    scan, _root = demo_scan
    assert find_data("workload queue depth", scan).verdict is Verdict.NOTHING
    built = {"int_reviewer_workload": ("reviewer_id", "queue_depth", "workload_points")}
    answer = find_data("workload queue depth", scan, built)
    assert answer.verdict is Verdict.STAGING and answer.best.name == "int_reviewer_workload"
    assert answer.best.columns == built["int_reviewer_workload"]


def test_scoring_weighs_where_a_word_was_found() -> None:
    by_name, _ = score_words(("payment",), "fct_payments", "", ())
    by_column, _ = score_words(("payment",), "fct_orders", "", ("payment_id",))
    by_description, reasons = score_words(("payment",), "fct_orders", "Orders and their payments.", ())
    assert by_name > by_column > by_description > 0
    assert reasons == ("its description mentions payment",)
    assert score_words((), "fct_payments", "", ()) == (0.0, ())


def test_empty_asks_give_the_empty_state(demo_scan) -> None:
    scan, _root = demo_scan
    assert find_data("   ", scan).verdict is Verdict.EMPTY


def test_an_undocumented_model_gets_select_star_with_a_note(demo_scan) -> None:
    scan, _root = demo_scan
    built = {"int_reviewer_workload": ("reviewer_id", "queue_depth")}
    match = find_data("workload queue", scan, built).best
    assert "queue_depth" in ref_snippet(match)
    bare = type(match)(match.name, match.layer, match.path, match.score, match.reasons, ())
    assert ref_snippet(bare).startswith("select *  -- the columns of int_reviewer_workload are not documented yet")
