"""Run `dbt build` on the demo project in a child process, streaming its output.

dbt is never imported here: its import alone takes seconds and an in-process DuckDB adapter can
keep the database file locked. The child gets its own process group so it can be stopped as a
whole, on timeout or Ctrl-C, and never outlives the caller.
"""

from __future__ import annotations

import collections
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Callable

from tui.core.errors import WorkbenchError

TAIL_LINES = 20
_GRACE_SECONDS = 5.0


def find_dbt() -> str:
    """The dbt installed beside this Python (same virtualenv) first, then the one on PATH."""
    beside = Path(sys.executable).parent / "dbt"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("dbt")
    if found is None:
        raise WorkbenchError(
            "dbt was not found: it is neither next to this Python nor on PATH. "
            "Install dbt-core and dbt-duckdb into the workbench's environment."
        )
    return found


def dbt_env(root: Path) -> dict[str, str]:
    """Point dbt at the demo's own profiles.yml and keep it from sending usage statistics."""
    env = dict(os.environ)
    env.update(DBT_PROFILES_DIR=str(root), DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    return env


def build_demo_project(root: Path, on_line: Callable[[str], None] | None = None,
                       timeout: float = 600) -> None:
    """Run `dbt build` in `root`; raise WorkbenchError with the output's tail if it fails."""
    root = Path(root).resolve()
    child = subprocess.Popen(
        [find_dbt(), "build", "--no-use-colors"], cwd=root, env=dbt_env(root),
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, encoding="utf-8", errors="replace", bufsize=1, start_new_session=True,
    )
    timed_out = threading.Event()
    timer = threading.Timer(timeout, lambda: (timed_out.set(), _stop(child)))
    timer.daemon = True
    timer.start()
    try:
        tail = _stream(child, on_line)
        code = child.wait()
    except BaseException:  # Ctrl-C or a failing on_line: the child must not outlive us
        _stop(child)
        raise
    finally:
        timer.cancel()
    if timed_out.is_set():
        # The tail would be the child's own interrupt traceback: noise, not a reason.
        raise WorkbenchError(f"dbt build did not finish within {timeout:g} s and was stopped.")
    if code != 0:
        raise WorkbenchError(f"dbt build failed (exit code {code}). Last lines of its output:\n"
                             + "\n".join(tail))


def _stream(child: subprocess.Popen[str], on_line: Callable[[str], None] | None) -> list[str]:
    """Hand each line to on_line as it arrives; keep the last few for an error message."""
    tail: collections.deque[str] = collections.deque(maxlen=TAIL_LINES)
    assert child.stdout is not None
    with child.stdout:
        for raw in child.stdout:
            line = raw.rstrip("\r\n")
            tail.append(line)
            if on_line is not None:
                on_line(line)
    return list(tail)


def _stop(child: subprocess.Popen[str]) -> None:
    """Interrupt the child's process group (dbt cleans up on SIGINT), then kill it if it lingers."""
    for sig in (signal.SIGINT, signal.SIGKILL):
        if child.poll() is not None:
            return
        try:
            os.killpg(child.pid, sig)
        except ProcessLookupError:
            return
        try:
            child.wait(_GRACE_SECONDS)
            return
        except subprocess.TimeoutExpired:
            continue
