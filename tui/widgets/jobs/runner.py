"""The session's dbt jobs as the screens see them: queued, run one at a time in a worker, reported.

A widget with nothing to draw: it owns the JobQueue; each job runs in a thread worker through
tui.core.jobs.run (a child process, never dbt in this process), and every event, start and end
is posted as `Changed`. A job whose model is gone when its turn comes is skipped, not run.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable

from textual import on, work
from textual.message import Message
from textual.widget import Widget

from tui.core.errors import WorkbenchError
from tui.core.jobs.events import Event
from tui.core.jobs.after import after_job
from tui.core.jobs.queue import Job, JobQueue
from tui.core.jobs.run import JobOutcome, run_job
from tui.core.jobs.spec import JobKind, JobSpec
from tui.core.jobs.warm_client import WarmJobs
from tui.core.project.dbt_project import DbtProject
from tui.core.warehouse.gate import warehouse_turn
from tui.core.warehouse.reader import worker_warm_up
from tui.core.warehouse.through_dbt import offer_dbt_reads, withdraw_dbt_reads

JobFunction = Callable[..., JobOutcome]


class JobRunner(Widget):
    DEFAULT_CSS = "JobRunner { display: none; }"

    class Changed(Message):
        """A job was queued, progressed, or ended."""

        def __init__(self, job: Job) -> None:
            super().__init__()
            self.job = job

    class _Progressed(Message):
        """From the job's thread: one of dbt's events for the job."""

        def __init__(self, job: Job, event: Event) -> None:
            super().__init__()
            self.job = job
            self.event = event

    class _Ended(Message):
        """From the job's thread: it ended (posting never blocks, also while the app closes)."""

        def __init__(self, job: Job) -> None:
            super().__init__()
            self.job = job

    def __init__(
        self, project: DbtProject, model_exists: Callable[[str], bool], run: JobFunction | None = None, warm: bool = True
    ) -> None:
        """`warm`: keep a warm dbt worker (started after the first frame); `run` replaces how a
        job runs (tests)."""
        super().__init__()
        self.project = project
        self.model_exists = model_exists
        warm_up = worker_warm_up(project.connection)
        self.warm = WarmJobs(project.root, project.target_path, warm_up=warm_up) if warm and run is None else None
        self.run = run or (self.warm.run if self.warm is not None else run_job)
        self.queue = JobQueue()
        self.closing = False
        self.stopping: threading.Thread | None = None
        """Ends the warm worker once the app leaves (tests join it)."""

    def on_mount(self) -> None:
        if self.warm is not None:
            offer_dbt_reads(self.warm.read)  # a target no reader of ours opens is read through it
            self.call_after_refresh(self._start_warm)

    def on_unmount(self) -> None:
        """Leaving: nothing more starts, the running job is cancelled, and the warm worker ends
        off the UI thread (should the process end first, its exit ends every child anyway)."""
        self.closing = True
        self.queue.cancel()
        if self.warm is not None:
            withdraw_dbt_reads(self.warm.read)
            self.stopping = threading.Thread(target=self.warm.stop, name="warm-dbt-stop", daemon=True)
            self.stopping.start()

    @work(thread=True, exit_on_error=False, group="warm-dbt")
    def _start_warm(self) -> None:
        """dbt imported and the project parsed in a child, so that jobs start in a fraction of
        a second; until it is ready (or if it fails) jobs run cold."""
        assert self.warm is not None
        started = self.warm.start()
        warm_up_problem = self.warm.startup.get("warm_up_problem") if started else ""
        if self.closing or not (warm_up_problem or not started):
            return
        said = (f"The warehouse did not start in the warm dbt worker ({warm_up_problem}): each job starts it again."
                if started else f"{(self.warm.problem or '').capitalize()}: each dbt job runs in a process of its own (slower).")
        self.app.call_from_thread(self.notify, said, title="dbt", severity="warning")

    def run_and_test(self, model: str) -> list[Job]:
        """`dbt run --select model`, then `dbt test --select model` if the run passed."""
        built = self.queue.submit(JobSpec(JobKind.RUN, model))
        tested = self.queue.submit(JobSpec(JobKind.TEST, model), needs=built)
        self._queued(built, tested)
        return [built, tested]

    def compile(self, model: str) -> Job:
        """`dbt compile --select model`: its compiled SQL as the file is now (previews)."""
        return self.submit(JobSpec(JobKind.COMPILE, model))

    def submit(self, spec: JobSpec) -> Job:
        job = self.queue.submit(spec)
        self._queued(job)
        return job

    def cancel(self) -> list[Job]:
        touched = self.queue.cancel()
        for job in touched:
            self.post_message(self.Changed(job))
        return touched

    def _queued(self, *jobs: Job) -> None:
        for job in jobs:
            self.post_message(self.Changed(job))
        self._start_next()

    def _start_next(self) -> None:
        if self.closing:
            return
        job, skipped = self.queue.start_next()
        for passed_over in skipped:
            self.post_message(self.Changed(passed_over))
        if job is None:
            return
        if job.spec.model and not self.model_exists(job.spec.model):
            self.queue.skip(job, f"not run: the model {job.spec.model} no longer exists")
            self.post_message(self.Changed(job))
            self._start_next()
            return
        self.post_message(self.Changed(job))
        self._run(job)

    @work(thread=True, exit_on_error=False, group="jobs")
    def _run(self, job: Job) -> None:
        def on_event(event: Event) -> None:
            self.post_message(self._Progressed(job, event))  # applied on the UI thread, which reads it

        root = self.project.root
        try:
            with warehouse_turn():  # the app's own read-only reads wait for the job, and it for them
                outcome = self.run(job.spec, root, on_event=on_event, cancelled=job.cancel_requested.is_set, target_path=self.project.target_path)
            self.queue.finish(job, outcome, *after_job(outcome, self.project.connection))
        except WorkbenchError as error:
            self.queue.skip(job, str(error))
        except Exception as error:  # noqa: BLE001 - a job must end, whatever went wrong in it
            self.queue.skip(job, f"the job could not be run: {type(error).__name__}: {error}")
        self.post_message(self._Ended(job))

    @on(_Progressed)
    def _progressed(self, message: _Progressed) -> None:
        message.stop()
        message.job.take(message.event)
        self.post_message(self.Changed(message.job))

    @on(_Ended)
    def _ended(self, message: _Ended) -> None:
        message.stop()
        self.post_message(self.Changed(message.job))
        self._start_next()
