"""A SIGHUP or SIGTERM that comes while a child is being started still ends that child.

The handler used to run at once, between Popen and the registry: it stopped every child but the
new one and exited, and the new one (dbt, say) lived on as an orphan. Real processes; the signal
is sent inside the start-up window, where a real hang-up can land while Popen waits for the exec.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

PY = sys.executable
ROOT = Path(__file__).resolve().parents[2]

PARENT = """
import os, signal, subprocess, sys
from tui.core import process
process.guard_children()
sleeper = [sys.executable, "-c", "import threading; threading.Event().wait(120)"]
with process._signals_held():  # the window inside run_child, from fork to registration
    child = subprocess.Popen(sleeper, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, process_group=0)
    print(child.pid, flush=True)
    os.kill(os.getpid(), getattr(signal, sys.argv[1]))
    print("registering", flush=True)
    process._LIVE.add(child)
print("not reached: the signal ends this process", flush=True)
"""


def alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


@pytest.mark.parametrize("name", ["SIGHUP", "SIGTERM"])
def test_a_signal_during_the_start_waits_for_the_registry(name: str) -> None:
    parent = subprocess.run([PY, "-c", PARENT, name], cwd=ROOT, capture_output=True, text=True, timeout=60)
    lines = parent.stdout.splitlines()
    child = int(lines[0])
    try:
        assert lines[1:] == ["registering"], parent.stdout + parent.stderr
        assert parent.returncode == 128 + getattr(signal, name), parent.stderr
        assert not alive(child)  # end_all_children waited for it before the exit
    finally:
        if alive(child):
            os.killpg(child, signal.SIGKILL)


def test_outside_the_start_a_signal_is_handled_at_once() -> None:
    """The hold ends with the start: a later signal is not put off."""
    code = (
        "import os, signal\nfrom tui.core import process\nprocess.guard_children()\n"
        "with process._signals_held():\n    pass\n"
        "os.kill(os.getpid(), signal.SIGHUP)\nprint('not reached', flush=True)\n"
    )
    result = subprocess.run([PY, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 128 + signal.SIGHUP and result.stdout == ""
