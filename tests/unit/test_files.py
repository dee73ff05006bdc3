"""Loading and saving a user's files: round trips keep every byte's meaning, external changes are
never overwritten silently, and failures (full disk, kill -9) never damage the original.

Everything runs on real files; failures are made real too (a file-size limit, SIGKILL)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tui.core.errors import WorkbenchError
from tui.core.files import (
    FileChangedOnDisk,
    NotUtf8,
    OutsideProject,
    ReadOnlyFile,
    SaveFailed,
    atomic_write_bytes,
    remove_stale_temp_files,
    create_text_file,
    is_temp_file,
    load_text_file,
    save_text_file,
)

ROOT = Path(__file__).resolve().parents[2]
BOM = b"\xef\xbb\xbf"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "models").mkdir(parents=True)
    return root


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".wbtmp"))


def edit_and_save(path: Path, root: Path, edit) -> bytes:
    """Load, edit the text, save, and return the bytes now on disk."""
    loaded = load_text_file(path, root)
    saved = save_text_file(loaded, edit(loaded.text), root)
    assert saved is not None
    assert saved == load_text_file(path, root)  # what save returns is what a reload sees
    return path.read_bytes()


# --- round trips -------------------------------------------------------------------------------

ROUND_TRIPS = {
    "lf": (b"select 1\nfrom x\n", "\n", False),
    "crlf": (b"select 1\r\nfrom x\r\n", "\r\n", False),
    "bom_crlf": (BOM + b"select 1\r\nfrom x\r\n", "\r\n", True),
    "no_trailing_newline": (b"select 1\nfrom x", "\n", False),
    "no_newline_at_all": (b"select 1", "\n", False),
    "unicode": ("-- café 日本 🦆\nselect 'ü' as x\n".encode(), "\n", False),
}


@pytest.mark.parametrize("name", ROUND_TRIPS)
def test_load_normalises_and_save_restores_the_style(project: Path, name: str) -> None:
    raw, newline, bom = ROUND_TRIPS[name]
    path = write(project / "models" / "m.sql", raw)
    loaded = load_text_file(path, project)
    assert (loaded.newline, loaded.bom) == (newline, bom)
    assert "\r" not in loaded.text and "\ufeff" not in loaded.text
    after = edit_and_save(path, project, lambda text: "-- edited\n" + text)
    body = raw[len(BOM):] if bom else raw
    assert after == (BOM if bom else b"") + f"-- edited{newline}".encode() + body


def test_mixed_line_endings_keep_the_dominant_one(project: Path) -> None:
    path = write(project / "models" / "m.sql", b"a\r\nb\r\nc\nd\r\n")
    assert load_text_file(path, project).newline == "\r\n"
    assert edit_and_save(path, project, lambda t: t + "e\n") == b"a\r\nb\r\nc\r\nd\r\ne\r\n"
    path.write_bytes(b"a\nb\nc\r\n")
    assert load_text_file(path, project).newline == "\n"


def test_text_from_the_editor_with_crlf_is_not_doubled(project: Path) -> None:
    path = write(project / "models" / "m.sql", b"a\r\n")
    assert edit_and_save(path, project, lambda t: "b\r\n" + t) == b"b\r\na\r\n"


def test_unchanged_buffer_writes_nothing(project: Path) -> None:
    path = write(project / "models" / "m.sql", b"select 1\r\n")
    before = path.stat()
    loaded = load_text_file(path, project)
    assert save_text_file(loaded, loaded.text, project) is None
    assert save_text_file(loaded, loaded.text, project, overwrite_external=True) is None
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_mode_is_kept(project: Path) -> None:
    path = write(project / "models" / "m.sql", b"select 1\n")
    path.chmod(0o640)
    loaded = load_text_file(path, project)
    assert loaded.mode == 0o640
    saved = save_text_file(loaded, "select 2\n", project)
    assert saved is not None and saved.mode == 0o640
    assert path.stat().st_mode & 0o7777 == 0o640
    assert temp_files(path.parent) == []


def test_save_through_a_symlink_updates_the_target_and_keeps_the_link(project: Path) -> None:
    real = write(project / "shared" / "real.sql", b"select 1\n")
    link = project / "models" / "m.sql"
    link.symlink_to(Path("..") / "shared" / "real.sql")
    loaded = load_text_file(link, project)
    assert loaded.path == link and loaded.target == real.resolve()
    save_text_file(loaded, "select 2\n", project)
    assert link.is_symlink() and os.readlink(link) == str(Path("..") / "shared" / "real.sql")
    assert real.read_bytes() == b"select 2\n"


def test_symlink_out_of_the_project_is_refused(project: Path, tmp_path: Path) -> None:
    outside = write(tmp_path / "elsewhere" / "secret.sql", b"select 1\n")
    link = project / "models" / "m.sql"
    link.symlink_to(outside)
    with pytest.raises(OutsideProject, match="outside the project") as caught:
        load_text_file(link, project)
    assert str(outside) in str(caught.value)
    with pytest.raises(OutsideProject):
        load_text_file(Path("models/../../elsewhere/secret.sql"), project)


def test_symlink_retargeted_outside_after_load_is_not_written(project: Path, tmp_path: Path) -> None:
    write(project / "models" / "real.sql", b"select 1\n")
    outside = write(tmp_path / "elsewhere.sql", b"keep me\n")
    link = project / "models" / "m.sql"
    link.symlink_to("real.sql")
    loaded = load_text_file(link, project)
    link.unlink()
    link.symlink_to(outside)
    with pytest.raises(OutsideProject):
        save_text_file(loaded, "select 2\n", project, overwrite_external=True)
    assert outside.read_bytes() == b"keep me\n"


def test_relative_paths_are_relative_to_the_project(project: Path) -> None:
    write(project / "models" / "m.sql", b"select 1\n")
    loaded = load_text_file(Path("models/m.sql"), project)
    assert loaded.target == (project / "models" / "m.sql").resolve()
    save_text_file(loaded, "select 2\n", project)
    assert (project / "models" / "m.sql").read_bytes() == b"select 2\n"


@pytest.mark.parametrize(("raw", "offset"), [(b"select 1\n\xff\n", 9), (BOM + b"ok\xc3(", 5)])
def test_non_utf8_names_the_byte_and_offset(project: Path, raw: bytes, offset: int) -> None:
    path = write(project / "models" / "m.sql", raw)
    with pytest.raises(NotUtf8) as caught:
        load_text_file(path, project)
    assert caught.value.offset == offset
    assert f"offset {offset}" in str(caught.value) and f"0x{raw[offset]:02X}" in str(caught.value)
    assert "read-only" in str(caught.value) and str(path) in str(caught.value)


def test_missing_file_folder_or_fifo_raises_a_plain_message(project: Path) -> None:
    with pytest.raises(WorkbenchError, match="No such file"):
        load_text_file(project / "models" / "nope.sql", project)
    with pytest.raises(WorkbenchError, match="not a regular file"):
        load_text_file(project / "models", project)
    os.mkfifo(project / "models" / "pipe.sql")
    with pytest.raises(WorkbenchError, match="not a regular file"):
        load_text_file(project / "models" / "pipe.sql", project)


# --- external changes --------------------------------------------------------------------------

def test_change_on_disk_after_load_is_not_overwritten(project: Path) -> None:
    path = write(project / "models" / "m.sql", b"select 1\n")
    loaded = load_text_file(path, project)
    path.write_bytes(b"select 'from vim'\n")
    with pytest.raises(FileChangedOnDisk, match="changed on disk") as caught:
        save_text_file(loaded, "select 2\n", project)
    assert caught.value.current == b"select 'from vim'\n"
    assert path.read_bytes() == b"select 'from vim'\n"
    with pytest.raises(FileChangedOnDisk):  # saving the unedited buffer is a conflict too
        save_text_file(loaded, loaded.text, project)


def test_deleted_file_is_reported_and_not_recreated(project: Path) -> None:
    path = write(project / "models" / "m.sql", b"select 1\n")
    loaded = load_text_file(path, project)
    path.unlink()
    with pytest.raises(FileChangedOnDisk, match="deleted") as caught:
        save_text_file(loaded, "select 2\n", project)
    assert caught.value.current is None
    assert not path.exists()


def test_overwrite_external_writes_and_recreates(project: Path) -> None:
    path = write(project / "models" / "m.sql", b"select 1\r\n")
    path.chmod(0o600)
    loaded = load_text_file(path, project)
    path.write_bytes(b"theirs\n")
    saved = save_text_file(loaded, "mine\n", project, overwrite_external=True)
    assert path.read_bytes() == b"mine\r\n" and saved is not None
    path.unlink()
    save_text_file(saved, "again\n", project, overwrite_external=True)
    assert path.read_bytes() == b"again\r\n"
    assert path.stat().st_mode & 0o7777 == 0o600


# --- read-only files ---------------------------------------------------------------------------

def test_read_only_file_is_refused_even_for_root(project: Path) -> None:
    path = write(project / "models" / "m.sql", b"select 1\n")
    loaded = load_text_file(path, project)
    path.chmod(0o444)
    with pytest.raises(ReadOnlyFile, match="the file is read-only"):
        save_text_file(loaded, "select 2\n", project)
    assert path.read_bytes() == b"select 1\n"
    assert path.stat().st_mode & 0o7777 == 0o444


def test_read_only_folder_is_refused(project: Path) -> None:
    path = write(project / "models" / "m.sql", b"select 1\n")
    loaded = load_text_file(path, project)
    path.parent.chmod(0o555)
    try:
        with pytest.raises(ReadOnlyFile, match="its folder is read-only"):
            save_text_file(loaded, "select 2\n", project)
    finally:
        path.parent.chmod(0o755)
    assert path.read_bytes() == b"select 1\n" and temp_files(path.parent) == []


# --- failures of the write itself ----------------------------------------------------------------

FULL_DISK_CHILD = """
import resource, signal, sys
from pathlib import Path
from tui.core.files import SaveFailed, load_text_file, save_text_file
path, root, limit = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
loaded = load_text_file(path, root)
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
try:
    save_text_file(loaded, "select 2 as x\\n" * 20_000, root)
