"""Load and save a user's text files so that nothing is ever lost.

Every write goes to a temp file in the same folder, is fsynced and renamed over the original, so a
crash leaves either the old or the new file. The temp name `.<name>.<random>.wbtmp` is a dot-file
with a suffix dbt never reads, so neither dbt nor the workbench scan ever picks up a leftover.
Before a save the file is re-read and hashed: a change made outside the app (an agent, vim in the
next pane) is never overwritten silently. Paths are resolved, through symlinks, and must stay
inside the project. Line endings, the BOM and the file mode survive a round trip, and so do the
other characters Python and Textual take for line breaks (see tui.core.line_breaks).
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import secrets
import stat
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable

from tui.core.errors import WorkbenchError

TEMP_SUFFIX = ".wbtmp"
_TEMP_NAME = re.compile(r"^\..+\.[A-Za-z0-9_-]+\.wbtmp$")
_NEW_FILE_MODE = 0o644  # the kernel takes the umask off when the temp file is created
_MAX_NAME_BYTES = 200  # room for the dot, the random part and the suffix within NAME_MAX (255)
_WRITE_BITS = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH


class NotUtf8(WorkbenchError):
    """The file holds bytes that are not UTF-8; the app shows it read-only instead of guessing."""

    def __init__(self, path: Path, offset: int, byte: int):
        self.path, self.offset, self.byte = path, offset, byte
        super().__init__(f"{path} is not UTF-8 text: byte 0x{byte:02X} at offset {offset} cannot be "
                         "decoded. It is shown read-only so that none of its bytes are changed.")


class OutsideProject(WorkbenchError):
    """The path leads (maybe through a symlink) out of the project, where the app never writes."""

    def __init__(self, path: Path, target: Path, root: Path):
        self.path, self.target, self.root = path, target, root
        via = "" if Path(path) == target else f" (it leads to {target})"
        super().__init__(f"{path} is outside the project folder {root}{via}; the workbench only "
                         "opens and saves files inside the project.")


class ReadOnlyFile(WorkbenchError):
    """The file or its folder may not be written; nothing was written."""

    def __init__(self, path: Path, what: str):
        self.path = path
        super().__init__(f"{path} cannot be saved: {what} is read-only. Nothing was written; "
                         "change its permissions to save.")


class FileChangedOnDisk(WorkbenchError):
    """The file on disk is no longer what was loaded; `current` is None when it was deleted."""

    def __init__(self, path: Path, current: bytes | None):
        self.path, self.current = path, current
        if current is None:
            text = (f"{path} was deleted on disk after it was opened. Nothing was written; "
                    "save with overwrite to create it again.")
        else:
            text = (f"{path} was changed on disk after it was opened (by another program?). It was "
                    "not overwritten: reload it, overwrite it, or compare the two versions.")
        super().__init__(text)


class SaveFailed(WorkbenchError):
    """The operating system refused the write (disk full, file too large, I/O error...)."""

    def __init__(self, path: Path, error: OSError, existed: bool):
        self.path, self.errno = path, error.errno
        reason = error.strerror or str(error)
        kept = "The original file is unchanged." if existed else "The file was not created."
        super().__init__(f"Could not save {path}: {reason}. {kept}")


@dataclass(frozen=True)
class LoadedFile:
    """A file as loaded for editing, with what is needed to write it back the same way."""

    path: Path
    target: Path
    text: str
    newline: str
    bom: bool
    digest: str
    mode: int


def is_temp_file(name: str) -> bool:
    """True for the name of a temp file left by an interrupted save."""
    return bool(_TEMP_NAME.match(name))


def digest_bytes(data: bytes) -> str:
    """The one content hash of the workbench: a save compares it to tell whether the file changed
    since it was loaded, the schema cache keys files by it, the watcher recognises our own saves."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def file_digest(path: Path) -> str | None:
    """digest_bytes of the file, None when it cannot be read (deleted, unreadable)."""
    try:
        return digest_bytes(Path(path).read_bytes())
    except OSError:
        return None


