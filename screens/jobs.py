"""The session's dbt jobs: live progress of the running one, then its results and failing rows.

One job is shown at a time (newest first; `,` and `.` step through the history). While it runs:
N of M nodes, the node running now, and the time so far. Once it ends: a row per node (status in
words and symbols, never by colour alone), the counts, the problem in plain words (with `e` to
open the file and line dbt named), and for the failing test under the cursor up to 100 of its
rows with the total, read read-only after dbt exited.
"""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from screens.destination import Destination
from tui.bindings import bindings_for
from tui.core.commands import JOBS_COMMANDS
from tui.core.jobs.events import NodeFinished, NodeStarted
from tui.core.jobs.failing import FailingRows
from tui.core.jobs.queue import Job, JobQueue, JobState

STATUS_MARKS = {
    "success": "✓ ok",
    "pass": "✓ pass",
    "fail": "✗ FAIL",
    "warn": "! warn",
    "error": "✗ ERROR",
    "skipped": "- skipped",
    "no-op": "- no-op",
}
STATE_WORDS = {
    JobState.QUEUED: "… queued",
    JobState.RUNNING: "▶ running",
    JobState.PASSED: "✓ passed",
    JobState.FAILED: "✗ failed",
    JobState.CANCELLED: "■ cancelled",
    JobState.SKIPPED: "- skipped",
}
EMPTY_STATE = "No dbt job yet this session. On a model, x runs it and then tests it."
CELL_WIDTH = 40


class JobsScreen(ModalScreen["Destination | None"]):
    DEFAULT_CSS = """
    JobsScreen { align: center middle; }
    JobsScreen > Vertical { width: 120; max-width: 100%; height: 100%; border: round $primary; padding: 0 1; }
    JobsScreen #job-title { height: auto; text-style: bold; }
    JobsScreen #job-progress { height: auto; margin: 0 0 1 0; }
    JobsScreen #job-nodes { height: 1fr; min-height: 5; border: round $primary 50%; }
    JobsScreen #job-failing { height: 1fr; min-height: 5; border: round $primary 50%; }
    JobsScreen #job-failing.-hidden { display: none; }
    """
    BINDINGS = bindings_for(JOBS_COMMANDS)
    COMMANDS_LIST = JOBS_COMMANDS

    def __init__(self, queue: JobQueue, cancel: Callable[[], list[Job]]) -> None:
        super().__init__()
        self.queue = queue
        self.cancel = cancel
        self.shown: Job | None = None
        self.mounted = False
        self._failing_by_row: list[FailingRows | None] = []

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "dbt jobs"
            yield Static(id="job-title")
            yield Static(id="job-progress")
            yield DataTable(id="job-nodes", cursor_type="row", zebra_stripes=True)
            yield DataTable(id="job-failing", classes="-hidden")
        yield Footer()

    def on_mount(self) -> None:
        self.mounted = True
        self.query_one("#job-nodes", DataTable).add_columns("Node", "Status", "Time", "Rows / failures")
        jobs = self.queue.jobs
        self._show(self._most_relevant(jobs))
        self.set_interval(0.5, self._tick)

    @staticmethod
    def _most_relevant(jobs: list[Job]) -> Job | None:
        """The running job, else the newest one that ran."""
        running = next((job for job in jobs if job.state is JobState.RUNNING), None)
        return running or next((job for job in reversed(jobs) if job.state is not JobState.QUEUED), jobs[-1] if jobs else None)

    # --- following the queue ----------------------------------------------------------------

    def follow_job(self, job: Job) -> None:
        """A job progressed: show it when it is the one shown, or when it just started. News that
        comes before the screen is mounted waits for on_mount, which shows the latest."""
        if not self.mounted:
            return
        if self.shown is None or job is self.shown or (job.state is JobState.RUNNING and self.shown.finished):
            self._show(job)

    def _tick(self) -> None:
        if self.shown is not None and self.shown.state is JobState.RUNNING:
            self._show_progress(self.shown)

    # --- drawing ----------------------------------------------------------------------------

    def _show(self, job: Job | None) -> None:
        self.shown = job
        title = self.query_one("#job-title", Static)
        if job is None:
            title.update(EMPTY_STATE)
            self.query_one("#job-progress", Static).update("")
            return
        count = len(self.queue.jobs)
        title.update(f"Job {job.id} of {count}: {job.spec.describe()}  ·  {STATE_WORDS[job.state]}")
        self._show_progress(job)
        self._fill_nodes(job)

    def _show_progress(self, job: Job) -> None:
        progress = self.query_one("#job-progress", Static)
        progress.update(progress_text(job))

    def _fill_nodes(self, job: Job) -> None:
        table = self.query_one("#job-nodes", DataTable)
        row = table.cursor_row
        table.clear()
        failing = {f.test.unique_id: f for f in job.failing}
        self._failing_by_row = []
        results = job.outcome.results if job.outcome and job.outcome.results is not None else None
        if results is not None:
            for result in results:
                rows = job.rows.get(result.unique_id, result.rows_affected)
                table.add_row(_clip(result.name), STATUS_MARKS.get(result.status, result.status), f"{result.seconds:.2f} s", _rows_text(result.failures, rows, result.resource_type))
                self._failing_by_row.append(failing.get(result.unique_id))
        else:
            for node in job.nodes.values():
                if isinstance(node, NodeFinished):
                    table.add_row(_clip(node.name), STATUS_MARKS.get(node.status, node.status), f"{node.seconds:.2f} s", _rows_text(node.failures, None, node.resource_type))
                else:
                    table.add_row(_clip(node.name), "▶ running", "", "")
                self._failing_by_row.append(None)
        if table.row_count:
            first_failing = next((i for i, f in enumerate(self._failing_by_row) if f is not None), None)
            table.move_cursor(row=first_failing if first_failing is not None and job.finished else min(row, table.row_count - 1))
        self._show_failing()

    @on(DataTable.RowHighlighted, "#job-nodes")
    def _row_highlighted(self) -> None:
        self._show_failing()

    def _show_failing(self) -> None:
        table = self.query_one("#job-nodes", DataTable)
        rows_table = self.query_one("#job-failing", DataTable)
        index = table.cursor_row
        failing = self._failing_by_row[index] if 0 <= index < len(self._failing_by_row) else None
        rows_table.set_class(failing is None, "-hidden")
        if failing is None:
            return
        rows_table.clear(columns=True)
        if failing.rows is None:
            rows_table.border_title = f"{failing.test.name}: {failing.problem}"
            return
        found = failing.rows
        shown = len(found.rows)
        rows_table.border_title = f"Failing rows of {failing.test.name}: {shown} shown of {found.total}"
        rows_table.add_columns(*found.columns)
        for values in found.rows:
            rows_table.add_row(*(_clip(str(v), 30) for v in values))

    # --- actions ------------------------------------------------------------------------------

    def action_cancel_job(self) -> None:
        touched = self.cancel()
        self.notify(f"Cancelling {len(touched)} job(s)." if touched else "No job is running or waiting.")

    def action_go_to_error(self) -> None:
        job = self.shown
        problem = job.outcome.problem if job and job.outcome else None
        if problem is None or problem.path is None:
            self.notify("This job names no file to open.")
            return
        self.dismiss(Destination(problem.path, problem.line, edit=True))

    def action_show_job(self, step: int) -> None:
        jobs = self.queue.jobs
        if not jobs or self.shown is None:
            return
        index = max(0, min(len(jobs) - 1, jobs.index(self.shown) + step))
        self._show(jobs[index])


