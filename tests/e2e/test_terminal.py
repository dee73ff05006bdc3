"""The real thing: `dbt-workbench demo` from a shell, then the app in a real terminal under tmux."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
BIN = Path(sys.executable).parent / "dbt-workbench"


def run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """The CLI as a script runs it: no terminal at all (stdin on /dev/null, output in pipes)."""
    return subprocess.run([str(BIN), *args], stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="module")
def built_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("e2e") / "demo"
    result = run("demo", str(target), "--no-open")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "Demo project built." in result.stdout
    return target


def test_demo_command_builds_and_refuses_to_clobber(built_demo: Path, tmp_path: Path) -> None:
    assert (built_demo / "target" / "manifest.json").is_file()
    mine = tmp_path / "mine"
    shutil.copytree(built_demo, mine)
    model = mine / "models" / "marts" / "dim_cases.sql"
    edited = model.read_text() + "\n-- my edit\n"
    model.write_text(edited)
    again = run("demo", str(mine), "--no-open")
    assert again.returncode == 1
    assert "not empty" in again.stderr and "--overwrite" in again.stderr
    assert "Traceback" not in again.stderr
    assert model.read_text() == edited


def test_models_json_on_the_built_demo_uses_the_manifest(built_demo: Path) -> None:
    import json

    result = run("models", str(built_demo), "--json")
    data = json.loads(result.stdout)
    assert data["lineage"] == "manifest"  # dbt build wrote a manifest newer than the files
    names = {model["name"] for model in data["models"]}
    assert {"stg_cases", "int_case_decisions_joined", "fct_case_decisions", "dim_reviewers"} <= names


class Terminal:
    """A tmux session running one command, on a tmux server of its own (`-L`, no config file: a
    user's sessions, or another test's, never meet it); read with screen(), type with keys()."""

    def __init__(self, command: list[str], width: int, height: int) -> None:
        self.name = f"wb-{uuid.uuid4().hex[:8]}"
        self.socket = f"wb-term-{uuid.uuid4().hex[:8]}"
        self.tmux("new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height), *command, check=True)
        self.tmux("resize-window", "-t", self.name, "-x", str(width), "-y", str(height))

    def tmux(self, *args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
        env = {key: value for key, value in os.environ.items() if key not in ("TMUX", "TMUX_PANE")}
        return subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args], capture_output=True, text=True,
                              env=env, check=check, timeout=30)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name).stdout

    def keys(self, *keys: str) -> None:
        """One send-keys call; "-l", "text" sends the text literally."""
        self.tmux("send-keys", "-t", self.name, *keys, check=True)

    def wait_for(self, text: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.screen()}")

    def alive(self) -> bool:
        return self.tmux("has-session", "-t", self.name).returncode == 0

    def close(self) -> None:
        self.tmux("kill-server")


@pytest.fixture
def terminal_factory():
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    opened: list[Terminal] = []

    def open_terminal(command: list[str], width: int = 100, height: int = 30) -> Terminal:
        opened.append(Terminal(command, width, height))
        return opened[-1]

    yield open_terminal
    for terminal in opened:
        terminal.close()


def test_browse_filter_and_quit_in_tmux(built_demo: Path, terminal_factory) -> None:
    term = terminal_factory([str(BIN), str(built_demo)], 100, 30)
    shown = term.wait_for("with source as")  # stg_cases' SQL is open beside the tree
    assert "dbt-workbench · workbench_demo" in shown and "dev · duckdb" in shown
    assert "Marts (3)" in shown and "fct_case_decisions" in shown
    term.keys("/fct")  # one burst, as a fast typist sends it: nothing may be lost on the way

    shown = term.wait_for("1 match «fct»")
    assert "stg_reviewers" not in shown
    term.keys("Enter")
    term.wait_for("models/marts/fct_case_decisions.sql")
    term.keys("Escape")
    term.wait_for("stg_reviewers")  # the filter is cleared and the tree has the focus
    term.keys("q")
    deadline = time.monotonic() + 10
    while term.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not term.alive()


def test_80x24_shows_tabs(built_demo: Path, terminal_factory) -> None:
    term = terminal_factory([str(BIN), str(built_demo)], 80, 24)
    shown = term.wait_for("with source as")
    assert "SQL  YAML" in shown
    term.keys("v")
    shown = term.wait_for("- name: stg_cases")
    assert "with source as" not in shown


def test_demo_again_opens_the_existing_project(built_demo: Path, terminal_factory) -> None:
    term = terminal_factory([str(BIN), "demo", str(built_demo)], 100, 30)
    shown = term.wait_for("with source as")
    assert "dbt-workbench · workbench_demo" in shown
    term.keys("q")


def test_edit_and_save_in_tmux(built_demo: Path, tmp_path: Path, terminal_factory) -> None:
    mine = tmp_path / "mine"
    shutil.copytree(built_demo, mine)
    model = mine / "models" / "staging" / "stg_cases.sql"
    original = model.read_text()
    term = terminal_factory([str(BIN), str(mine)], 120, 30)
    term.wait_for("with source as")
    term.keys("e")
    term.keys("-l", "--", "-- typed in tmux")
    term.keys("Enter")
    term.wait_for("● models/staging/stg_cases.sql")
    term.keys("C-o")
    term.wait_for("Saved models/staging/stg_cases.sql")
    assert model.read_text() == "-- typed in tmux\n" + original


def test_demo_without_a_terminal_builds_and_says_how_to_open_it(tmp_path: Path) -> None:
    target = tmp_path / "demo"
    result = run("demo", str(target))  # no --no-open: it would open the app if it could
    assert result.returncode == 0, result.stderr + result.stdout
    assert "Demo project built." in result.stdout
    assert "Not opening it: dbt-workbench needs a terminal (stdin is not a terminal)" in result.stderr
    assert f"Open it from a terminal with: dbt-workbench {target}" in result.stderr
    again = run("demo", str(target), timeout=60)  # already there: nothing to build, still no app
    assert again.returncode == 0, again.stderr
    assert "already in" in again.stdout and "Not opening it" in again.stderr


HOLDS_THE_DATABASE = """\
import time