except SaveFailed as error:
    print(error)
    sys.exit(3)
"""


def test_full_disk_leaves_the_original_and_no_temp_file(project: Path) -> None:
    original = b"select 1 as x\r\n" * 500
    path = write(project / "models" / "m.sql", original)
    child = subprocess.run([sys.executable, "-c", FULL_DISK_CHILD, str(path), str(project), "65536"],
                           cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert child.returncode == 3, child.stderr
    assert "File too large" in child.stdout and "original file is unchanged" in child.stdout
    assert path.read_bytes() == original
    assert temp_files(path.parent) == []


def test_failed_rename_removes_the_temp_file(project: Path) -> None:
    folder = project / "models" / "m.sql"
    folder.mkdir()  # os.replace cannot put a file over a folder
    with pytest.raises(SaveFailed, match="Is a directory"):
        atomic_write_bytes(folder, b"select 1\n")
    assert folder.is_dir() and temp_files(project / "models") == []


KILL_CHILD = """
import sys
from pathlib import Path
from tui.core.files import load_text_file, save_text_file
path, root = Path(sys.argv[1]), Path(sys.argv[2])
texts = [(path.name + str(i)) * 400_000 + "\\n" for i in (0, 1)]
print("ready", flush=True)
for turn in range(10_000):
    save_text_file(load_text_file(path, root), texts[turn % 2], root)
    print("saved", flush=True)