def progress_text(job: Job) -> str:
    """One line: where the job is, or how it ended, and what the user must know."""
    if job.state is JobState.QUEUED:
        return "Waiting for the job before it to end."
    if job.state is JobState.SKIPPED:
        return job.note
    done, total = job.progress()
    elapsed = f"{job.elapsed():.1f} s"
    if job.state is JobState.RUNNING:
        current = job.current()
        doing = f"running {current.name}" if isinstance(current, NodeStarted) else "starting dbt (reading the project)"
        return f"{done} of {total or '?'} nodes done · {doing} · {elapsed}"
    outcome = job.outcome
    if outcome is not None and outcome.ok and outcome.results == () and job.spec.kind.value == "test":
        return f"ended after {elapsed} · no test selects {job.spec.model}: nothing was checked (add tests in its YAML)"
    counts = ", ".join(f"{count} {STATUS_MARKS.get(status, status)}" for status, count in sorted(outcome.counts().items())) if outcome else ""
    problem = outcome.problem.text if outcome and outcome.problem else ""
    where = f" ({outcome.problem.path}:{outcome.problem.line}; e opens it)" if outcome and outcome.problem and outcome.problem.path else ""
    return " · ".join(part for part in (f"ended after {elapsed}", counts, problem + where, job.note) if part)


def _rows_text(failures: int | None, rows: int | None, resource_type: str) -> str:
    if resource_type == "test":
        return "" if failures is None else f"{failures} failing" if failures else "0 failing"
    return "" if rows is None else f"{rows} rows"


def _clip(text: str, width: int = CELL_WIDTH) -> Text | str:
    return text if len(text) <= width else text[: width - 1] + "…"


def job_news(job: Job) -> str:
    """A job's end in one sentence, for a notification."""
    said = f"{job.spec.describe()}: {STATE_WORDS[job.state]}"
    if job.outcome is not None:
        counts = ", ".join(f"{count} {status}" for status, count in sorted(job.outcome.counts().items()))
        problem = job.outcome.problem.text if job.outcome.problem else ""
        said += "".join(f" · {part}" for part in (counts, problem) if part)
    elif job.note:
        said += f" · {job.note}"
    return said + " (j: details)"
