"""Shared fixtures: every test runs with its own HOME, cache and config folders."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import shutil
import time
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the developer's ~/.cache, ~/.config or ~/.dbt."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    for name in ("DBT_PROFILES_DIR", "DBT_TARGET"):
        monkeypatch.delenv(name, raising=False)
    return home


def copy_fixture(name: str, destination: Path) -> Path:
    """A private copy of a fixture project, so tests may edit it."""
    target = destination / name
    shutil.copytree(FIXTURES / name, target, symlinks=True)
    return target


def make_newer(path: Path, seconds: float = 5.0) -> None:
    """Give a file a modification time after every other file in the copy."""
    stamp = time.time() + seconds
    os.utime(path, (stamp, stamp))


@pytest.fixture
def custom_paths(tmp_path: Path) -> Path:
    return copy_fixture("custom_paths", tmp_path)


@pytest.fixture
def macro_refs(tmp_path: Path) -> Path:
    return copy_fixture("macro_refs", tmp_path)


@contextlib.contextmanager
def held_duckdb(database: Path):
    """Another process holding the DuckDB file read-write (as `dbt run` does); yields its PID."""
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb,sys; c=duckdb.connect({str(database)!r}); print('held', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        yield holder.pid
    finally:
        holder.communicate("")