def current_bytes(path: Path) -> bytes | None:
    """The bytes on disk now, or None when the file is gone; any other failure is a WorkbenchError."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise WorkbenchError(f"Cannot read {path}: {error.strerror or error}. Nothing was written.") from error


def load_text_file(path: Path, project_root: Path) -> LoadedFile:
    """Read a file for editing; a relative `path` is taken relative to the project root."""
    target = resolve_inside(path, project_root)
    try:
        if not stat.S_ISREG(target.stat().st_mode):  # a FIFO would block the open forever
            raise WorkbenchError(f"Cannot open {path}: it is not a regular file.")
        with open(target, "rb") as stream:
            raw = stream.read()
            mode = stat.S_IMODE(os.fstat(stream.fileno()).st_mode)
    except OSError as error:
        raise WorkbenchError(f"Cannot open {path}: {error.strerror or error}.") from error
    return _decoded(Path(path), target, raw, mode)


def save_text_file(loaded: LoadedFile, new_text: str, project_root: Path, *,
                   overwrite_external: bool = False) -> LoadedFile | None:
    """Write `new_text` back in the file's own style; None when there was nothing to write.

    The link is re-resolved, so a symlink pointed elsewhere since loading shows up as a change
    (or as OutsideProject), never as a write to an unexpected file.
    """
    text = new_text.replace("\r\n", "\n")
    target = resolve_inside(loaded.path, project_root)
    current = current_bytes(target)
    unchanged_on_disk = current is not None and digest_bytes(current) == loaded.digest
    if unchanged_on_disk and text == loaded.text:
        return None
    if not unchanged_on_disk and not overwrite_external:
        raise FileChangedOnDisk(Path(loaded.path), current)
    check_writable(target)
    data = _encoded(text, loaded.newline, loaded.bom)
    atomic_write_bytes(target, data, None if current is not None else loaded.mode)
    mode = stat.S_IMODE(target.stat().st_mode)
    return replace(loaded, target=target, text=text, digest=digest_bytes(data), mode=mode)


def create_text_file(path: Path, text: str, project_root: Path) -> LoadedFile:
    """Create a new file (a schema file, say) with LF endings; an existing file is never replaced."""
    target = resolve_inside(path, project_root)
    if os.path.lexists(target) or os.path.lexists(_absolute(path, project_root)):
        raise WorkbenchError(f"{path} already exists; it was left as it is.")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SaveFailed(Path(path), error, existed=False) from error
    data = text.replace("\r\n", "\n").encode("utf-8")
    atomic_write_bytes(target, data)
    return _decoded(Path(path), target, data, stat.S_IMODE(target.stat().st_mode))


def resolve_inside(path: Path, project_root: Path) -> Path:
    """The real file behind `path` (symlinks followed); OutsideProject when it leaves the project."""
    root = Path(project_root).resolve()
    try:
        target = _absolute(path, root).resolve()
    except (OSError, RuntimeError) as error:  # a symlink loop: RuntimeError before Python 3.13
        raise WorkbenchError(f"Cannot follow the path {path}: {error}.") from error
    if not target.is_relative_to(root):
        raise OutsideProject(Path(path), target, root)
    return target


def check_writable(target: Path) -> None:
    """Raise ReadOnlyFile when the file or its folder is not writable.

    Root may write anything, so os.access alone would let a save replace a file the user marked
    read-only (chmod 0o444). A file or folder with no write bit at all is refused even for root.
    """
    for thing, what in ((target, "the file"), (target.parent, "its folder")):
        try:
            mode = thing.stat().st_mode
        except FileNotFoundError:
            continue  # a deleted file being re-created: only its folder matters
        except OSError as error:
            raise ReadOnlyFile(target, f"{what} ({error.strerror})") from error
        if not os.access(thing, os.W_OK) or not mode & _WRITE_BITS:
            raise ReadOnlyFile(target, what)


def atomic_write_bytes(path: Path, data: bytes, mode: int | None = None) -> None:
    """Replace `path` with `data` so that readers only ever see the old or the new bytes.

    The mode is `mode`, else the existing file's, else 0o644 less the umask. On any failure the temp
    file is removed and SaveFailed raised, with the original untouched. `path` should be the real
    file: a symlink there is replaced by a file (save_text_file resolves links first).
    """
    path = Path(path)
    existed = path.exists()
    if existed and _hard_linked(path):
        _write_in_place(path, data, mode)
        return
    if mode is None and existed:
        mode = stat.S_IMODE(path.stat().st_mode)
    temp, fd = _open_temp(path, existed or mode is not None)
    try:
        _write_fd(fd, data, mode, path)
        os.replace(temp, path)
    except BaseException as error:
        _remove_quietly(temp)
        if isinstance(error, OSError):
            raise SaveFailed(path, error, existed) from error
        raise
    _fsync_folder(path.parent)


def _hard_linked(path: Path) -> bool:
    """A regular file with other names (a folder's link count counts its sub-folders)."""
    info = path.stat()
    return stat.S_ISREG(info.st_mode) and info.st_nlink > 1


def _write_in_place(path: Path, data: bytes, mode: int | None) -> None:
    """A file with other hard links is written in place, so that every name keeps seeing it (a
    rename would leave the other names on the old bytes).

    Not atomic, so a verified copy of the old bytes is written beside it first; if the write in
    place fails, the old bytes are put back from it, and the copy stays until the file reads back
    as `data` (an interrupted save leaves it, as a .wbtmp file, to recover from).
    """
    try:
        old = path.read_bytes()
    except OSError as error:
        raise SaveFailed(path, error, True) from error
    copy, fd = _open_temp(path, True)
    try:
        _write_fd(fd, old, None, path)
        if Path(copy).read_bytes() != old:
            raise OSError(5, "the safety copy did not read back as written")
    except BaseException as error:
        _remove_quietly(copy)
        if isinstance(error, OSError):
            raise SaveFailed(path, error, True) from error
        raise
    try:
        _overwrite(path, data, mode)
        if path.read_bytes() != data:
            raise OSError(5, "the file did not read back as written")
    except OSError as error:
        try:
            _overwrite(path, old, None)
        except OSError:
            raise WorkbenchError(f"Could not save {path}: {error.strerror or error}, nor put its old bytes "
                                 f"back; they are kept in {copy}.") from error
        _remove_quietly(copy)
        raise SaveFailed(path, error, True) from error
    _remove_quietly(copy)


def _overwrite(path: Path, data: bytes, mode: int | None) -> None:
    with open(path, "r+b") as stream:
        stream.write(data)
        stream.truncate()
        stream.flush()
        os.fsync(stream.fileno())
        if mode is not None:
            os.fchmod(stream.fileno(), mode)


STALE_TEMP_S = 24 * 3600.0
"""A temp file older than this is left over from an interrupted save, not one in progress."""


def remove_stale_temp_files(folders: Iterable[Path], older_than: float = STALE_TEMP_S) -> list[Path]:
    """Remove temp files that interrupted saves left anywhere under `folders` (run at start-up)."""
    removed = []
    cutoff = time.time() - older_than
    for folder in folders:
        for dirpath, _dirs, names in os.walk(folder):
            for name in names:
                path = Path(dirpath, name)
                if is_temp_file(name) and _older_than(path, cutoff):
                    path.unlink(missing_ok=True)
                    removed.append(path)
    return sorted(removed)


def _older_than(path: Path, cutoff: float) -> bool:
    try:
        info = path.lstat()
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_mtime < cutoff


def _absolute(path: Path, root: Path) -> Path:
    return Path(path) if Path(path).is_absolute() else Path(root) / path


def _decoded(path: Path, target: Path, raw: bytes, mode: int) -> LoadedFile:
    """Turn raw bytes into editor text, remembering the BOM and the dominant line ending."""
    bom = raw.startswith(codecs.BOM_UTF8)
    body = raw[len(codecs.BOM_UTF8):] if bom else raw
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        offset = error.start + (len(raw) - len(body))
        raise NotUtf8(path, offset, raw[offset]) from error
    crlf = text.count("\r\n")
    newline = "\r\n" if crlf > text.count("\n") - crlf else "\n"
    text = text.replace("\r\n", "\n")
    return LoadedFile(path, target, text, newline, bom, digest_bytes(raw), mode)


def _encoded(text: str, newline: str, bom: bool) -> bytes:
    data = text.replace("\n", newline).encode("utf-8")
    return codecs.BOM_UTF8 + data if bom else data


def _open_temp(path: Path, private: bool) -> tuple[str, int]:
    """Create the temp file exclusively beside `path`; 0o600 until its final mode is set."""
    name = os.fsdecode(os.fsencode(path.name)[:_MAX_NAME_BYTES])
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
    for _ in range(100):
        temp = os.path.join(path.parent, f".{name}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
        try:
            return temp, os.open(temp, flags, 0o600 if private else _NEW_FILE_MODE)
        except FileExistsError:
            continue
        except OSError as error:
            raise SaveFailed(path, error, path.exists()) from error
    raise SaveFailed(path, FileExistsError(17, "no free temp file name"), path.exists())


def _write_fd(fd: int, data: bytes, mode: int | None, path: Path) -> None:
    """Write everything, set mode and owner, and fsync before the rename makes it visible."""
    with open(fd, "wb", closefd=True) as handle:
        _keep_owner(fd, path)  # before fchmod: a change of owner clears set-id bits
        if mode is not None:
            os.fchmod(fd, mode)
        handle.write(data)
        handle.flush()
        os.fsync(fd)


def _keep_owner(fd: int, path: Path) -> None:
    """A save by root (say in a container) must not hand the user's file over to root."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return
    if (info.st_uid, info.st_gid) != (os.geteuid(), os.getegid()):
        try:
            os.fchown(fd, info.st_uid, info.st_gid)
        except PermissionError:
            pass  # an ordinary user cannot give files away; the group may still differ


def _remove_quietly(temp: str) -> None:
    """Remove a temp file during cleanup, where a second error must not hide the first."""
    try:
        os.unlink(temp)
    except OSError:
        pass


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable; best effort, since the new bytes are already in place."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems cannot fsync a folder; the save itself has succeeded
    finally:
        os.close(fd)
