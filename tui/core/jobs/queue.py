"""The session's jobs: one runs at a time, the rest wait in order, and all are kept as history.

Pure bookkeeping, thread-safe, with no threads of its own: the UI's worker takes the next job,
runs it (tui.core.jobs.run) and hands the outcome back. A job can wait on an earlier one (the
test after the run): when that one did not pass, it is skipped with the reason, as a careful
engineer would not test a model that did not build.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from enum import StrEnum

from tui.core.jobs.events import Event, JobLog, NodeFinished, NodeStarted
from tui.core.jobs.failing import FailingRows
from tui.core.jobs.run import JobOutcome
from tui.core.jobs.spec import JobSpec


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    PASSED = "passed"
    FAILED = "failed"
    CANCELLED = "cancelled"
    SKIPPED = "skipped"


FINISHED = frozenset({JobState.PASSED, JobState.FAILED, JobState.CANCELLED, JobState.SKIPPED})


@dataclass
class Job:
    id: int
    spec: JobSpec
    needs: int | None = None
    """The id of the job that must pass first."""
    state: JobState = JobState.QUEUED
    nodes: dict[str, NodeStarted | NodeFinished] = field(default_factory=dict)
    """One line per node: its start, replaced by its finish."""
    logs: list[JobLog] = field(default_factory=list)
    outcome: JobOutcome | None = None
    failing: list[FailingRows] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    """Rows of each model built, by unique_id."""
    note: str = ""
    """Why it was skipped or how it was cancelled, in words."""
    started: float | None = None
    ended: float | None = None
    cancel_requested: threading.Event = field(default_factory=threading.Event)

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    def take(self, event: Event) -> None:
        if isinstance(event, (NodeStarted, NodeFinished)):
            self.nodes[event.replaces] = event
        elif isinstance(event, JobLog) and (event.level in ("error", "warn") or event.event in ("StatsLine", "EndOfRunSummary")):
            self.logs.append(event)

    def current(self) -> NodeStarted | None:
        """The node running now (the last started one that has not finished)."""
        running = [n for n in self.nodes.values() if isinstance(n, NodeStarted)]
        return running[-1] if running else None

    def progress(self) -> tuple[int, int]:
        """(finished nodes, all nodes) as far as dbt has said."""
        done = sum(isinstance(n, NodeFinished) for n in self.nodes.values())
        total = max((n.total for n in self.nodes.values()), default=0)
        return done, total

    def elapsed(self, now: float | None = None) -> float:
        if self.started is None:
            return 0.0
        return (self.ended or now or time.monotonic()) - self.started


class JobQueue:
    """Jobs of this session in the order they were asked for."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: list[Job] = []

    def submit(self, spec: JobSpec, needs: Job | None = None) -> Job:
        with self._lock:
            job = Job(len(self._jobs) + 1, spec, needs.id if needs else None)
            self._jobs.append(job)
            return job

    @property
    def jobs(self) -> list[Job]:
        with self._lock:
            return list(self._jobs)

    def running(self) -> Job | None:
        return next((job for job in self.jobs if job.state is JobState.RUNNING), None)

    def waiting(self) -> list[Job]:
        return [job for job in self.jobs if job.state is JobState.QUEUED]

    def start_next(self) -> tuple[Job | None, list[Job]]:
        """The next job to run, now marked running (None when one runs already or nothing
        waits), and the jobs skipped on the way because their prerequisite did not pass."""
        skipped: list[Job] = []
        with self._lock:
            if any(job.state is JobState.RUNNING for job in self._jobs):
                return None, skipped
            for job in self._jobs:
                if job.state is not JobState.QUEUED:
                    continue
                before = self._jobs[job.needs - 1] if job.needs else None
                if before is not None and before.state is not JobState.PASSED:
                    job.state, job.ended = JobState.SKIPPED, time.monotonic()
                    job.note = f"not run: {before.spec.describe()} did not pass"
                    skipped.append(job)
                    continue
                job.state, job.started = JobState.RUNNING, time.monotonic()
                return job, skipped
            return None, skipped

    def skip(self, job: Job, why: str) -> None:
        with self._lock:
            job.state, job.note, job.ended = JobState.SKIPPED, why, time.monotonic()

    def finish(self, job: Job, outcome: JobOutcome, failing: list[FailingRows], rows: dict[str, int] | None = None) -> None:
        with self._lock:
            job.outcome, job.failing, job.rows, job.ended = outcome, failing, rows or {}, time.monotonic()
            if outcome.cancelled:
                job.state, job.note = JobState.CANCELLED, "cancelled by you"
            else:
                job.state = JobState.PASSED if outcome.ok else JobState.FAILED

    def cancel(self) -> list[Job]:
        """Cancel the running job and every waiting one; returns those affected."""
        with self._lock:
            touched = []
            for job in self._jobs:
                if job.state is JobState.RUNNING:
                    job.cancel_requested.set()
                    touched.append(job)
                elif job.state is JobState.QUEUED:
                    job.state, job.note, job.ended = JobState.CANCELLED, "cancelled before it started", time.monotonic()
                    touched.append(job)
            return touched
