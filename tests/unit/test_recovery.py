"""Recovery files (tui.core.recovery): written atomically beside the project's other state, read
back oldest first, set aside rather than deleted, unreadable ones reported and left alone."""

from __future__ import annotations

import json
import os
from pathlib import Path

from hypothesis import given, settings, strategies as st

from tui.core.recovery import FOLDER, RecoveredPane, diff_against, pending_recoveries, set_aside, write_recovery

SQL = RecoveredPane("sql", "stg_cases", "models/staging/stg_cases.sql", "select 2 as edited\n", "select 1\n")
ENTRY = RecoveredPane("entry", "stg_cases", "models/staging/_staging.yml", "- name: stg_cases\n  description: New.\n", "- name: stg_cases\n")


def test_nothing_modified_writes_nothing(tmp_path: Path) -> None:
    assert write_recovery(tmp_path, [], "SIGHUP") is None
    assert not (tmp_path / FOLDER).exists()


def test_a_recovery_is_written_privately_and_read_back(tmp_path: Path) -> None:
    path = write_recovery(tmp_path, [SQL, ENTRY], "SIGHUP")
    assert path is not None and path.parent == tmp_path / FOLDER and path.name.endswith(f"-{os.getpid()}.json")
    assert oct(path.stat().st_mode & 0o777) == "0o600"  # unsaved text may be anything: only its owner reads it
    document = json.loads(path.read_text())
    assert document["format"] == 1 and document["signal"] == "SIGHUP"
    [found], bad = pending_recoveries(tmp_path)
    assert bad == [] and found.panes == (SQL, ENTRY) and found.signal == "SIGHUP" and found.file == path


def test_set_aside_renames_and_it_is_no_longer_pending(tmp_path: Path) -> None:
    path = write_recovery(tmp_path, [SQL], "SIGTERM")
    [found], _ = pending_recoveries(tmp_path)
    kept = set_aside(found, "restored")
    assert kept == path.with_name(path.name + ".restored") and kept.exists() and not path.exists()
    assert pending_recoveries(tmp_path) == ([], [])


def test_an_unreadable_or_newer_recovery_is_reported_and_left_as_it_is(tmp_path: Path) -> None:
    folder = tmp_path / FOLDER
    folder.mkdir(parents=True)
    (folder / "20261201T000000Z-1.json").write_text("{not json")
    (folder / "20261201T000001Z-2.json").write_text(json.dumps({"format": 99, "panes": []}))
    found, bad = pending_recoveries(tmp_path)
    assert found == [] and [b.file.name for b in bad] == ["20261201T000000Z-1.json", "20261201T000001Z-2.json"]
    assert "this version reads format 1" in bad[1].reason
    assert (folder / "20261201T000000Z-1.json").read_text() == "{not json"


def test_the_diff_is_against_the_file_now(tmp_path: Path) -> None:
    diff = diff_against(SQL, "select 1\n")
    assert "--- models/staging/stg_cases.sql now" in diff and "+++ models/staging/stg_cases.sql recovered" in diff
    assert "-select 1\n" in diff and "+select 2 as edited\n" in diff
    assert "(not on disk now)" in diff_against(SQL, None)
    assert diff_against(SQL, SQL.text) == "(the same as the file now)\n"


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_any_text_comes_back_exactly(tmp_path_factory, text: str) -> None:
    root = tmp_path_factory.mktemp("any")
    write_recovery(root, [RecoveredPane("sql", "m", "models/m.sql", text, "")], "SIGHUP")
    [found], _ = pending_recoveries(root)
    assert found.panes[0].text == text


def test_a_recovery_naming_a_path_outside_the_project_or_no_pane_is_unreadable(tmp_path: Path) -> None:
    folder = tmp_path / FOLDER
    folder.mkdir(parents=True)
    pane = {"kind": "sql", "model": "m", "path": "../../etc/passwd", "text": "x", "loaded": ""}
    (folder / "20261201T000000Z-1.json").write_text(json.dumps({"format": 1, "written_at": "t", "panes": [pane]}))
    (folder / "20261201T000001Z-2.json").write_text(json.dumps({"format": 1, "written_at": "t", "panes": []}))
    found, bad = pending_recoveries(tmp_path)
    assert found == [] and "is not a path inside the project" in bad[0].reason and "holds no pane" in bad[1].reason


def test_a_pane_of_an_unknown_kind_makes_the_recovery_unreadable(tmp_path: Path) -> None:
    folder = tmp_path / FOLDER
    folder.mkdir(parents=True)
    pane = {"kind": "read-only", "model": "m", "path": "models/m.sql", "text": "x", "loaded": ""}
    (folder / "20261201T000000Z-1.json").write_text(json.dumps({"format": 1, "written_at": "t", "panes": [pane]}))
    found, bad = pending_recoveries(tmp_path)
    assert found == [] and "a pane of kind 'read-only'" in bad[0].reason