def model(dbt, session):
    time.sleep(600)  # dbt build stays on this model, with demo.duckdb open, until it is stopped
    return session.sql("select 1 as id")
"""


def _stat(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command name: state, ppid, pgrp, ..."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _running(pid: int) -> bool:
    """Alive (a zombie, say one whose parent died first and init has not reaped yet, is gone)."""
    try:
        return _stat(pid)[0] not in ("Z", "X")
    except OSError:
        return False


def _processes(field: int, value: int) -> list[int]:
    """The running processes whose stat field (1: parent, 2: process group) is value."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and _stat(int(entry.name))[field] == str(value) and _running(int(entry.name)):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _holds(pid: int, path: Path) -> bool:
    """Whether the process has the file open."""
    try:
        fds = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False
    return any(_readlink(fd) == str(path) for fd in fds)


def _readlink(fd: Path) -> str:
    try:
        return os.readlink(fd)
    except OSError:
        return ""


def _poll(condition, timeout: float, what: str):  # noqa: ANN001
    """condition()'s first true value, checked every 0.1 s until the deadline."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"{what} within {timeout:g} s")


@pytest.mark.parametrize("hang_up", ["SIGHUP", "kill-session"])
def test_a_hang_up_during_the_demo_build_ends_dbt(hang_up: str, tmp_path: Path, terminal_factory) -> None:
    """The terminal goes away while dbt holds demo.duckdb: dbt ends too and the file can be opened.

    A Python model that sleeps keeps the build running, so a dbt that survived is still there at
    the deadline (without it, dbt would finish on its own and hide the orphan).
    """
    import duckdb

    target = (tmp_path / "demo").resolve()
    (target / "models").mkdir(parents=True)
    (target / "models" / "zz_holds_the_database.py").write_text(HOLDS_THE_DATABASE)
    term = terminal_factory([str(BIN), "demo", str(target), "--overwrite"], 160, 30)
    shown = term.tmux("display", "-p", "-t", term.name, "#{pane_pid}")
    workbench = int(shown.stdout)
    term.wait_for("START python table model main.zz_holds_the_database", timeout=60)
    database = target / "demo.duckdb"
    (dbt,) = _poll(lambda: [pid for pid in _processes(1, workbench) if _holds(pid, database)], 10, "dbt never held demo.duckdb")
    try:
        if hang_up == "SIGHUP":
            os.kill(workbench, signal.SIGHUP)  # as sshd does when the connection drops
        else:
            term.close()  # tmux closes the pane's terminal

        def gone() -> bool:
            """dbt's process group (dbt and all it started) and dbt-workbench have ended."""
            return not _processes(2, dbt) and not _running(workbench)

        _poll(gone, 20, "dbt, what it started or dbt-workbench still running")
        duckdb.connect(str(database)).close()  # read-write: no lock is held on it any more
    finally:
        if _processes(2, dbt):
            os.killpg(dbt, signal.SIGKILL)
