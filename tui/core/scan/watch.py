"""Follow changes made outside the app (an agent or vim in the next tmux pane).

watchfiles uses inotify where it can; when inotify is unavailable or its watch limit is
exhausted, it fails at start-up and we watch again by polling. Temp files (dot-files, such as
our own `.x.wbtmp`) and files dbt does not read as models or schema are ignored.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Callable

import watchfiles

from tui.core.files import file_digest

WATCHED_SUFFIXES = {".sql", ".py", ".yml", ".yaml"}


def is_project_file(path: str) -> bool:
    """A model or schema file (not a temp file, not an editor's swap file)."""
    name = os.path.basename(path)
    return not name.startswith(".") and os.path.splitext(name)[1].lower() in WATCHED_SUFFIXES


def _watch_filter(change: watchfiles.Change, path: str) -> bool:
    return is_project_file(path)


class StopSignal:
    """Stops the watcher when any check says so (our own event, or the worker was cancelled)."""

    def __init__(self, *checks: Callable[[], bool]) -> None:
        self.checks = checks

    def is_set(self) -> bool:
        return any(check() for check in self.checks)


READY_PROBE_MS = 250
"""watchfiles hands back an empty batch this often when nothing changed; the first one tells
that the watch is in place (also how long a stop can take to be seen)."""


class ProjectWatcher:
    """Calls `on_change` with each batch of changed paths until `stop` is set. Blocking: run it
    in a worker thread."""

    def __init__(
        self, folders: list[Path], force_polling: bool = False, debounce_ms: int = 200,
        ready: threading.Event | None = None,
    ) -> None:
        self.folders = [folder for folder in folders if folder.is_dir()]
        self.mode = "polling" if force_polling else "inotify"
        self.debounce_ms = debounce_ms
        self.ready = ready or threading.Event()
        """Set once the folders are watched: a change made after that is reported."""

    def run(self, on_change: Callable[[set[Path]], None], stop: threading.Event | StopSignal) -> None:
        if not self.folders:
            self.ready.set()  # nothing to watch: nothing can be missed
            return
        if self.mode == "inotify":
            try:
                self._watch(on_change, stop, force_polling=False)
                return
            except OSError:
                self.mode = "polling"  # no inotify here, or its watch limit is used up
        self._watch(on_change, stop, force_polling=True)

    def _watch(self, on_change: Callable[[set[Path]], None], stop: threading.Event | StopSignal, force_polling: bool) -> None:
        batches = watchfiles.watch(
            *self.folders,
            watch_filter=_watch_filter,
            debounce=self.debounce_ms,
            stop_event=stop,
            force_polling=force_polling,
            poll_delay_ms=300,
            raise_interrupt=False,
            ignore_permission_denied=True,
            rust_timeout=READY_PROBE_MS,
            yield_on_timeout=True,  # the first (maybe empty) batch says the watch is in place
        )
        for batch in batches:
            self.ready.set()
            if batch:
                on_change({Path(path) for _change, path in batch})


class SaveEchoes:
    """The bytes the app itself wrote: the watcher's report of our own save is not news."""

    def __init__(self) -> None:
        self._written: dict[Path, str] = {}
        self._lock = threading.Lock()

    def note(self, path: Path, digest: str | None = None) -> None:
        with self._lock:
            self._written[path.resolve()] = digest or file_digest(path) or ""

    def is_echo(self, path: Path) -> bool:
        """True while the file still holds exactly what we wrote."""
        with self._lock:
            written = self._written.get(path.resolve())
        return written is not None and written == file_digest(path)

    def news(self, paths: set[Path]) -> set[Path]:
        return {path for path in paths if not self.is_echo(path)}