"""


def test_kill_during_saves_leaves_old_or_new_content(project: Path) -> None:
    path = write(project / "models" / "m.sql", b"")
    versions = {(path.name + str(i)).encode() * 400_000 + b"\n" for i in (0, 1)}
    path.write_bytes(next(iter(versions)))
    rng = random.Random(1234)
    for _ in range(20):
        child = subprocess.Popen([sys.executable, "-c", KILL_CHILD, str(path), str(project)],
                                 cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None and child.stdout.readline() == "ready\n"
        for _ in range(rng.randint(0, 3)):  # a few saves done: the kill lands in the next one
            assert child.stdout.readline() == "saved\n"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
        assert path.read_bytes() in versions
        assert all(is_temp_file(name) for name in temp_files(path.parent))
    assert [p.name for p in path.parent.iterdir() if not is_temp_file(p.name)] == ["m.sql"]


# --- creating files ----------------------------------------------------------------------------

def test_create_makes_folders_and_refuses_existing_or_outside(project: Path, tmp_path: Path) -> None:
    path = project / "models" / "marts" / "finance" / "_finance.yml"
    created = create_text_file(path, "version: 2\nmodels: []\n", project)
    assert path.read_bytes() == b"version: 2\nmodels: []\n"
    assert created == load_text_file(path, project)
    umask = os.umask(0)
    os.umask(umask)
    assert created.mode == 0o644 & ~umask
    with pytest.raises(WorkbenchError, match="already exists"):
        create_text_file(path, "other", project)
    assert path.read_bytes() == b"version: 2\nmodels: []\n"
    with pytest.raises(OutsideProject):
        create_text_file(tmp_path / "stray.yml", "x", project)
    assert not (tmp_path / "stray.yml").exists()


def test_create_refuses_a_dangling_symlink(project: Path) -> None:
    link = project / "models" / "x.yml"
    link.symlink_to("missing.yml")
    with pytest.raises(WorkbenchError, match="already exists"):
        create_text_file(link, "x", project)


# --- names and temp files ----------------------------------------------------------------------

def test_temp_file_names(project: Path) -> None:
    long_name = project / "models" / ("long_" * 49 + ".sql")  # 249 bytes: near NAME_MAX
    atomic_write_bytes(long_name, b"x")
    assert long_name.read_bytes() == b"x"
    assert is_temp_file(".stg_cases.sql.abc123.wbtmp")
    assert is_temp_file("._staging.yml.abc.wbtmp")
    for name in ("stg_cases.sql", ".stg_cases.sql", "x.wbtmp", ".x.wbtmp.sql", ".gitignore"):
        assert not is_temp_file(name), name


def test_stale_temp_files_are_removed_in_every_folder(project: Path) -> None:
    folder = project / "models"
    two_days_ago = time.time() - 2 * 24 * 3600
    old = write(folder / ".m.sql.aa11.wbtmp", b"x")
    deep_old = write(folder / "staging" / "crm" / "._crm.yml.cc33.wbtmp", b"x")
    for path in (old, deep_old):
        os.utime(path, (two_days_ago, two_days_ago))
    fresh = write(folder / ".m.sql.bb22.wbtmp", b"x")  # maybe a save in progress: kept
    keep = write(folder / "m.sql", b"x")
    os.utime(keep, (two_days_ago, two_days_ago))
    assert remove_stale_temp_files([folder]) == sorted([old, deep_old])
    assert fresh.exists() and keep.exists() and not old.exists() and not deep_old.exists()


def test_a_hard_linked_file_is_written_in_place_so_every_name_sees_it(project: Path) -> None:
    model = project / "models" / "m.sql"
    model.write_text("select 1\n")
    other = project / "shared.sql"
    os.link(model, other)
    inode = model.stat().st_ino
    loaded = load_text_file(model, project)
    save_text_file(loaded, "select 2\n", project)
    assert other.read_text() == "select 2\n" and model.read_text() == "select 2\n"
    assert model.stat().st_ino == inode and model.stat().st_nlink == 2
    assert not [p for p in (project / "models").iterdir() if is_temp_file(p.name)]  # the safety copy is gone


def test_a_failed_write_in_place_puts_the_old_bytes_back(project: Path) -> None:
    """RLIMIT_FSIZE makes the write in place fail half way, as a full disk would."""
    model = project / "models" / "m.sql"
    model.write_text("select 1\n")
    os.link(model, project / "shared.sql")
    script = f"""
import resource, signal, sys
from pathlib import Path
from tui.core.files import SaveFailed, load_text_file, save_text_file
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
root = Path({str(project)!r})
loaded = load_text_file(root / "models" / "m.sql", root)
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
try:
    save_text_file(loaded, "x" * 10000, root)
except SaveFailed as error:
    print("refused:", error)
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert "refused: Could not save" in result.stdout, result.stderr
    assert (project / "shared.sql").read_text() == "select 1\n" and model.read_text() == "select 1\n"
    assert not [p for p in (project / "models").iterdir() if is_temp_file(p.name)]
