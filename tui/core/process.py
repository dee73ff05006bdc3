"""The one way the workbench starts a child process: argv only, streamed, stoppable, never orphaned.

Every child (the demo's `dbt build`, the project lint, dbt jobs) goes through `run_child`:
- argv is a list of strings and no shell is involved, so no name can smuggle in a command;
- the child gets its own process group, so a stop reaches it and everything it forked;
- stdout and stderr are read while it runs, line by line (a pipe read only after exit blocks the
  child for ever once it writes 64 KiB);
- stopping is SIGINT (dbt cleans up), then SIGTERM, then SIGKILL, each after a grace period;
- every live child is in one registry, and `end_all_children` (called at exit, on SIGTERM and on
  SIGHUP, see `guard_children`) stops them all, so none outlives the process that started it; a
  signal that comes while the main thread starts a child waits until the child is registered.
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import os
import queue
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Mapping, Sequence

from tui.core.process_output import OutputStreams

TAIL_LINES = 20
STOP_GRACE_S = (5.0, 3.0)
"""Seconds to wait after SIGINT, then after SIGTERM, before the next signal."""
_POLL_S = 0.1
EXIT_DEADLINE_S = 5

LineHandler = Callable[[str], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class ChildResult:
    """How a child ended: its exit code, what it printed, and whether we stopped it."""

    argv: tuple[str, ...]
    returncode: int
    stdout: bytes
    tail: tuple[str, ...]
    """The last lines of output (stderr, or both streams when merged), for error messages."""
    stopped: str | None = None
    """None when it ended by itself; 'cancelled' or 'timeout' when it was stopped."""

    @property
    def ok(self) -> bool:
        return self.stopped is None and self.returncode == 0


class _Registry:
    """The children alive now, by PID; thread-safe."""

    def __init__(self) -> None:
        self._children: dict[int, subprocess.Popen[bytes]] = {}
        self._lock = threading.Lock()

    def add(self, child: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._children[child.pid] = child

    def remove(self, child: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._children.pop(child.pid, None)

    def alive(self) -> list[subprocess.Popen[bytes]]:
        with self._lock:
            return list(self._children.values())


_LIVE = _Registry()


def live_child_pids() -> list[int]:
    """PIDs of the children started here that have not been reaped (for tests and diagnostics)."""
    return [child.pid for child in _LIVE.alive()]


def run_child(
    argv: Sequence[str],
    *,
    cwd: Path | str | None = None,
    env: Mapping[str, str] | None = None,
    on_line: LineHandler | None = None,
    keep_stdout: bool = False,
    merge_stderr: bool = False,
    cancelled: Cancelled | None = None,
    timeout: float | None = None,
    grace: tuple[float, float] = STOP_GRACE_S,
    stdin_path: Path | None = None,
) -> ChildResult:
    """Run argv to the end, streaming its output; stop it when `cancelled()` turns true or on timeout.

    `stdin_path`: a file the child reads as its input (none: /dev/null).

    `on_line` gets each output line (without its newline) as it arrives, from this thread.
    `keep_stdout` keeps stdout's bytes for the result (the lint's JSON); otherwise only the tail.
    If this thread is interrupted (Ctrl-C, an error in `on_line`), the child is stopped first.
    """
    args = _checked_argv(argv)
    with _signals_held(), (open(stdin_path, "rb") if stdin_path is not None else contextlib.nullcontext(subprocess.DEVNULL)) as stdin:
        child = subprocess.Popen(
            args,
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT if merge_stderr else subprocess.PIPE,
            process_group=0,
            close_fds=True,
        )
        _LIVE.add(child)
    try:
        streams = OutputStreams(child, on_line, keep_stdout, TAIL_LINES)
        deadline = None if timeout is None else time.monotonic() + timeout
        stopped = streams.pump(lambda: _should_stop(cancelled, deadline)) or _wait(child, cancelled, deadline)
        if stopped is not None:
            stop_child(child, grace)
            streams.drain()
        code = child.wait()
    except BaseException:
        stop_child(child, grace)
        raise
    finally:
        _LIVE.remove(child)
    return ChildResult(tuple(args), code, streams.stdout(), streams.tail(), stopped)


class ServedChild:
    """A child that serves requests for as long as its caller wants (the warm dbt worker): lines
    in on stdin, lines out on stdout (stderr merged), read by a thread of its own into a queue.
    Registered like every child, so `end_all_children` stops it and everything it forked."""

    EOF = None

    def __init__(self, argv: Sequence[str], *, cwd: Path | str | None = None, env: Mapping[str, str] | None = None) -> None:
        args = _checked_argv(argv)
        with _signals_held():
            self.child = subprocess.Popen(
                args,
                cwd=cwd,
                env=dict(env) if env is not None else None,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                process_group=0,
                close_fds=True,
            )
            _LIVE.add(self.child)
        self.lines: queue.Queue[str | None] = queue.Queue()
        self._tail: collections.deque[str] = collections.deque(maxlen=TAIL_LINES)
        threading.Thread(target=self._read, name=f"served-child-{self.child.pid}", daemon=True).start()

    @property
    def pid(self) -> int:
        return self.child.pid

    @property
    def alive(self) -> bool:
        return self.child.poll() is None

    def _read(self) -> None:
        assert self.child.stdout is not None
        for raw in self.child.stdout:
            line = raw.rstrip(b"\r\n").decode("utf-8", errors="replace")
            self._tail.append(line)
            self.lines.put(line)
        self.lines.put(self.EOF)

    def send(self, line: str) -> bool:
        """One request line; False when the child is gone."""
        try:
            assert self.child.stdin is not None
            self.child.stdin.write(line.encode() + b"\n")
            self.child.stdin.flush()
            return True
        except (BrokenPipeError, ValueError, OSError):
            return False

    def next_line(self, timeout: float) -> str | None | bool:
        """The next output line, `EOF` (None) once the child closed its output, False on timeout."""
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            return False

    def tail(self) -> tuple[str, ...]:
        return tuple(self._tail)

    def stop(self, grace: tuple[float, float] = STOP_GRACE_S) -> None:
        """End it and everything it forked; it is out of the registry afterwards. Its stdin is
        closed first: a server that ends on end of input needs no signal."""
        try:
            with contextlib.suppress(OSError, ValueError):
                assert self.child.stdin is not None
                self.child.stdin.close()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.child.wait(1.0)
            stop_child(self.child, grace)
        finally:
            _LIVE.remove(self.child)


def _should_stop(cancelled: Cancelled | None, deadline: float | None) -> str | None:
    if cancelled is not None and cancelled():
        return "cancelled"
    if deadline is not None and time.monotonic() >= deadline:
        return "timeout"
    return None


def _wait(child: subprocess.Popen[bytes], cancelled: Cancelled | None, deadline: float | None) -> str | None:
    """Wait for the exit (a child may close its pipes and go on running), still stoppable."""
    while True:
        try:
            child.wait(_POLL_S)
            return None
        except subprocess.TimeoutExpired:
            stop = _should_stop(cancelled, deadline)
            if stop is not None:
                return stop


def _checked_argv(argv: Sequence[str]) -> list[str]:
    if isinstance(argv, (str, bytes)) or not argv:
        raise ValueError("a child's command is a non-empty list of arguments, never one string")
    args = [os.fspath(arg) for arg in argv]
    if not all(isinstance(arg, str) for arg in args):
        raise TypeError(f"every argument must be text: {args!r}")
    return args


def stop_child(child: subprocess.Popen[bytes], grace: tuple[float, float] = STOP_GRACE_S) -> None:
    """SIGINT, then SIGTERM, then SIGKILL to the child's process group, until it has exited."""
    steps = ((signal.SIGINT, grace[0]), (signal.SIGTERM, grace[1]), (signal.SIGKILL, 5.0))
    for sig, wait_s in steps:
        if child.poll() is not None:
            break
        _signal_group(child.pid, sig)
        try:
            child.wait(wait_s)
            break
        except subprocess.TimeoutExpired:
            continue
    _signal_group(child.pid, signal.SIGKILL)  # anything the child forked and left behind


