"""Run one dbt job in a child process through tui.core.process, streaming its events.

The child's stdout is dbt's JSON log, parsed line by line into events for the caller (progress
while it works); the result is then read from `target/run_results.json` when that file is this
job's (its invocation id), and failures become one plain JobProblem. Cancelling stops the
child's process group (SIGINT first, so dbt cancels its warehouse queries), and nothing of it
survives.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from tui.core.jobs.dbt_command import dbt_env, find_dbt
from tui.core.jobs.events import Event, JobLog, NodeFinished, parse_event
from tui.core.jobs.problems import JobProblem, explain
from tui.core.jobs.results import NodeResult, read_run_results
from tui.core.jobs.spec import JobSpec, dbt_argv
from tui.core.process import Cancelled, run_child

EventHandler = Callable[[Event], None]
JOB_GRACE_S = (5.0, 3.0)
"""After SIGINT dbt gets this long to cancel its queries, then SIGTERM, then SIGKILL."""


@dataclass(frozen=True)
class JobOutcome:
    spec: JobSpec
    returncode: int
    seconds: float
    events: tuple[Event, ...]
    results: tuple[NodeResult, ...] | None
    """From run_results.json; None when dbt wrote none for this job (it failed to start)."""
    problem: JobProblem | None
    cancelled: bool = False
    output: str = ""
    """What `dbt show`/`compile` printed as their result (their JSON or SQL), else ''."""
    failing: dict[str, object] = field(default_factory=dict)
    """Failing rows by test unique_id, filled in by tui.core.jobs.failing."""

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.cancelled

    def counts(self) -> dict[str, int]:
        """Nodes by status, from the results (else from the finished events)."""
        statuses = [r.status for r in self.results] if self.results is not None else [e.status for e in self.events if isinstance(e, NodeFinished)]
        counted: dict[str, int] = {}
        for status in statuses:
            counted[status] = counted.get(status, 0) + 1
        return counted


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
    events: list[Event] = []
    invocation: list[str] = []
    printed: list[str] = []

    def line(text: str) -> None:
        event = parse_event(text)
        if event is None:
            return
        if isinstance(event, JobLog):
            if event.invocation_id and not invocation:
                invocation.append(event.invocation_id)
            if event.event == "text":
                printed.append(event.text)
        events.append(event)
        if on_event is not None:
            on_event(event)

    started = time.monotonic()
    child = run_child(argv, cwd=root, env=dbt_env(env), on_line=line, merge_stderr=True, cancelled=cancelled, grace=JOB_GRACE_S)
    seconds = time.monotonic() - started
    was_cancelled = child.stopped == "cancelled"
    results = read_run_results(root / target_path / "run_results.json", invocation[0] if invocation else "") if invocation else None
    logs = [e for e in events if isinstance(e, JobLog)]
    problem = JobProblem(f"Cancelled: {spec.describe()} was stopped.") if was_cancelled else explain(child.returncode, logs, child.tail)
    return JobOutcome(spec, child.returncode, seconds, tuple(events), results, problem, was_cancelled, "\n".join(printed))
