"""The app's side of the warm dbt worker (tui.core.jobs.warm_worker): start it, hand it jobs one
at a time, read each job's events, cancel, stop.

`WarmJobs.run` has the signature of `run_job`, so the queue does not care which one runs a job.
When the worker could not start, or has died, a job runs cold (its own dbt process) and the
reason is kept in `problem`: a job is never lost because the fast path failed. `WarmJobs.read`
runs one query with the project's adapter (for targets the app has no reader of its own for);
reads have no cold path: without the worker they say so.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path
from typing import NoReturn

from tui.core.errors import WorkbenchError
from tui.core.jobs.collect import Collector, EventHandler, JobOutcome
from tui.core.jobs.dbt_command import dbt_env
from tui.core.jobs.run import run_job
from tui.core.jobs.spec import JobSpec, dbt_argv
from tui.core.process import Cancelled, ServedChild
from tui.core.warehouse.row_codec import decode_rows

READY_TIMEOUT_S = 300.0
"""A huge project's first parse takes minutes; past this the worker is given up for cold jobs."""
_POLL_S = 0.1
READ_DEADLINE_S = 600.0
"""A read through the worker (a preview, failing rows on a target without a reader of ours) that
runs longer is cancelled: the jobs behind it wait for the worker."""
CANCEL_DEADLINE_S = 15.0
"""The worker gives a cancelled job 8 s (SIGINT, SIGTERM, SIGKILL); past this, the worker goes."""


