"""A job's output lines turned into its events and, once it ended, its JobOutcome: the same for
a cold job (its own dbt process) and a warm one (a grandchild of the warm worker)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from tui.core.jobs.events import Event, JobLog, NodeFinished, parse_event
from tui.core.jobs.problems import JobProblem, explain
from tui.core.jobs.results import NodeResult, read_run_results
from tui.core.jobs.spec import JobSpec

EventHandler = Callable[[Event], None]


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
    """Lines of the job that were not dbt's JSON (a package's print), joined."""
    warm: bool = False
    """Run by the warm worker (the kept manifest), not by a dbt process of its own."""

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


@dataclass
class Collector:
    """Takes a job's output lines as they come; `outcome` once it ended."""

    spec: JobSpec
    on_event: EventHandler | None = None
    events: list[Event] = field(default_factory=list)
    invocation: str | None = None
    printed: list[str] = field(default_factory=list)

    def line(self, text: str) -> None:
        event = parse_event(text)
        if event is None:
            return
        if isinstance(event, JobLog):
            if event.invocation_id and self.invocation is None:
                self.invocation = event.invocation_id
            if event.event == "text":
                self.printed.append(event.text)
        self.events.append(event)
        if self.on_event is not None:
            self.on_event(event)

    def outcome(self, returncode: int, seconds: float, cancelled: bool, run_results: Path, tail: Iterable[str] = (), warm: bool = False) -> JobOutcome:
        results = read_run_results(run_results, self.invocation) if self.invocation else None
        logs = [e for e in self.events if isinstance(e, JobLog)]
        problem = JobProblem(f"Cancelled: {self.spec.describe()} was stopped.") if cancelled else explain(returncode, logs, tail)
        return JobOutcome(self.spec, returncode, seconds, tuple(self.events), results, problem, cancelled, "\n".join(self.printed), warm)
