"""Step 4's result in words, from the run job and its test job, as the workflow records it."""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.jobs.queue import Job, JobState


@dataclass(frozen=True, slots=True)
class RunResult:
    passed: bool
    summary: str
    failing: tuple[str, ...]
    """Each failing test with its failing row count."""


def run_result(run: Job, test: Job) -> RunResult:
    """Passed only when the model built and every test passed; otherwise why not, in words."""
    if run.state is not JobState.PASSED:
        return RunResult(False, f"dbt run {run.state.value}: {_problem(run)}", ())
    built = sum(run.rows.values())
    said = f"built ({built:,} rows)" if run.rows else "built"
    if test.state is JobState.PASSED:
        return RunResult(True, f"{said}; tests: {_counts(test) or 'none'}", ())
    failing = tuple(
        f"{rows.test.name}: {rows.rows.total if rows.rows is not None and rows.rows.total is not None else rows.test.failures or '?'} failing rows"
        for rows in test.failing
    )
    detail = _counts(test) or _problem(test)
    return RunResult(False, f"{said}; dbt test {test.state.value}: {detail}" + (f" ({'; '.join(failing)})" if failing else ""), failing)


def _counts(job: Job) -> str:
    if job.outcome is None:
        return ""
    return ", ".join(f"{count} {status}" for status, count in sorted(job.outcome.counts().items()))


def _problem(job: Job) -> str:
    if job.outcome is not None and job.outcome.problem is not None:
        return job.outcome.problem.text
    return job.note or "no reason given"