class WarmJobs:
    def __init__(self, root: Path, target_path: str = "target", env: dict[str, str] | None = None, warm_up: str | None = None) -> None:
        """`warm_up`: the module that starts the warehouse once in the worker (Spark's session;
        tui.core.warehouse.reader.worker_warm_up)."""
        self.root = root
        self.target_path = target_path
        self.env = env
        self.warm_up = warm_up
        self.worker: ServedChild | None = None
        self.ready = threading.Event()
        self.starting = threading.Event()
        self.problem: str | None = None
        self.startup: dict = {}
        """The worker's "ready" answer: its PID and how long the import and first parse took."""
        self.parses: list[dict] = []
        self._lock = threading.Lock()
        self._job = 0

    # --- the worker's life ---------------------------------------------------------------------

    def start(self) -> bool:
        """Start the worker and wait until it has parsed the project (blocking: call it from a
        worker thread, after the first frame). True when it is ready for jobs."""
        argv = [sys.executable, "-m", "tui.core.jobs.warm_worker", str(self.root), self.target_path, *([self.warm_up] if self.warm_up else [])]
        self.starting.set()
        try:
            return self._started(argv)
        finally:
            self.starting.clear()

    def _started(self, argv: list[str]) -> bool:
        try:
            self.worker = ServedChild(argv, cwd=self.root, env=dbt_env(self.env))
        except OSError as error:
            self.problem = f"the warm dbt worker could not start: {error}"
            return False
        answer = self._await("ready", READY_TIMEOUT_S)
        if answer is None:
            self.problem = "the warm dbt worker did not become ready: " + " / ".join(self.worker.tail()[-3:])
            self.stop()
            return False
        self.startup = answer
        self.ready.set()
        return True

    def stop(self) -> None:
        worker, self.worker = self.worker, None
        self.ready.clear()
        if worker is not None:
            worker.stop((1.0, 1.0))

    @property
    def usable(self) -> bool:
        return self.ready.is_set() and self.worker is not None and self.worker.alive

    def memory_kib(self) -> int | None:
        """The worker's resident memory now (Linux), for the benchmark and the jobs screen."""
        if self.worker is None:
            return None
        try:
            for line in Path(f"/proc/{self.worker.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            return None
        return None

    # --- jobs --------------------------------------------------------------------------------

    def run(
        self,
        spec: JobSpec,
        root: Path,
        on_event: EventHandler | None = None,
        cancelled: Cancelled | None = None,
        env: dict[str, str] | None = None,
        target_path: str = "target",
    ) -> JobOutcome:
        """Like run_job; in the warm worker when it is usable, else cold."""
        while self.starting.is_set() and not (cancelled is not None and cancelled()):
            self.ready.wait(_POLL_S)  # it is parsing: faster to wait than to start cold
        was_cancelled = cancelled is not None and cancelled()
        while not was_cancelled and not self._lock.acquire(timeout=_POLL_S):  # a read may hold the worker
            was_cancelled = cancelled is not None and cancelled()
        if not was_cancelled:
            try:
                if not self.usable:
                    return run_job(spec, root, on_event, cancelled, env, target_path)
                self._job += 1
                return self._run_warm(self._job, spec, on_event, cancelled, root / target_path / "run_results.json")
            finally:
                self._lock.release()
        return Collector(spec, on_event).outcome(130, 0.0, True, root / target_path / "run_results.json")

    def read(self, sql: str) -> tuple[list[tuple[str, str]], list[tuple]]:
        """One query run by the worker with the project's adapter: (name, type) of each column
        and the rows. Waits for a running job; a WorkbenchError when it cannot be read."""
        while self.starting.is_set():
            self.ready.wait(_POLL_S)
        with self._lock:
            if not self.usable:
                why = f": {self.problem}" if self.problem else ""
                raise WorkbenchError(f"the warm dbt worker is not running{why}")
            self._job += 1
            try:
                return self._read(self._job, sql)
            except WorkbenchError:
                raise
            except BaseException:
                self.stop()
                raise

    def _read(self, job: int, sql: str) -> tuple[list[tuple[str, str]], list[tuple]]:
        worker = self.worker
        assert worker is not None
        if not worker.send(json.dumps({"job": job, "read": sql})):
            raise WorkbenchError("the warm dbt worker has ended")
        answer: dict | None = None
        deadline = time.monotonic() + READ_DEADLINE_S
        while True:
            if time.monotonic() > deadline:
                return self._read_too_long(worker, job)
            line = worker.next_line(_POLL_S)
            if line is False:
                continue
            if line is ServedChild.EOF:
                self.problem = "the warm dbt worker ended during a read: " + " / ".join(worker.tail()[-3:])
                self.stop()
                raise WorkbenchError(self.problem)
            said = _answer(line)
            if said is None:
                continue
            if said["wb"] == "rows":
                answer = said
            elif said["wb"] == "done" and said.get("job") == job:
                break
        if answer is None or "problem" in answer or "rows" not in answer:
            raise WorkbenchError(str((answer or {}).get("problem") or "dbt gave no answer to the read"))
        try:
            return [(str(name), str(kind)) for name, kind in answer.get("columns", [])], decode_rows(answer["rows"])
        except (TypeError, ValueError, KeyError) as error:  # the exchange is over: the worker stays
            raise WorkbenchError(f"the rows the warm dbt worker read could not be decoded: {error}") from None

    def _read_too_long(self, worker: ServedChild, job: int) -> NoReturn:
        """Cancel the read; a worker that does not end it in time is stopped."""
        worker.send(json.dumps({"cancel": job}))
        deadline = time.monotonic() + CANCEL_DEADLINE_S
        while time.monotonic() < deadline:
            line = worker.next_line(_POLL_S)
            if line is ServedChild.EOF:
                break
            said = _answer(line) if isinstance(line, str) else None
            if said is not None and said["wb"] == "done" and said.get("job") == job:
                raise WorkbenchError(f"the read took longer than {READ_DEADLINE_S:.0f} s and was cancelled")
        self.problem = "the warm dbt worker did not end a read that ran too long: it was stopped"
        self.stop()
        raise WorkbenchError(self.problem)

    def _run_warm(self, job: int, spec: JobSpec, on_event: EventHandler | None, cancelled: Cancelled | None, run_results: Path) -> JobOutcome:
        """One job; should anything go wrong half-way, the worker is ended, never left mid-job
        for the next job to read the rest of this one's output."""
        try:
            return self._talk(job, spec, on_event, cancelled, run_results)
        except BaseException:
            self.stop()
            raise

    def _talk(self, job: int, spec: JobSpec, on_event: EventHandler | None, cancelled: Cancelled | None, run_results: Path) -> JobOutcome:
        worker = self.worker
        assert worker is not None
        collector = Collector(spec, on_event)
        started = time.monotonic()
        args = dbt_argv(spec, "dbt")[1:]
        if not worker.send(json.dumps({"job": job, "args": args})):
            return self._went_cold(spec, on_event, cancelled, "the warm dbt worker has ended")
        asked_to_cancel: float | None = None
        while True:
            if cancelled is not None and cancelled() and asked_to_cancel is None and worker.send(json.dumps({"cancel": job})):
                asked_to_cancel = time.monotonic()
            if asked_to_cancel is not None and time.monotonic() - asked_to_cancel > CANCEL_DEADLINE_S:
                self.problem = "the warm dbt worker did not end a cancelled job: it was stopped"
                self.stop()
                return collector.outcome(130, time.monotonic() - started, True, run_results, warm=True)
            line = worker.next_line(_POLL_S)
            if line is False:
                continue
            if line is ServedChild.EOF:
                self.problem = "the warm dbt worker ended during a job: " + " / ".join(worker.tail()[-3:])
                self.stop()  # its whole process group: a job it forked goes too
                return collector.outcome(2, time.monotonic() - started, asked_to_cancel is not None, run_results, worker.tail(), warm=True)
            answer = _answer(line)
            if answer is None:
                collector.line(line)
            elif answer["wb"] == "parsed":
                self.parses.append(answer)
            elif answer["wb"] == "done" and answer.get("job") == job:
                code = int(answer.get("code", 2))
                return collector.outcome(code, time.monotonic() - started, bool(answer.get("cancelled")), run_results, warm=True)

    def _went_cold(self, spec: JobSpec, on_event: EventHandler | None, cancelled: Cancelled | None, why: str) -> JobOutcome:
        self.ready.clear()
        self.problem = why
        return run_job(spec, self.root, on_event, cancelled, self.env, self.target_path)

    def _await(self, kind: str, timeout: float) -> dict | None:
        """The worker's first answer of this kind (its start-up output before it is dropped)."""
        assert self.worker is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.worker.next_line(_POLL_S)
            if line is ServedChild.EOF:
                return None
            if line is False:
                continue
            answer = _answer(line)
            if answer is not None and answer["wb"] == kind:
                return answer
        return None


def _answer(line: str) -> dict | None:
    """The worker's own answer on this line, or None for a line of dbt's output."""
    if not line.startswith('{"wb":'):
        return None
    try:
        answer = json.loads(line)
    except ValueError:
        return None
    return answer if isinstance(answer, dict) else None
