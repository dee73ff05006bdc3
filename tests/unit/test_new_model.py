"""New-model drafts: names checked with reasons, the file's place, starter SQL, decisions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import held_duckdb

from tui.core.discover.decisions import record_create_anyway, read_create_anyway
from tui.core.discover.finder import Candidate
from tui.core.discover.new_model import (
    NewModel,
    create_model,
    model_file,
    name_problem,
    snake_case,
    source_columns,
    staging_sql,
    suggested_name,
)
from tui.core.errors import WorkbenchError
from tui.core.project.dbt_project import load_project
from tui.core.project.layers import Layer, LayerRules
from tui.core.project.records import SourceTable

RULES = LayerRules.with_overrides()
CASES = SourceTable("raw", "cases", "models/staging/_sources.yml", 3, True, (("id", "integer"), ("CaseRef", "varchar"), ("Opened At", "")))


@pytest.mark.parametrize(
    "name, words",
    [
        ("", "Type a name"),
        ("stg_Cases", "lower case: stg_cases"),
        ("stg cases", "no spaces"),
        ("../x", "not a path"),
        ("/etc/x", "not a path"),
        ("stg_ca-ses", "only a-z"),
        ("9stg", "only a-z"),
        ("cases", "start with stg_"),
        ("stg_" + "x" * 70, "63 characters"),
        ("stg_taken", "exists already"),
    ],
)
def test_bad_names_get_a_reason(name: str, words: str) -> None:
    problem = name_problem(name, Layer.STAGING, RULES, ["stg_taken"], None)
    assert problem is not None and words in problem


def test_a_file_on_disk_that_the_scan_does_not_know_is_taken(tmp_path: Path) -> None:
    (tmp_path / "stg_x.sql").write_text("select 1")
    assert "exists on disk" in name_problem("stg_x", Layer.STAGING, RULES, [], tmp_path / "stg_x.sql")
    assert name_problem("stg_y", Layer.STAGING, RULES, [], tmp_path / "stg_y.sql") is None
    assert name_problem("dim_y", Layer.MARTS, RULES, [], None) is None
    assert name_problem("anything", Layer.OTHER, RULES, [], None) is None


def test_staging_suggestion_and_snake_case() -> None:
    assert suggested_name(SourceTable("Court Data", "CaseRecords", "x.yml", 1, False)) == "stg_court_data__case_records"
    assert [snake_case(t) for t in ("CaseRef", "Opened At", "HTTPStatus", "2nd")] == ["case_ref", "opened_at", "http_status", "_2nd"]


def test_staging_starter_sql_casts_and_renames_and_parses_as_sql() -> None:
    sql = staging_sql(CASES, CASES.columns)
    assert "select * from {{ source('raw', 'cases') }}" in sql
    assert "cast(id as integer) as id" in sql
    assert 'cast({{ adapter.quote("CaseRef") }} as varchar) as case_ref' in sql
    assert '{{ adapter.quote("Opened At") }} as opened_at' in sql


def test_create_writes_inside_the_project_and_never_over_a_file(tmp_path: Path) -> None:
    (tmp_path / "dbt_project.yml").write_text("name: p\nprofile: p\nmodel-paths: [models]\n")
    project = load_project(tmp_path)
    path = model_file(project, Layer.STAGING, "stg_raw__cases")
    assert path == tmp_path / "models/staging/stg_raw__cases.sql"  # the folder did not exist
    create_model(project, NewModel("stg_raw__cases", Layer.STAGING, path, "select 1\n"))
    assert path.read_text() == "select 1\n"
    with pytest.raises(WorkbenchError, match="already exists"):
        create_model(project, NewModel("stg_raw__cases", Layer.STAGING, path, "select 2\n"))
    assert path.read_text() == "select 1\n"
    with pytest.raises(WorkbenchError):
        create_model(project, NewModel("x", Layer.STAGING, tmp_path.parent / "x.sql", "select 3\n"))
    assert not (tmp_path.parent / "x.sql").exists()


def test_create_anyway_is_recorded_with_its_reason(tmp_path: Path) -> None:
    with pytest.raises(WorkbenchError, match="why"):
        record_create_anyway(tmp_path, "stg_a", "   ", [])
    candidate = Candidate("stg_b", "models/stg_b.sql", Layer.STAGING, 0.91, ("also reads source raw.a",))
    path = record_create_anyway(tmp_path, "stg_a", "the other one  filters out\ntest rows", [candidate])
    data = json.loads(path.read_text())
    assert path == tmp_path / ".dbt-workbench/decisions/stg_a.json"
    assert data["format"] == 1 and data["reason"] == "the other one filters out test rows"
    assert data["candidates"] == [{"name": "stg_b", "score": 0.91}]
    decision = read_create_anyway(tmp_path, "stg_a")
    assert decision is not None and decision.reason == data["reason"] and decision.candidates == (("stg_b", 0.91),)


def _duckdb_project(tmp_path: Path) -> Path:
    (tmp_path / "dbt_project.yml").write_text("name: p\nprofile: p\nmodel-paths: [models]\n")
    (tmp_path / "profiles.yml").write_text(
        f"p:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: {tmp_path / 'w.duckdb'}\n"
    )
    import duckdb

    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        con.execute("create schema raw; create table raw.cases (id integer, CaseRef varchar)")
    return tmp_path


def test_source_columns_come_from_the_duckdb_catalog_when_the_yaml_has_none(tmp_path: Path, monkeypatch) -> None:
    root = _duckdb_project(tmp_path)
    monkeypatch.setenv("DBT_PROFILES_DIR", str(root))
    project = load_project(root)
    bare = SourceTable("raw", "cases", "models/_sources.yml", 3, False)
    columns, said = source_columns(project, bare)
    assert columns == [("id", "integer"), ("CaseRef", "varchar")] and "warehouse" in said
    columns, said = source_columns(project, SourceTable("raw", "missing", "m.yml", 1, False))
    assert columns == [] and "raw.missing is not in the warehouse" in said


def test_a_locked_duckdb_file_names_the_process(tmp_path: Path, monkeypatch) -> None:
    root = _duckdb_project(tmp_path)
    monkeypatch.setenv("DBT_PROFILES_DIR", str(root))
    with held_duckdb(root / "w.duckdb") as pid:
        columns, said = source_columns(load_project(root), SourceTable("raw", "cases", "m.yml", 1, False))
        assert columns == [] and f"locked by PID {pid}" in said
