"""Run one dbt job in a child process through tui.core.process, streaming its events.

The child's stdout is dbt's JSON log, parsed line by line into events for the caller (progress
while it works); the result is then read from `target/run_results.json` when that file is this
job's (its invocation id), and failures become one plain JobProblem. Cancelling stops the
child's process group (SIGINT first, so dbt cancels its warehouse queries), and nothing of it
survives.
"""

from __future__ import annotations

import time
from pathlib import Path

from tui.core.jobs.collect import Collector, EventHandler, JobOutcome
from tui.core.jobs.dbt_command import dbt_env, find_dbt
from tui.core.jobs.spec import JobSpec, dbt_argv
from tui.core.process import Cancelled, run_child

__all__ = ["JobOutcome", "run_job"]
JOB_GRACE_S = (5.0, 3.0)
"""After SIGINT dbt gets this long to cancel its queries, then SIGTERM, then SIGKILL."""


def run_job(
    spec: JobSpec,
    root: Path,
    on_event: EventHandler | None = None,
    cancelled: Cancelled | None = None,
    env: dict[str, str] | None = None,
    target_path: str = "target",
) -> JobOutcome:
    """Run `spec` in the project folder and wait for it; raises WorkbenchError only when dbt
    cannot be found or the name is not a model name (nothing was started)."""
    argv = dbt_argv(spec, find_dbt())
    collector = Collector(spec, on_event)
    started = time.monotonic()
    child = run_child(argv, cwd=root, env=dbt_env(env), on_line=collector.line, merge_stderr=True, cancelled=cancelled, grace=JOB_GRACE_S)
    return collector.outcome(child.returncode, time.monotonic() - started, child.stopped == "cancelled", root / target_path / "run_results.json", child.tail)