def _signal_group(pid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def end_all_children(grace: tuple[float, float] = (1.0, 1.0)) -> None:
    """Stop every child still running (at exit, or when the terminal goes away)."""
    for child in _LIVE.alive():
        stop_child(child, grace)


_guarded = False


def guard_children(on_signal: Callable[[int], None] | None = None, first: Callable[[int], object] | None = None) -> None:
    """Make sure no child outlives this process: at exit, and on SIGTERM and SIGHUP.

    On those signals `first(signum)` runs before anything else (the app keeps unsaved edits: it
    is quick, and stopping children can take seconds), then the children are stopped; then
    `on_signal(signum)` runs (the app asks itself to exit), or, without one, the process exits
    with 128 + signum. Call it from the main thread once; later calls only replace the hooks.
    """
    global _guarded, _on_signal, _first
    _on_signal = on_signal
    _first = first
    if _guarded:
        return
    _guarded = True
    atexit.register(end_all_children)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _ended_by_signal)


_on_signal: Callable[[int], None] | None = None
_first: Callable[[int], object] | None = None
_main_starting = False
"""True while the main thread is between starting a child and registering it."""
_held: list[int] = []
"""A stop signal that came meanwhile, handled once the child is registered."""


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Start and register a child with SIGTERM/SIGHUP handling put off until it is in the registry.

    Handled in between (in Popen's wait for the exec, say), the signal would stop every child but
    this one, and the exit it raises would lose the child's PID: dbt would go on holding its files.
    Only the main thread needs this: Python runs signal handlers there and nowhere else.
    """
    global _main_starting
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _main_starting = True
    try:
        yield
    finally:
        _main_starting = False
        if _held:
            signum = _held.pop()
            _held.clear()
            signal.raise_signal(signum)  # handled now, with the child registered


def _ended_by_signal(signum: int, _frame) -> None:
    if _main_starting:
        _held.append(signum)
        return
    global _first
    if _first is not None:
        first, _first = _first, None  # once: a second signal must not keep the same edits twice
        try:
            first(signum)
        except Exception:  # noqa: BLE001 - nothing may keep the children from being stopped
            pass
    end_all_children()
    if _on_signal is None:
        raise SystemExit(128 + signum)
    _on_signal(signum)
    signal.alarm(EXIT_DEADLINE_S)  # should the orderly exit hang (no terminal left), SIGALRM ends it
