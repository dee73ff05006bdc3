"""Where workflow records live: `.dbt-workbench/workflow/<model>.json` inside the project.

One small file per model, written atomically. Every change reads the file again under a lock
first, so two app instances on one project never lose each other's approvals. A file this
version cannot read (corrupt, or from a newer version) is never overwritten: it is reported with
the reason, and starting the model's workflow again first keeps the old file as a backup.
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from tui.core.errors import WorkbenchError
from tui.core.files import atomic_write_bytes, is_temp_file
from tui.core.workflow.record import ModelRecord, RecordInvalid, record_from_json, record_to_json

FOLDER = Path(".dbt-workbench") / "workflow"


class StateUnreadable(WorkbenchError):
    """A model's workflow file exists but cannot be used; `path` names it."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Loaded:
    """A model's record, None when the model is not in the workflow (unmanaged)."""

    record: ModelRecord | None
    problem: StateUnreadable | None = None


def now_text() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


class WorkflowStore:
    """The project's workflow records; every read goes to disk (files are small and few)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder = root / FOLDER

    def path_of(self, model: str) -> Path:
        return self.folder / f"{model}.json"

    def load(self, model: str) -> Loaded:
        path = self.path_of(model)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return Loaded(None)
        except (OSError, UnicodeDecodeError) as error:
            return Loaded(None, StateUnreadable(path.relative_to(self.root), f"cannot be read ({error})"))
        try:
            record = record_from_json(text)
        except RecordInvalid as error:
            return Loaded(None, StateUnreadable(path.relative_to(self.root), str(error)))
        if record.model != model:
            return Loaded(None, StateUnreadable(path.relative_to(self.root), f"it is the record of {record.model!r}"))
        return Loaded(record)

    def managed(self) -> list[str]:
        """The models with a workflow file, by name (readable or not)."""
        if not self.folder.is_dir():
            return []
        return sorted(
            entry.name[: -len(".json")] for entry in os.scandir(self.folder)
            if entry.name.endswith(".json") and not is_temp_file(entry.name) and entry.is_file()
        )

    def change(self, model: str, edit: Callable[[ModelRecord | None], ModelRecord]) -> ModelRecord:
        """Read the record afresh under the lock, apply `edit`, write it; an unreadable file is left alone."""
        with self._locked():
            loaded = self.load(model)
            if loaded.problem is not None:
                raise loaded.problem
            record = edit(loaded.record)
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(self.path_of(model), record_to_json(record).encode("utf-8"))
            return record

    def start_over(self, model: str, record: ModelRecord) -> Path | None:
        """Write a new record over an unreadable one, keeping the old file beside it; the backup's path."""
        with self._locked():
            path = self.path_of(model)
            backup = None
            if path.exists() and self.load(model).problem is None:
                raise WorkbenchError(f"{model}'s workflow file is readable again (another instance wrote it): nothing was replaced")
            if path.exists():
                backup = path.with_name(f"{model}.json.unreadable-{datetime.now(timezone.utc):%Y%m%dT%H%M%S}")
                os.replace(path, backup)
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(path, record_to_json(record).encode("utf-8"))
            return backup

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / ".lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
