"""The duplicate finder on a fixture project with known duplicates and look-alikes that are not.

tests/fixtures/duplicates holds three planted duplicate pairs (two staging models over one source
with renamed columns; a mart copied with a changed filter; an intermediate repeating another's
join) and models that share words with them without doing the same thing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.discover.finder import LIKELY, DuplicateIndex, combine
from tui.core.discover.names import name_stem, singular
from tui.core.discover.profiles import Profile, draft_profile, project_profiles
from tui.core.discover.scorers import (
    Signal,
    columns_signal,
    description_signal,
    name_signal,
    sql_signal,
    upstream_signal,
)
from tui.core.discover.sql_shape import shape_of
from tui.core.project.dbt_project import load_project
from tui.core.project.layers import Layer, LayerRules
from tui.core.scan.scanner import scan_project

FIXTURE = Path(__file__).parent.parent / "fixtures" / "duplicates"
RULES = LayerRules.with_overrides()
PLANTED = {
    frozenset({"stg_courts__case_records", "stg_registry__cases"}): "upstream",
    frozenset({"fct_open_cases", "fct_closed_cases"}): "sql",
    frozenset({"int_case_decisions_joined", "int_decisions_with_cases"}): "upstream",
}
LOOK_ALIKES = [
    ("dim_cases", "fct_open_cases"),
    ("stg_registry__case_files", "stg_registry__cases"),
    ("int_reviewer_workload", "int_case_decisions_joined"),
    ("dim_cases", "stg_registry__cases"),
    ("fct_case_decisions", "fct_open_cases"),
]


@pytest.fixture(scope="module")
def profiles() -> list[Profile]:
    project = load_project(FIXTURE)
    return project_profiles(FIXTURE, scan_project(project, RULES), RULES)


def _others(profiles: list[Profile], name: str) -> tuple[Profile, DuplicateIndex]:
    """The model as a draft, against the project without it (as before it was created)."""
    draft = next(p for p in profiles if p.name == name)
    return draft, DuplicateIndex.build(p for p in profiles if p.name != name)


@pytest.mark.parametrize("pair", list(PLANTED), ids=lambda pair: " ~ ".join(sorted(pair)))
def test_each_planted_duplicate_is_in_the_top_3_with_its_reason(profiles, pair) -> None:
    for name in pair:
        draft, index = _others(profiles, name)
        (other,) = pair - {name}
        top = index.candidates(draft, limit=3)
        found = next((c for c in top if c.name == other), None)
        assert found is not None, [c.name for c in top]
        assert found.likely
        kind_words = {"upstream": ("reads", "joins"), "sql": ("the same SQL",)}[PLANTED[pair]]
        assert any(word in found.reasons[0] for word in kind_words), found.reasons


@pytest.mark.parametrize("a, b", LOOK_ALIKES)
def test_models_that_only_share_words_stay_below_the_threshold(profiles, a, b) -> None:
    draft, index = _others(profiles, a)
    scores = {c.name: c.score for c in index.candidates(draft, limit=50)}
    assert scores.get(b, 0.0) < LIKELY


def test_precision_and_recall_over_the_fixture(profiles) -> None:
    found = {frozenset({p.first.name, p.second.name}) for p in DuplicateIndex.build(profiles).pairs()}
    true_positives = found & set(PLANTED)
    precision = len(true_positives) / len(found)
    recall = len(true_positives) / len(PLANTED)
    print(f"duplicate pairs: precision {precision:.2f}, recall {recall:.2f} over {len(profiles)} models")
    assert (precision, recall) == (1.0, 1.0), sorted(map(sorted, found))


def test_a_staging_draft_over_a_source_finds_the_models_already_reading_it(profiles) -> None:
    index = DuplicateIndex.build(profiles)
    draft = draft_profile(RULES, Layer.STAGING, "stg_raw__cases", sources=[("raw", "cases")])
    top = index.candidates(draft, limit=3)
    assert {c.name for c in top[:2]} == {"stg_courts__case_records", "stg_registry__cases"}
    assert top[0].reasons[0] == "also reads source raw.cases and nothing else"


def test_lineage_is_not_duplication(profiles) -> None:
    """dim_cases reads stg_courts__case_records: they share columns, but one is built on the other."""
    draft, index = _others(profiles, "stg_courts__case_records")
    index = DuplicateIndex.build(profiles)
    names = [c.name for c in index.candidates(draft, limit=50)]
    assert "dim_cases" not in names and "int_case_decisions_joined" not in names


def _profile(name: str, layer: Layer = Layer.STAGING, sql: str = "", sources=(), refs=(), columns=(), description="") -> Profile:
    return draft_profile(RULES, layer, name, sql or None, sources, refs, columns, description)


def test_upstream_scorer_weighs_one_source_above_one_shared_ref() -> None:
    over_source = upstream_signal(_profile("a", sources=[("raw", "x")]), _profile("b", sources=[("raw", "x")]))
    over_ref = upstream_signal(_profile("a", Layer.MARTS, refs=["m"]), _profile("b", Layer.MARTS, refs=["m"]))
    assert over_source.score > LIKELY > over_ref.score
    assert upstream_signal(_profile("a", sources=[("raw", "x")]), _profile("b", sources=[("raw", "y")])) is None


def test_sql_scorer_ignores_aliases_cte_names_case_and_comments() -> None:
    first = "with src as (select * from {{ ref('m') }}) select src.a, lower(src.b) as b from src where src.c > 1"
    second = "-- same thing\nWITH base AS (SELECT * FROM {{ ref('m') }})\nSELECT t.A, LOWER(t.B) AS bee FROM base AS t WHERE t.C > 1"
    signal = sql_signal(_profile("x", sql=first), _profile("y", sql=second))
    assert signal is not None and signal.score > 0.8
    assert "the same select list" in signal.reason and "the same filters" in signal.reason


def test_sql_scorer_falls_back_to_shingles_when_the_sql_does_not_parse() -> None:
    broken = "select a, b, c from {{ ref('m') }} where ((( d = 1 and e = 2 and f = 3"
    signal = sql_signal(_profile("x", sql=broken), _profile("y", sql=broken + " and g = 4"))
    assert signal is not None and "did not parse" in signal.reason
    assert shape_of(broken).parsed is False


def test_columns_scorer_needs_three_shared_columns() -> None:
    assert columns_signal(_profile("a", columns="xy"), _profile("b", columns="xy")) is None
    signal = columns_signal(_profile("a", columns="wxyz"), _profile("b", columns="wxyz"))
    assert signal is not None and "4 of the same columns" in signal.reason


def test_name_scorer_strips_prefixes_and_plurals() -> None:
    assert name_stem("stg_courts__case_records", RULES.prefixes) == "case record"
    assert name_stem("stg_registry__cases", RULES.prefixes) == "case"
    assert [singular(w) for w in ("categories", "addresses", "status", "boxes", "orders")] == [
        "category", "address", "status", "box", "order",
    ]
    same = name_signal(_profile("stg_a__orders"), _profile("stg_b__order"))
    assert same is not None and same.score >= LIKELY and "the same name" in same.reason
    assert name_signal(_profile("stg_orders"), _profile("stg_reviewers")) is None


def test_a_dimension_and_a_fact_of_one_subject_are_not_copies() -> None:
    fact, dimension = _profile("fct_case_decisions", Layer.MARTS), _profile("dim_case_decisions", Layer.MARTS)
    kinds = name_signal(dimension, fact)
    assert kinds is not None and kinds.score < LIKELY / 1.5
    assert "a fct_ model, not dim_" in kinds.reason
    two_facts = name_signal(_profile("fct_case_decision", Layer.MARTS), fact)
    assert two_facts is not None and two_facts.score >= LIKELY


def test_description_scorer() -> None:
    a = _profile("a", description="Open cases with how many decisions they have had.")
    b = _profile("b", description="Closed cases with how many decisions they have had.")
    assert description_signal(a, b) is not None
    assert description_signal(a, _profile("c", description="Reviewers and their teams.")) is None


def test_signals_combine_as_independent_evidence() -> None:
    weak = [Signal("name", 0.3, ""), Signal("columns", 0.3, "")]
    assert combine(weak) == pytest.approx(0.51)
    assert combine([]) == 0.0
