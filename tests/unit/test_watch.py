"""The watcher reports real changes on disk (inotify and polling) and our own saves are echoes."""

from __future__ import annotations

import queue
import threading
from pathlib import Path

import pytest

from tui.core.scan.watch import ProjectWatcher, SaveEchoes, is_project_file


def start_watcher(folder: Path, force_polling: bool):
    batches: queue.Queue[set[Path]] = queue.Queue()
    stop = threading.Event()
    watcher = ProjectWatcher([folder], force_polling=force_polling, debounce_ms=50)
    thread = threading.Thread(target=watcher.run, args=(batches.put, stop), daemon=True)
    thread.start()
    return watcher, batches, stop, thread


def wait_for_path(batches: queue.Queue, wanted: Path, attempts: int = 40) -> set[Path]:
    """Touch-and-wait: watchers need a moment to start, so the caller rewrites until seen."""
    seen: set[Path] = set()
    for _ in range(attempts):
        try:
            seen |= batches.get(timeout=0.25)
        except queue.Empty:
            continue
        if wanted in seen:
            return seen
    return seen


@pytest.mark.parametrize("force_polling", [False, True], ids=["inotify", "polling"])
def test_changes_are_reported_and_temp_files_ignored(tmp_path: Path, force_polling: bool) -> None:
    model = tmp_path / "stg_x.sql"
    model.write_text("select 1\n")
    watcher, batches, stop, thread = start_watcher(tmp_path, force_polling)
    try:
        seen: set[Path] = set()
        for attempt in range(20):
            (tmp_path / ".stg_x.sql.abc.wbtmp").write_text("temp")
            model.write_text(f"select {attempt}\n")
            seen |= wait_for_path(batches, model, attempts=4)
            if model in seen:
                break
        assert model in seen
        assert not any(path.name.endswith(".wbtmp") for path in seen)
        assert watcher.mode == ("polling" if force_polling else "inotify")
    finally:
        stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive()


def test_project_file_filter() -> None:
    assert is_project_file("/p/models/stg_x.sql")
    assert is_project_file("/p/models/_schema.YML")
    assert not is_project_file("/p/models/.stg_x.sql.123.wbtmp")
    assert not is_project_file("/p/models/.stg_x.sql.swp")
    assert not is_project_file("/p/models/notes.md")


def test_our_own_save_is_an_echo_until_someone_else_writes(tmp_path: Path) -> None:
    path = tmp_path / "stg_x.sql"
    path.write_text("select 1\n")
    echoes = SaveEchoes()
    echoes.note(path)
    assert echoes.news({path}) == set()
    path.write_text("select 2\n")
    assert echoes.news({path}) == {path}
    path.unlink()
    assert echoes.news({path}) == {path}
