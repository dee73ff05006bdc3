"""The summary's lineage line and the pane titles fit the width without cutting a name."""

from __future__ import annotations

import re

from hypothesis import given, strategies as st

from tui.core.project.lineage import fit_title, lineage_line, shorten_path_left

NAMES = st.lists(st.from_regex(r"[a-z][a-z0-9_]{0,30}", fullmatch=True), max_size=80, unique=True).map(tuple)


def test_everything_shown_when_it_fits() -> None:
    assert lineage_line(("stg_a", "stg_b"), ("fct_x",), 80) == "reads stg_a, stg_b · read by fct_x"
    assert lineage_line((), (), 80) == "reads nothing · read by nothing"


def test_names_dropped_from_the_end_and_counted() -> None:
    line = lineage_line(("stg_cases", "stg_decisions", "stg_reviewers"), ("fct_case_decisions",), 52)
    assert line == "reads stg_cases +2 more · read by fct_case_decisions"
    assert lineage_line(("a_model", "b_model", "c_model"), ("x", "y", "z"), 34) == "reads 3 models · read by x, y, z"
    assert lineage_line(("a_model", "b_model", "c_model"), ("x", "y", "z"), 28) == "reads 3 · read by 3"


@given(NAMES, NAMES, st.integers(min_value=10, max_value=200))
def test_never_longer_than_the_width_and_never_cut_mid_name(parents, children, width) -> None:
    line = lineage_line(parents, children, width)
    assert len(line) <= width
    known = set(parents) | set(children)
    for word in re.findall(r"[a-z][a-z0-9_]*", line):
        assert word in known or word in {"reads", "read", "by", "more", "nothing", "models", "model"}


def test_paths_keep_the_file_name() -> None:
    assert shorten_path_left("models/marts/fct_case_decisions.sql", 80) == "models/marts/fct_case_decisions.sql"
    assert shorten_path_left("models/marts/finance/fct_case_decisions.sql", 33) == "…/finance/fct_case_decisions.sql"
    assert shorten_path_left("models/marts/fct_case_decisions.sql", 26).endswith("fct_case_decisions.sql")


def test_titles_keep_their_words_and_the_file_name() -> None:
    title = "new entry → models/intermediate/int_reviewer_workload.yml"
    assert fit_title(title, 80) == title
    fitted = fit_title(title, 50)
    assert fitted.startswith("new entry → …/") and fitted.endswith("/int_reviewer_workload.yml")
    assert len(fitted) <= 50
