"""One DuckDB file, one user at a time within this process.

A dbt job writes the file and needs it free; the app's own reads (columns for the duplicate
finder, failing rows, previews) open it read-only for a moment. DuckDB refuses a writer while a
reader holds the file, so both take this turn: a read waits for the job, a job for the read.
Other processes (a notebook, the dbt CLI) cannot be ordered this way; their lock is reported by
PID instead.
"""

from __future__ import annotations

import threading

from contextlib import contextmanager
from typing import Iterator

from tui.core.errors import WorkbenchError

_TURN = threading.RLock()
READ_WAIT_S = 3.0
"""A read waits this long for a running job; then it says so rather than hold up its thread."""


def warehouse_turn() -> threading.RLock:
    """A job holds it (`with warehouse_turn():`) for as long as it runs."""
    return _TURN


@contextmanager
def reading_turn(wait_s: float = READ_WAIT_S) -> Iterator[None]:
    """A read's turn: at once when no job runs; a WorkbenchError when one keeps the file."""
    if not _TURN.acquire(timeout=wait_s):
        raise WorkbenchError("A dbt job is using the DuckDB file; this is read again once it ends.")
    try:
        yield
    finally:
        _TURN.release()
