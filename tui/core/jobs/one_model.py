"""Run and test one model to the end, through the same queue and runner as the app: the CLI's
`dbt-workbench run --select MODEL`, and its output as JSON or text.

Exit codes: 0 when the run and every test passed, 1 when anything failed or was skipped, 2 for
bad input (a name that is not one model's, no such model).
"""

from __future__ import annotations

from typing import Callable

from tui.core.jobs.after import after_job
from tui.core.jobs.events import Event
from tui.core.jobs.queue import Job, JobQueue, JobState
from tui.core.jobs.run import JobOutcome, run_job
from tui.core.jobs.spec import JobKind, JobSpec
from tui.core.project.dbt_project import DbtProject


def run_and_test(project: DbtProject, model: str, on_event: Callable[[Event], None] | None = None, run: Callable[..., JobOutcome] = run_job) -> list[Job]:
    queue = JobQueue()
    built = queue.submit(JobSpec(JobKind.RUN, model))
    queue.submit(JobSpec(JobKind.TEST, model), needs=built)
    while True:
        job, _skipped = queue.start_next()
        if job is None:
            return queue.jobs
        outcome = run(job.spec, project.root, on_event=on_event, target_path=project.target_path)
        queue.finish(job, outcome, *after_job(outcome, project.connection))


def exit_code(jobs: list[Job]) -> int:
    return 0 if jobs and all(job.state is JobState.PASSED for job in jobs) else 1


def jobs_as_json(jobs: list[Job]) -> list[dict]:
    return [_job_data(job) for job in jobs]


def _job_data(job: Job) -> dict:
    outcome = job.outcome
    failing = {f.test.unique_id: f for f in job.failing}
    nodes = []
    for result in outcome.results or () if outcome else ():
        node = {"name": result.name, "unique_id": result.unique_id, "type": result.resource_type, "status": result.status, "seconds": round(result.seconds, 3)}
        if result.unique_id in job.rows:
            node["rows"] = job.rows[result.unique_id]
        if result.resource_type == "test":
            node["failures"] = result.failures
        found = failing.get(result.unique_id)
        if found is not None:
            node["failing_rows"] = _failing_data(found)
        nodes.append(node)
    problem = outcome.problem if outcome else None
    return {
        "command": job.spec.describe(),
        "state": job.state.value,
        "note": job.note,
        "seconds": round(job.elapsed(), 3),
        "problem": None if problem is None else {"message": problem.text, "path": problem.path, "line": problem.line},
        "nodes": nodes,
    }


def _failing_data(found) -> dict:
    if found.rows is None:
        return {"problem": found.problem}
    return {
        "columns": list(found.rows.columns),
        "rows": [[_plain(value) for value in row] for row in found.rows.rows],
        "total": found.rows.total,
        "compiled_sql": found.test.compiled_code,
    }


def _plain(value: object) -> object:
    return value if value is None or isinstance(value, (bool, int, float, str)) else str(value)


def jobs_text(jobs: list[Job]) -> str:
    lines = []
    for job in jobs:
        data = _job_data(job)
        lines.append(f"{data['command']}: {data['state']}" + (f" ({data['note']})" if data["note"] else "") + f" in {data['seconds']:.1f} s")
        for node in data["nodes"]:
            extra = f"{node['rows']} rows" if "rows" in node else f"{node['failures']} failing" if node.get("failures") else ""
            lines.append(f"  {node['status']:<8} {node['name']}  {node['seconds']:.2f} s  {extra}".rstrip())
            failing = node.get("failing_rows")
            if failing and "rows" in failing:
                lines.append(f"    {len(failing['rows'])} of {failing['total']} failing rows; columns: {', '.join(failing['columns'])}")
                lines.extend("    " + " | ".join(str(v) for v in row) for row in failing["rows"][:10])
            elif failing:
                lines.append(f"    failing rows not read: {failing['problem']}")
        if data["problem"]:
            where = f" ({data['problem']['path']}:{data['problem']['line']})" if data["problem"]["path"] else ""
            lines.append(f"  {data['problem']['message']}{where}")
    return "\n".join(lines)
