"""`dbt-workbench dupes`: the project-wide report and one draft, as scripts read them."""

from __future__ import annotations

import json
from pathlib import Path

from tui.cli import main

FIXTURE = Path(__file__).parent.parent / "fixtures" / "duplicates"


def test_all_lists_the_planted_pairs_as_json(capsys) -> None:
    assert main(["dupes", str(FIXTURE), "--all", "--json"]) == 0
    pairs = json.loads(capsys.readouterr().out)
    assert {frozenset(p["models"]) for p in pairs} == {
        frozenset({"stg_courts__case_records", "stg_registry__cases"}),
        frozenset({"fct_open_cases", "fct_closed_cases"}),
        frozenset({"int_case_decisions_joined", "int_decisions_with_cases"}),
    }
    assert all(p["reasons"] and 0 < p["score"] <= 1 for p in pairs)


def test_a_draft_with_its_sql_gets_candidates_best_first(capsys, tmp_path: Path) -> None:
    draft = tmp_path / "draft.sql"
    draft.write_text((FIXTURE / "models/marts/fct_open_cases.sql").read_text().replace("'open'", "'pending'"))
    assert main(["dupes", str(FIXTURE), "--name", "fct_pending_cases", "--sql", str(draft), "--json"]) == 0
    candidates = json.loads(capsys.readouterr().out)
    assert [c["name"] for c in candidates[:2]] == ["fct_closed_cases", "fct_open_cases"] or [
        c["name"] for c in candidates[:2]
    ] == ["fct_open_cases", "fct_closed_cases"]
    assert set(candidates[0]) >= {"name", "score", "reasons"}
    assert candidates[0]["score"] >= candidates[-1]["score"]
    assert any("filters differ" in reason for reason in candidates[0]["reasons"])


def test_the_layer_comes_from_the_name_and_a_bad_layer_is_named(capsys) -> None:
    assert main(["dupes", str(FIXTURE), "--name", "stg_raw__cases", "--json"]) == 0
    names = [c["name"] for c in json.loads(capsys.readouterr().out)]
    assert names[0] == "stg_registry__cases"  # the same name once prefixes go, in the same layer
    assert main(["dupes", str(FIXTURE), "--name", "x", "--layer", "gold"]) == 1
    assert "unknown layer 'gold'" in capsys.readouterr().err


def test_an_unreadable_draft_file_is_a_clear_error(capsys, tmp_path: Path) -> None:
    assert main(["dupes", str(FIXTURE), "--name", "x", "--sql", str(tmp_path / "missing.sql")]) == 1
    assert "cannot read the draft SQL" in capsys.readouterr().err


def test_the_text_report_says_when_nothing_is_duplicated(capsys, tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    (tmp_path / "dbt_project.yml").write_text("name: p\nprofile: p\n")
    (tmp_path / "models/stg_a.sql").write_text("select 1 as a\n")
    assert main(["dupes", str(tmp_path), "--all"]) == 0
    assert capsys.readouterr().out.strip() == "No likely duplicates among 1 models."
