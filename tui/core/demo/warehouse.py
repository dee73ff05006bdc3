"""Load the demo's raw tables into a fresh DuckDB file, atomically.

The file is built under a temporary name in the same folder and renamed into place, so an
interrupted demo never leaves a half-loaded database where dbt (or the app) would open it.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import duckdb

from tui.core.demo import data

RAW_SCHEMA = "raw"


def write_raw_database(path: Path) -> None:
    """Replace `path` with a new DuckDB file holding raw.reviewers, raw.cases and raw.decisions."""
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        _load(temp, data.generate())
        _fsync(temp)
        _remove(path.with_name(path.name + ".wal"))  # a stale WAL must never meet the new file
        os.replace(temp, path)
    finally:
        _remove(temp)
        _remove(temp.with_name(temp.name + ".wal"))


def _load(path: Path, tables: data.RawTables) -> None:
    """Create the raw schema and bulk-insert each table column-wise (executemany is ~50x slower)."""
    con = duckdb.connect(str(path))
    try:
        con.execute(f"create schema {RAW_SCHEMA}")
        _insert(con, "reviewers", data.REVIEWER_COLUMNS, tables.reviewers)
        _insert(con, "cases", data.CASE_COLUMNS, tables.cases)
        _insert(con, "decisions", data.DECISION_COLUMNS, tables.decisions)
    finally:
        con.close()


def _insert(con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, str],
            rows: list[tuple]) -> None:
    """One statement per table: each column is bound as a typed list and unnested side by side."""
    ddl = ", ".join(f"{name} {kind}" for name, kind in columns.items())
    con.execute(f"create table {RAW_SCHEMA}.{table} ({ddl})")
    picks = ", ".join(f"unnest(${i}::{kind}[])" for i, kind in enumerate(columns.values(), 1))
    con.execute(f"insert into {RAW_SCHEMA}.{table} select {picks}", [list(c) for c in zip(*rows)])


def _fsync(path: Path) -> None:
    """Flush the closed database to disk before it is renamed into place."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    """Delete a file if it is there; leftovers are not worth failing over."""
    try:
        path.unlink()
    except FileNotFoundError:
        pass
