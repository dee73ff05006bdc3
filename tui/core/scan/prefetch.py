"""Scan the models in a forked child while the parent imports and starts the UI.

Importing Textual and building the first screen take about as long as scanning a 5,000-model
project, and both are CPU work that one Python process would do one after the other. A child
forked before those imports uses the second core; the parent picks the result up when the
screen is ready for it. Any failure (no fork, a crash, a bad pickle) means "scan normally".
"""

from __future__ import annotations

import os
import pickle
from typing import Callable

from tui.core.project.records import ProjectScan


class ScanPrefetch:
    """A scan running in a child process; `result()` waits for it once, then returns None."""

    def __init__(self, pid: int, read_fd: int) -> None:
        self._pid = pid
        self._read_fd: int | None = read_fd

    @classmethod
    def start(cls, scan: Callable[[], ProjectScan]) -> ScanPrefetch | None:
        """Fork a child that runs `scan` and sends the pickled result back through a pipe."""
        if not hasattr(os, "fork"):
            return None
        read_fd, write_fd = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_fd)
            os.close(write_fd)
            return None
        if pid == 0:  # the child: scan, send, and leave without running the parent's cleanup
            os.close(read_fd)
            _run_child(scan, write_fd)
        os.close(write_fd)
        return cls(pid, read_fd)

    def result(self) -> ProjectScan | None:
        """The child's scan, or None when it failed or was already taken."""
        if self._read_fd is None:
            return None
        fd, self._read_fd = self._read_fd, None
        try:
            with os.fdopen(fd, "rb") as stream:
                payload = stream.read()
            scan = pickle.loads(payload) if payload else None
        except Exception:  # a broken child must never break the app: scan in-process instead
            scan = None
        finally:
            _reap(self._pid)
        return scan if isinstance(scan, ProjectScan) else None


def _run_child(scan: Callable[[], ProjectScan], write_fd: int) -> None:
    code = 0
    try:
        payload = pickle.dumps(scan(), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_fd, "wb") as stream:
            stream.write(payload)
    except BaseException:
        code = 1
    os._exit(code)


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
