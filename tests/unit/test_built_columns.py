"""Columns of built relations feed the duplicate finder's columns signal (DuckDB, read-only)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tests.conftest import held_duckdb
from tui.core.discover.report import project_index
from tui.core.project.dbt_project import load_project
from tui.core.project.layers import LayerRules
from tui.core.scan.scanner import scan_project
from tui.core.warehouse.built import built_columns

SOURCES = "version: 2\nsources:\n  - name: raw\n    tables:\n      - name: orders\n"


def _built_project(tmp_path: Path) -> Path:
    (tmp_path / "dbt_project.yml").write_text("name: p\nprofile: p\nmodel-paths: [models]\n")
    (tmp_path / "profiles.yml").write_text(
        f"p:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: {tmp_path / 'w.duckdb'}\n"
    )
    marts = tmp_path / "models/marts"
    marts.mkdir(parents=True)
    (marts / "fct_orders.sql").write_text("select * from {{ source('raw', 'orders') }}\n")  # no YAML, select *
    (tmp_path / "models/_sources.yml").write_text(SOURCES)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        con.execute("create schema raw; create table raw.orders (id integer, raw_amount varchar)")
        con.execute("create table main.fct_orders (order_id integer, Amount decimal, ordered_at date)")
        con.execute("create table raw.fct_orders (not_the_model integer)")  # a raw table named like a model
    return tmp_path


def test_a_models_columns_come_from_its_built_relation(tmp_path: Path, monkeypatch) -> None:
    root = _built_project(tmp_path)
    monkeypatch.setenv("DBT_PROFILES_DIR", str(root))
    project = load_project(root)
    scan = scan_project(project, LayerRules.with_overrides())
    index = project_index(project, scan, LayerRules.with_overrides())
    assert index.profiles["fct_orders"].columns == {"order_id", "amount", "ordered_at"}


def test_built_columns_skip_the_sources_schemas_and_say_what_they_read(tmp_path: Path, monkeypatch) -> None:
    root = _built_project(tmp_path)
    monkeypatch.setenv("DBT_PROFILES_DIR", str(root))
    columns, said = built_columns(load_project(root).connection, frozenset({"raw"}))
    assert columns == {"fct_orders": ("order_id", "amount", "ordered_at")}
    assert said == "columns of 1 built relations"


def test_a_locked_file_gives_no_columns_and_the_reason(tmp_path: Path, monkeypatch) -> None:
    root = _built_project(tmp_path)
    monkeypatch.setenv("DBT_PROFILES_DIR", str(root))
    with held_duckdb(root / "w.duckdb") as pid:
        columns, said = built_columns(load_project(root).connection)
        assert columns == {} and f"locked by PID {pid}" in said


def test_an_unbuilt_project_has_no_warehouse_columns(tmp_path: Path, monkeypatch) -> None:
    root = _built_project(tmp_path)
    (root / "w.duckdb").unlink()
    monkeypatch.setenv("DBT_PROFILES_DIR", str(root))
    columns, said = built_columns(load_project(root).connection)
    assert columns == {} and said.startswith("no warehouse columns") and "does not exist yet: build the project first" in said
