"""Reading a child's stdout and stderr while it runs (tui.core.process runs the child).

Both pipes are read as data arrives, without blocking on either: a pipe read only after exit
deadlocks once the child writes 64 KiB. stdout is kept as bytes for a caller that wants data
(the lint's JSON) or split into lines like stderr; the last lines are kept for error messages.
"""

from __future__ import annotations

import collections
import os
import selectors
import subprocess
import time
from typing import Callable

POLL_S = 0.1


class OutputStreams:
    """Reads the child's pipes as data arrives, splitting lines, without ever blocking on one pipe."""

    def __init__(self, child: subprocess.Popen[bytes], on_line: Callable[[str], None] | None, keep_stdout: bool, tail_lines: int) -> None:
        self.child = child
        self.on_line = on_line
        self.keep_stdout = keep_stdout
        self._kept = bytearray()
        self._partial: dict[int, bytes] = {}
        self._tail: collections.deque[str] = collections.deque(maxlen=tail_lines)
        self._selector = selectors.DefaultSelector()
        for stream in (child.stdout, child.stderr):
            if stream is not None:
                os.set_blocking(stream.fileno(), False)
                self._selector.register(stream, selectors.EVENT_READ)
        self._stdout_fd = child.stdout.fileno() if child.stdout is not None else -1

    def pump(self, should_stop: Callable[[], str | None]) -> str | None:
        """Read until both pipes close; returns what `should_stop` said ('cancelled', 'timeout')
        if it had to give up first."""
        while self._selector.get_map():
            stop = should_stop()
            if stop is not None:
                return stop
            for key, _ in self._selector.select(POLL_S):
                self._read(key.fileobj)
        return None

    def drain(self) -> None:
        """After a stop: take what is left in the pipes (the child has exited or been killed)."""
        end = time.monotonic() + 2.0
        while self._selector.get_map() and time.monotonic() < end:
            for key, _ in self._selector.select(POLL_S):
                self._read(key.fileobj)
        for key in list(self._selector.get_map().values()):
            self._close(key.fileobj)

    def _read(self, stream) -> None:
        fd = stream.fileno()
        try:
            data = os.read(fd, 65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self._close(stream)
            return
        if fd == self._stdout_fd and self.keep_stdout:
            self._kept.extend(data)  # data for the caller (JSON, say), not lines for people
            return
        self._lines(fd, data)

    def _lines(self, fd: int, data: bytes) -> None:
        pending = self._partial.pop(fd, b"") + data
        *complete, rest = pending.split(b"\n")
        if rest:
            self._partial[fd] = rest
        for raw in complete:
            self._emit(fd, raw)

    def _emit(self, fd: int, raw: bytes) -> None:
        line = raw.rstrip(b"\r").decode("utf-8", errors="replace")
        self._tail.append(line)
        if self.on_line is not None:
            self.on_line(line)

    def _close(self, stream) -> None:
        fd = stream.fileno()
        rest = self._partial.pop(fd, b"")
        if rest:
            self._emit(fd, rest)
        self._selector.unregister(stream)
        stream.close()

    def stdout(self) -> bytes:
        return bytes(self._kept)

    def tail(self) -> tuple[str, ...]:
        return tuple(self._tail)
