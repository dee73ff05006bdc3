"""One DuckDB file, one user at a time within this process.

A dbt job writes the file and needs it free; the app's own reads (columns for the duplicate
finder, failing rows, previews) open it read-only for a moment. DuckDB refuses a writer while a
reader holds the file, so both take this turn: a read waits for the job, a job for the read.
Other processes (a notebook, the dbt CLI) cannot be ordered this way; their lock is reported by
PID instead.
"""

from __future__ import annotations

import threading

_TURN = threading.RLock()


def warehouse_turn() -> threading.RLock:
    """Hold it (`with warehouse_turn():`) for as long as the file is in use."""
    return _TURN
