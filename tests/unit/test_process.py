"""The one child-process runner: streamed output, large output, stop escalation, process groups, no orphans.

Every child here is a real process; PIDs are checked in /proc.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from tui.core.process import end_all_children, live_child_pids, run_child

PY = sys.executable
ROOT = Path(__file__).resolve().parents[2]


def alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def python(code: str) -> list[str]:
    return [PY, "-c", textwrap.dedent(code)]


def test_lines_arrive_while_the_child_runs(tmp_path: Path) -> None:
    """The child waits for a file that only the handler of its first line creates."""
    go = tmp_path / "go"
    child = python(f"""
        import os, threading
        print("ready", flush=True)
        while not os.path.exists({str(go)!r}):
            threading.Event().wait(0.01)
        print("done")
    """)
    lines: list[str] = []

    def on_line(line: str) -> None:
        lines.append(line)
        if line == "ready":
            go.touch()

    result = run_child(child, on_line=on_line, timeout=30)
    assert result.ok and result.stopped is None
    assert lines == ["ready", "done"]


def test_megabytes_on_both_pipes_do_not_block(tmp_path: Path) -> None:
    child = python("""
        import sys
        for i in range(20000):
            sys.stderr.write(f"progress {i}\\n")
            sys.stdout.write("x" * 99 + "\\n")
    """)
    result = run_child(child, keep_stdout=True, timeout=60)
    assert result.ok
    assert result.stdout == ("x" * 99 + "\n").encode() * 20000  # 2 MB, far past a pipe's 64 KiB
    assert result.tail[-1] == "progress 19999" and len(result.tail) == 20


def test_merged_output_keeps_the_tail_and_the_exit_code() -> None:
    child = python("""
        import sys
        print("to stdout")
        print("to stderr", file=sys.stderr, flush=True)
        sys.exit(3)
    """)
    lines: list[str] = []
    result = run_child(child, on_line=lines.append, merge_stderr=True)
    assert result.returncode == 3 and not result.ok
    assert sorted(lines) == ["to stderr", "to stdout"]


def test_a_string_command_is_refused() -> None:
    with pytest.raises(ValueError, match="list of arguments"):
        run_child("echo hello; rm -rf /")  # type: ignore[arg-type]


def test_cancel_sends_sigint_first(tmp_path: Path) -> None:
    child = python("""
        import signal, sys, threading
        def stop(*_): print("interrupted", flush=True); sys.exit(130)
        signal.signal(signal.SIGINT, stop)
        print("ready", flush=True)
        threading.Event().wait(60)
    """)
    ready = threading.Event()
    lines: list[str] = []

    def on_line(line: str) -> None:
        lines.append(line)
        ready.set()

    result = run_child(child, on_line=on_line, cancelled=ready.is_set, timeout=30)
    assert result.stopped == "cancelled"
    assert result.returncode == 130 and lines == ["ready", "interrupted"]


def test_a_child_ignoring_sigint_gets_sigterm_then_sigkill(tmp_path: Path) -> None:
    got_term = tmp_path / "got-term"
    child = python(f"""
        import signal, threading
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        def term(*_): open({str(got_term)!r}, "w").close()
        signal.signal(signal.SIGTERM, term)   # noted, and ignored
        print("ready", flush=True)
        while True:
            threading.Event().wait(0.05)
    """)
    ready = threading.Event()
    result = run_child(child, on_line=lambda _line: ready.set(), cancelled=ready.is_set, grace=(0.3, 0.3))
    assert result.stopped == "cancelled"
    assert got_term.exists()  # SIGTERM came after SIGINT was ignored
    assert result.returncode == -signal.SIGKILL  # and SIGKILL after SIGTERM was ignored


def test_stop_reaches_what_the_child_started(tmp_path: Path) -> None:
    """A child's own children are in its process group and are stopped with it."""
    child = python(f"""
        import subprocess, threading
        grandchild = subprocess.Popen([{PY!r}, "-c", "import threading; threading.Event().wait(60)"])
        print(grandchild.pid, flush=True)
        threading.Event().wait(60)
    """)
    pids: list[int] = []
    result = run_child(child, on_line=lambda line: line.isdigit() and pids.append(int(line)), cancelled=lambda: bool(pids))
    assert result.stopped == "cancelled" and len(pids) == 1
    assert not alive(pids[0])


def test_a_timeout_stops_the_child() -> None:
    result = run_child(python("import threading; threading.Event().wait(60)"), timeout=0.3, grace=(0.5, 0.5))
    assert result.stopped == "timeout" and result.returncode != 0
    assert live_child_pids() == []


def test_end_all_children_stops_every_running_child() -> None:
    started = threading.Event()
    results = []

    def run() -> None:
        results.append(run_child(python("print('up', flush=True); import threading; threading.Event().wait(60)"),
                                 on_line=lambda _line: started.set()))

    thread = threading.Thread(target=run)
    thread.start()
    assert started.wait(30)
    (pid,) = live_child_pids()
    end_all_children()
    thread.join(30)
    assert not alive(pid) and results[0].returncode != 0 and live_child_pids() == []


PARENT = """
import sys, threading
from tui.core.process import guard_children, live_child_pids, run_child
guard_children()
sleeper = [sys.executable, "-c", "import threading; threading.Event().wait(120)"]
threading.Thread(target=run_child, args=(sleeper,), daemon=True).start()
while not live_child_pids():
    threading.Event().wait(0.01)
print(live_child_pids()[0], flush=True)
sys.stdin.readline()  # the test has seen the child alive
how = sys.argv[1]
if how == "crash":
    raise RuntimeError("a bug in the app")
if how == "wait":
    threading.Event().wait(120)
"""


@pytest.mark.parametrize("how", ["quit", "crash", "SIGTERM", "SIGHUP"])
def test_no_child_outlives_the_process_that_started_it(how: str) -> None:
    mode = "wait" if how.startswith("SIG") else how
    parent = subprocess.Popen([PY, "-c", PARENT, mode], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        grandchild = int(parent.stdout.readline())
        assert alive(grandchild)
        parent.stdin.write("go\n")
        parent.stdin.flush()
        if how.startswith("SIG"):
            parent.send_signal(getattr(signal, how))
        code = parent.wait(30)
    finally:
        if parent.poll() is None:
            os.killpg(parent.pid, signal.SIGKILL)
    assert not alive(grandchild)
    expected = {"quit": 0, "crash": 1, "SIGTERM": 128 + signal.SIGTERM, "SIGHUP": 128 + signal.SIGHUP}[how]
    assert code == expected
