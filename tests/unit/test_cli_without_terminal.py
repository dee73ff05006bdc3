"""Without a terminal the app is not opened: a message and exit code 2 at once, never a spinning process.

Every case runs the real `dbt-workbench` with stdin on /dev/null or a pseudo-terminal that is not
the controlling one. Before the check, the app drew on the pipe and spun at 100% CPU for ever: the
subprocess timeout is what fails then.
"""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent / "dbt-workbench"
QUICK_S = 60
"""Far above the second the check takes, far below for ever."""


def run_without_terminal(*args: str, **streams) -> subprocess.CompletedProcess[str]:
    """The real CLI with stdin on /dev/null; TimeoutExpired (a failure) if it does not end."""
    options = {"stdin": subprocess.DEVNULL, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **streams}
    return subprocess.run([str(BIN), *args], text=True, timeout=QUICK_S, **options)


def assert_needs_terminal(result: subprocess.CompletedProcess[str], problem: str) -> None:
    assert result.returncode == 2, result.stderr
    assert f"dbt-workbench needs a terminal ({problem})" in result.stderr
    assert "dbt-workbench models DIR --json / dbt-workbench lint DIR" in result.stderr
    assert "Traceback" not in result.stderr
    assert "\x1b[" not in result.stderr  # nothing was drawn


def test_stdin_from_dev_null(custom_paths: Path) -> None:
    assert_needs_terminal(run_without_terminal(str(custom_paths)), "stdin is not a terminal")


def test_stdin_and_stdout_on_dev_null(custom_paths: Path) -> None:
    result = run_without_terminal("open", str(custom_paths), stdout=subprocess.DEVNULL)
    assert_needs_terminal(result, "stdin is not a terminal")


def test_new_session_without_controlling_terminal(custom_paths: Path) -> None:
    """As `setsid dbt-workbench DIR </dev/null`."""
    result = run_without_terminal(str(custom_paths), start_new_session=True)
    assert_needs_terminal(result, "stdin is not a terminal")


@pytest.fixture
def pty():
    """Both ends of a pseudo-terminal, open while the test runs (so the app would draw and wait)."""
    leader, follower = os.openpty()
    yield leader, follower
    os.close(follower)
    os.close(leader)


def read_all(fd: int) -> str:
    """What is waiting on a pty's leader side (the child has exited, so nothing more comes)."""
    chunks = []
    while select.select([fd], [], [], 0.5)[0]:
        chunks.append(os.read(fd, 65536))
    return b"".join(chunks).decode(errors="replace")


def test_a_terminal_that_is_not_the_controlling_one(custom_paths: Path, pty) -> None:
    """As `setsid dbt-workbench DIR` in a terminal: no SIGHUP would come when that terminal closes."""
    leader, follower = pty
    result = run_without_terminal(str(custom_paths), stdin=follower, stdout=follower, stderr=follower,
                                  start_new_session=True)
    assert result.returncode == 2
    shown = read_all(leader)
    assert "dbt-workbench needs a terminal (stdin is not the controlling terminal: started with setsid?)" in shown
    assert "\x1b[" not in shown  # nothing was drawn


def test_stdout_into_a_pipe(custom_paths: Path, pty) -> None:
    _, follower = pty
    result = run_without_terminal(str(custom_paths), stdin=follower, start_new_session=True)
    assert_needs_terminal(result, "stdout is not a terminal")


def test_stderr_into_a_file(custom_paths: Path, pty, tmp_path: Path) -> None:
    """Textual draws on stderr: with it in a log file the screen would go there, not to the terminal."""
    _, follower = pty
    with open(tmp_path / "log", "w") as log:
        result = run_without_terminal(str(custom_paths), stdin=follower, stdout=follower, stderr=log,
                                      start_new_session=True)
    result.stderr = (tmp_path / "log").read_text()
    assert_needs_terminal(result, "stderr is not a terminal")


def test_a_bad_project_is_still_reported_first(tmp_path: Path) -> None:
    result = run_without_terminal(str(tmp_path))
    assert result.returncode == 1
    assert "No dbt_project.yml in" in result.stderr and "needs a terminal" not in result.stderr


def test_models_and_lint_need_no_terminal(custom_paths: Path) -> None:
    models = run_without_terminal("models", str(custom_paths), "--json")
    assert models.returncode == 0, models.stderr
    assert len(json.loads(models.stdout)["models"]) == 8
    lint = run_without_terminal("lint", str(custom_paths), stdout=subprocess.PIPE)
    assert lint.returncode in (0, 1), lint.stderr  # 1 would be findings that are errors
    assert re.search(r"^\d+ findings \(\d+ errors, \d+ warnings\) in \d+ models$", lint.stdout, re.M)
    assert "needs a terminal" not in models.stderr + lint.stderr


def test_help_says_what_happens_without_a_terminal() -> None:
    result = run_without_terminal("--help")
    assert result.returncode == 0
    assert "without one it exits with code 2" in result.stdout
    assert "terminal it only builds it, says so and exits 0" in result.stdout
