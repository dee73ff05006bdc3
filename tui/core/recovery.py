"""Unsaved edits kept when the terminal goes away: `.dbt-workbench/recovery/<time>-<pid>.json`.

On SIGHUP or SIGTERM the app writes every modified pane here before anything else (never over the
user's file: the file on disk is left exactly as it was), then stops its children and exits. On
the next start the workbench offers each recovery with the diff against the file as it is now;
restoring puts the text back into the pane as an unsaved edit, so it is saved (or not) through
the usual safe save. A recovery is never deleted unread: restored or discarded, the file is
renamed (`.restored`, `.discarded`) and stays until the user removes it; one that cannot be read
is reported and left alone.
"""

from __future__ import annotations

import difflib
import json
import os
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from tui.core.files import atomic_write_bytes, is_temp_file

FOLDER = Path(".dbt-workbench") / "recovery"
FORMAT = 1
PANE_KINDS = ("sql", "entry", "new entry", "whole file")
"""tui.core.buffers.PaneKind's editable kinds (a read-only pane holds no edits)."""


@dataclass(frozen=True, slots=True)
class RecoveredPane:
    """One modified pane: what it edits and the text it held."""

    kind: str
    """The pane kind (tui.core.buffers.PaneKind's value): sql, entry, new entry, whole file."""
    model: str
    path: str
    """The file it saves to, relative to the project root."""
    text: str
    loaded: str
    """The text the pane had loaded from disk, before the edits."""


@dataclass(frozen=True, slots=True)
class Recovery:
    file: Path
    written_at: str
    signal: str
    panes: tuple[RecoveredPane, ...]


@dataclass(frozen=True, slots=True)
class Unreadable:
    file: Path
    reason: str


def write_recovery(root: Path, panes: list[RecoveredPane], signal_name: str) -> Path | None:
    """Keep the panes in a new recovery file (None: nothing was modified)."""
    if not panes:
        return None
    folder = root / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc)
    path = folder / f"{stamp.strftime('%Y%m%dT%H%M%SZ')}-{os.getpid()}.json"
    document = {
        "format": FORMAT,
        "written_at": stamp.replace(microsecond=0).isoformat(),
        "signal": signal_name,
        "panes": [asdict(pane) for pane in panes],
    }
    atomic_write_bytes(path, (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode(), mode=0o600)
    return path


def pending_recoveries(root: Path) -> tuple[list[Recovery], list[Unreadable]]:
    """The recoveries not restored or discarded yet, oldest first, and those that cannot be read."""
    folder = root / FOLDER
    if not folder.is_dir():
        return [], []
    found: list[Recovery] = []
    bad: list[Unreadable] = []
    for path in sorted(folder.glob("*.json")):
        if is_temp_file(path.name):
            continue
        try:
            found.append(_read(path))
        except (OSError, ValueError, KeyError, TypeError) as error:
            bad.append(Unreadable(path, f"{type(error).__name__}: {error}"))
    return found, bad


def _read(path: Path) -> Recovery:
    document = json.loads(path.read_text(encoding="utf-8"))
    if document.get("format") != FORMAT:
        raise ValueError(f"format {document.get('format')!r}; this version reads format {FORMAT}")
    panes = tuple(RecoveredPane(**{key: str(pane[key]) for key in RecoveredPane.__slots__}) for pane in document["panes"])
    if not panes:
        raise ValueError("it holds no pane")
    for pane in panes:
        if pane.kind not in PANE_KINDS:
            raise ValueError(f"a pane of kind {pane.kind!r}")
    for pane in panes:
        if Path(pane.path).is_absolute() or ".." in Path(pane.path).parts:
            raise ValueError(f"{pane.path!r} is not a path inside the project")
    return Recovery(path, str(document["written_at"]), str(document.get("signal", "")), panes)


def set_aside(recovery: Recovery, how: str) -> Path | None:
    """Mark it dealt with (`restored` or `discarded`): renamed, never deleted. None: the rename
    failed (the folder is read-only, say), and it will be offered again."""
    target = recovery.file.with_name(recovery.file.name + f".{how}")
    try:
        os.replace(recovery.file, target)
    except OSError:
        return None
    return target


def diff_against(pane: RecoveredPane, now: str | None) -> str:
    """The recovered text against the same part of the file as it is now (None: the file is gone)."""
    before = (now if now is not None else "").splitlines(keepends=True)
    after = pane.text.splitlines(keepends=True)
    said_now = f"{pane.path} now" if now is not None else f"{pane.path} (not on disk now)"
    lines = difflib.unified_diff(before, after, fromfile=said_now, tofile=f"{pane.path} recovered", n=2)
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines) or "(the same as the file now)\n"
