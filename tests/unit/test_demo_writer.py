"""The demo writer: templates land where expected, raw data is deterministic, and user files
are never overwritten unless asked (and even then only the demo's own files are)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from tui.core.demo import DATABASE, DemoExistsError, demo_paths, row_counts, write_demo_project
from tui.core.errors import WorkbenchError

EXPECTED_FILES = [
    ".gitignore",
    "dbt_project.yml",
    "profiles.yml",
    "models/staging/_sources.yml",
    "models/staging/_staging.yml",
    "models/staging/stg_cases.sql",
    "models/staging/stg_decisions.sql",
    "models/staging/stg_reviewers.sql",
    "models/intermediate/_intermediate.yml",
    "models/intermediate/int_case_decisions_joined.sql",
    "models/intermediate/int_reviewer_workload.sql",
    "models/marts/fct_case_decisions.sql",
    "models/marts/fct_case_decisions.yml",
    "models/marts/dim_reviewers.sql",
    "models/marts/dim_reviewers.yml",
    "models/marts/dim_cases.sql",
    "models/marts/dim_cases.yml",
    DATABASE,
]
RAW_COUNTS = {"reviewers": 41, "cases": 3_004, "decisions": 2_603}


def _raw(root: Path, sql: str) -> list[tuple]:
    """Query the demo database read-only and let go of it at once."""
    con = duckdb.connect(str(root / DATABASE), read_only=True)
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()


def _schema_entries(root: Path) -> dict[str, dict]:
    """Every `models:` entry across the demo's YAML files, by model name."""
    entries = {}
    for path in (root / "models").rglob("*.yml"):
        for entry in yaml.safe_load(path.read_text()).get("models", []):
            entries[entry["name"]] = entry
    return entries


def _has_tests(entry: dict) -> bool:
    """True when the entry or any of its columns declares data tests."""
    return bool(entry.get("data_tests")) or any(c.get("data_tests") for c in entry["columns"])


def test_writes_every_demo_file(tmp_path: Path) -> None:
    root = write_demo_project(tmp_path / "demo")
    assert root == (tmp_path / "demo").resolve()
    for rel in EXPECTED_FILES:
        assert (root / rel).is_file(), rel
    assert sorted(demo_paths()) == sorted(EXPECTED_FILES)
    assert not [p for p in root.rglob("*") if p.name.endswith((".tmp", ".wal"))]
    assert "*.duckdb" in (root / ".gitignore").read_text().split()
    project = yaml.safe_load((root / "dbt_project.yml").read_text())
    assert project["name"] == project["profile"] == "workbench_demo"
    profile = yaml.safe_load((root / "profiles.yml").read_text())["workbench_demo"]
    assert profile["outputs"][profile["target"]]["path"] == DATABASE


def test_raw_tables_have_deterministic_rows(tmp_path: Path) -> None:
    first = write_demo_project(tmp_path / "one")
    second = write_demo_project(tmp_path / "two")
    for table, count in RAW_COUNTS.items():
        assert _raw(first, f"select count(*) from raw.{table}") == [(count,)]
    assert row_counts() == RAW_COUNTS
    query = "select * from raw.decisions order by decision_id nulls last, case_id"
    assert _raw(first, query) == _raw(second, query)
    assert _raw(first, "select count(*) from raw.cases where case_id is null") == [(4,)]


def test_one_model_is_untested_and_one_is_undocumented(tmp_path: Path) -> None:
    root = write_demo_project(tmp_path / "demo")
    models = {p.stem for p in (root / "models").rglob("*.sql")}
    entries = _schema_entries(root)
    assert models - entries.keys() == {"int_reviewer_workload"}
    assert {name for name, e in entries.items() if not _has_tests(e)} == {"dim_cases"}
    assert all(entry.get("description") for entry in entries.values())


def test_refuses_non_empty_folder_and_keeps_user_edit(tmp_path: Path) -> None:
    root = write_demo_project(tmp_path / "demo")
    edited = root / "models" / "staging" / "stg_cases.sql"
    edited.write_bytes(b"-- my own version\r\nselect 1 as case_id\r\n")
    before = edited.read_bytes()
    with pytest.raises(DemoExistsError) as caught:
        write_demo_project(root)
    assert str(root) in str(caught.value)
    assert "--overwrite" in str(caught.value)
    assert edited.read_bytes() == before


def test_refuses_folder_holding_only_user_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(DemoExistsError):
        write_demo_project(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_empty_existing_folder_is_fine(tmp_path: Path) -> None:
    write_demo_project(tmp_path)
    assert (tmp_path / "dbt_project.yml").is_file()


def test_file_as_target_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "a-file"
    target.write_text("x")
    with pytest.raises(WorkbenchError, match="not a folder"):
        write_demo_project(target, overwrite=True)


def test_overwrite_restores_demo_files_and_keeps_user_files(tmp_path: Path) -> None:
    root = write_demo_project(tmp_path / "demo")
    demo_file = root / "models" / "marts" / "dim_cases.sql"
    original = demo_file.read_bytes()
    demo_file.write_text("select 1 as broken\n")
    extra = root / "models" / "marts" / "fct_my_analysis.sql"
    extra.write_bytes(b"select * from {{ ref('fct_case_decisions') }}\n")
    notes = root / "NOTES.md"
    notes.write_bytes(b"keep me\n")
    with duckdb.connect(str(root / DATABASE)) as con:
        con.execute("delete from raw.cases")
    write_demo_project(root, overwrite=True)
    assert demo_file.read_bytes() == original
    assert extra.read_bytes() == b"select * from {{ ref('fct_case_decisions') }}\n"
    assert notes.read_bytes() == b"keep me\n"
    assert _raw(root, "select count(*) from raw.cases") == [(RAW_COUNTS["cases"],)]


def test_overwrite_keeps_file_mode(tmp_path: Path) -> None:
    root = write_demo_project(tmp_path / "demo")
    profiles = root / "profiles.yml"
    profiles.chmod(0o600)
    write_demo_project(root, overwrite=True)
    assert profiles.stat().st_mode & 0o777 == 0o600


def test_demo_package_imports_neither_textual_nor_dbt() -> None:
    code = ("import sys, tui.core.demo; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'dbt')]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
