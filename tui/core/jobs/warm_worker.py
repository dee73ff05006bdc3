"""The warm dbt worker: a child process that has imported dbt and parsed the project once, and
forks one grandchild per job, which starts with all of that in memory.

    python -m tui.core.jobs.warm_worker PROJECT_DIR TARGET_PATH [WARM_UP_MODULE]

Run only as a child of the workbench, through tui.core.process (never imported by the app). It
reads one JSON request per line on stdin and answers with JSON lines on stdout, each carrying the
key "wb"; between a job's "started" and "done" the other lines are that job's own dbt output
(`--log-format json`), read by the client exactly like a cold job's.

Requests: {"job": N, "args": ["run", "--select", "m", ...]}, {"job": N, "read": SQL} and
{"cancel": N}. Answers: {"wb": "ready"|"parsed"|"started"|"rows"|"done", ...}; a read's "rows"
carries its columns and rows, or the problem (tui.core.jobs.dbt_read).

WARM_UP_MODULE (from tui.core.warehouse.reader.worker_warm_up) is for a warehouse that lives in
the dbt process, Spark's session: its `warm_up(root)` runs once here, its `after_fork()` in each job.

Before each job the project's files are digested (tui.core.jobs.project_digest): when any changed,
the project is parsed again (dbt's partial parsing makes that quick), so a stale manifest is never
used. The job runs in a forked grandchild with `dbtRunner(manifest=...)` and exits when done, which
frees every DuckDB lock and any memory the job grew; this process itself never opens the
warehouse. SIGINT is ignored here and restored in the grandchild, so a cancel reaches the job
only; end of input ends the worker.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import json
import os
import select
import selectors
import signal
import sys
import time
from pathlib import Path

from tui.core.jobs.dbt_read import read_args, run_read
from tui.core.jobs.project_digest import LEFT_OUT, project_digest

CANCEL_GRACE_S = (5.0, 3.0)
SKIP_MANIFEST_WRITE = ("--no-write-json",)
"""The kept manifest stays in memory: writing it out as manifest.json is most of a job's time on a
large project. A job's run_results.json is written by hand; dbt's partial-parse file still is."""
_POLL_S = 0.05
PRELOADED = (
    "dbt.task.run", "dbt.task.test", "dbt.task.build", "dbt.task.compile", "dbt.task.show",
    "dbt.task.seed", "dbt.task.snapshot", "dbt.graph.thread_pool", "dbt.parser.sql",
    "dbt_common.clients.agate_helper", "multiprocessing.dummy", "sqlparse", "daff", "babel.dates",
)
"""What dbt imports only once a job runs: imported here once, so no grandchild imports them again
(about 0.1 s of every job on the demo)."""


def say(kind: str, **fields: object) -> None:
    sys.stdout.write(json.dumps({"wb": kind, **fields}) + "\n")
    sys.stdout.flush()


class LinkedGraph:
    """dbt links the whole project's graph at the start of every job (about 2 s of a job at 5,000
    models), though the graph changes only when the manifest does: the worker links it once per
    parse and `Compiler.compile` hands each job a copy. Only for the kept manifest and for jobs
    without test edges (`build` links its own); with any other dbt than the one this was written
    against (no `Linker.link_graph`, say) every job links its own, as dbt does."""

    def __init__(self) -> None:
        self.manifest: object | None = None
        self.graph = None

    def install(self) -> None:
        try:
            from dbt import compilation

            original = compilation.Compiler.compile
            compilation.Linker.link_graph  # noqa: B018 - present in the dbt this is written for
        except (ImportError, AttributeError):
            return
        linked = self

        def compile(compiler, manifest, write=True, add_test_edges=False):
            if add_test_edges or manifest is not linked.manifest or linked.graph is None:
                return original(compiler, manifest, write, add_test_edges)
            compiler.initialize()
            return compilation.Graph(linked.graph.copy())

        compilation.Compiler.compile = compile

    def link(self, manifest: object | None) -> None:
        self.manifest, self.graph = manifest, None
        if manifest is None:
            return
        try:
            from dbt.compilation import Linker

            linker = Linker()
            linker.link_graph(manifest)
            self.graph = linker.graph
        except Exception:  # noqa: BLE001 - then each job links the graph itself, as dbt does
            self.graph = None


class Warm:
    """The parsed project, and the digest of the files it was parsed from."""

    def __init__(self, root: Path, target_path: str, warm_up: str | None = None) -> None:
        from dbt.cli.main import dbtRunner

        self.runner_class = dbtRunner
        self.root = root
        self.run_results = root / target_path / "run_results.json"
        self.left_out = LEFT_OUT | {target_path}
        self.manifest = None
        self.digest = ""
        self.problem = ""
        self.linked = LinkedGraph()
        self.linked.install()
        _preload(PRELOADED)
        self.hook = None
        self.warm_up_problem = ""
        if warm_up:
            self._warm_up(warm_up)

    def _warm_up(self, module: str) -> None:
        """The warehouse started once for every job; should it fail, each job starts its own (and
        says why, as dbt would)."""
        try:
            self.hook = importlib.import_module(module)
            self.hook.warm_up(self.root)
        except Exception as error:  # noqa: BLE001 - a JVM that does not start, a missing package
            self.hook, self.warm_up_problem = None, f"{type(error).__name__}: {error}".splitlines()[0]

    def after_fork(self) -> None:
        if self.hook is not None:
            self.hook.after_fork()

    def parse_if_changed(self) -> None:
        digest = project_digest(self.root, self.left_out)
        if digest == self.digest and self.manifest is not None:
            return
        started = time.monotonic()
        gc.unfreeze()  # the last manifest's objects can be collected again once it is dropped
        result = self.runner_class().invoke(["parse", "--quiet", "--no-use-colors", *SKIP_MANIFEST_WRITE])
        self.manifest = result.result if result.success else None
        self.linked.link(self.manifest)
        _freeze_heap()
        self.problem = "" if result.success else str(result.exception or "dbt parse failed")
        self.digest = digest if result.success else ""
        say("parsed", seconds=round(time.monotonic() - started, 3), ok=result.success, problem=self.problem)


def _freeze_heap() -> None:
    """Move everything alive now out of the garbage collector's sight (gc.freeze). A forked job
    would otherwise have its collections walk the whole kept manifest, touching every page of it
    and so copying it: about 0.4 s of a 1.0 s job at 5,000 models. Objects are still freed by
    reference counting; the next parse unfreezes first."""
    gc.collect()
    gc.freeze()


def _preload(modules: tuple[str, ...]) -> None:
    for name in modules:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def run_forked(warm: Warm, job: int, args: list[str], requests: "Requests", read: bool = False) -> None:
    """One job (or read) in a forked grandchild; cancel requests are watched for while it runs.
    A read needs no manifest, so no parse waits for it."""
    if not read:
        warm.parse_if_changed()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        _job_child(warm, args, read)
    say("started", job=job, pid=pid)
    cancelled_at: float | None = None
    # SIGINT twice: one sent in the moment after the fork, before the grandchild has put back
    # Python's SIGINT handler, is ignored like this process ignores it.
    signals = [(signal.SIGINT, 0.0), (signal.SIGINT, 1.0), (signal.SIGTERM, CANCEL_GRACE_S[0]), (signal.SIGKILL, sum(CANCEL_GRACE_S))]
    exit_fd = _exit_fd(pid)
    while True:
        ended, status = os.waitpid(pid, os.WNOHANG)
        if ended:
            break
        for request in requests.ready(_POLL_S, wake_fd=exit_fd):
            if "cancel" not in request:
                requests.later.append(request)  # a job asked for meanwhile: its turn comes next
            elif request["cancel"] == job and cancelled_at is None:
                cancelled_at = time.monotonic()
        if cancelled_at is not None:
            while signals and time.monotonic() - cancelled_at >= signals[0][1]:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signals.pop(0)[0])
    if exit_fd is not None:
        os.close(exit_fd)
    code = os.waitstatus_to_exitcode(status)
    say("done", job=job, code=code, cancelled=cancelled_at is not None, seconds=round(time.monotonic() - started, 3))


def _exit_fd(pid: int) -> int | None:
    """A descriptor that becomes readable when the grandchild ends (Linux), so its end is answered
    at once rather than at the next poll (up to 50 ms a job); None where there is none."""
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


def _job_child(warm: Warm, args: list[str], read: bool = False) -> None:
    """In the grandchild: run the job on the kept manifest (or the read), then exit without
    returning."""
    code = 2
    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        _end_with_the_worker()
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)  # requests are the worker's to read, not the job's
        warm.after_fork()
        if read:
            answer = run_read(warm.runner_class, args)
            say("rows", **answer)
            code = 0 if "rows" in answer else 1
        elif warm.manifest is None:
            sys.stdout.write(json.dumps({"info": {"name": "MainEncounteredError", "level": "error", "msg": warm.problem}, "data": {"exc": warm.problem}}) + "\n")
        else:
            result = warm.runner_class(manifest=warm.manifest).invoke([*args, *SKIP_MANIFEST_WRITE])
            _write_run_results(result.result, warm.run_results)
            code = 0 if result.success else (2 if result.exception is not None else 1)
    except KeyboardInterrupt:
        code = 130
    except BaseException as error:  # noqa: BLE001 - anything at all: said, then the grandchild ends
        sys.stdout.write(json.dumps({"info": {"name": "MainEncounteredError", "level": "error", "msg": str(error)}, "data": {"exc": repr(error)}}) + "\n")
    finally:
        sys.stdout.flush()
        os._exit(code)


def _end_with_the_worker() -> None:
    """Linux: should the worker die, its job gets SIGTERM instead of running on, orphaned."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _write_run_results(result: object, path: Path) -> None:
    """run_results.json, as dbt writes it, but without the 5,000-node manifest.json dbt writes
    with it (19 of a job's 26 seconds on a 5,000-model project). target/manifest.json is left as
    the last written one: the workbench reads it only when it is newer than every model."""
    from dbt.artifacts.schemas.run import RunExecutionResult

    write = getattr(result, "write", None)
    if isinstance(result, RunExecutionResult) and callable(write):
        path.parent.mkdir(parents=True, exist_ok=True)
        write(str(path))


class Requests:
    """JSON lines from stdin, read without blocking (the worker also waits on its grandchild)."""

    def __init__(self) -> None:
        self.fd = sys.stdin.fileno()
        os.set_blocking(self.fd, False)
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.fd, selectors.EVENT_READ)
        self.partial = b""
        self.closed = False
        self.later: list[dict] = []
        """Jobs asked for while one ran, in order; served once it is done."""

    def next_batch(self, timeout: float) -> list[dict]:
        """The jobs put off while one ran first, then whatever arrives."""
        if self.later:
            found, self.later = self.later, []
            return found
        return self.ready(timeout)

    def ready(self, timeout: float, wake_fd: int | None = None) -> list[dict]:
        """The requests that arrive within `timeout`; it returns early when `wake_fd` is readable."""
        if self.closed:
            if wake_fd is not None:
                select.select([wake_fd], [], [], timeout)
            else:
                time.sleep(timeout)
            return []
        if wake_fd is not None:
            self.selector.register(wake_fd, selectors.EVENT_READ)
        try:
            events = self.selector.select(timeout)
        finally:
            if wake_fd is not None:
                self.selector.unregister(wake_fd)
        found = []
        for key, _ in events:
            if key.fd != self.fd:
                continue
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                continue
            if not data:
                self.closed = True
                break
            *lines, self.partial = (self.partial + data).split(b"\n")
            for line in lines:
                try:
                    found.append(json.loads(line))
                except ValueError:
                    continue
        return found


def serve(root: Path, target_path: str, warm_up: str | None = None) -> int:
    os.chdir(root)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    started = time.monotonic()
    warm = Warm(root, target_path, warm_up)
    imported = time.monotonic() - started
    warm.parse_if_changed()
    say("ready", pid=os.getpid(), import_seconds=round(imported, 3), seconds=round(time.monotonic() - started, 3), warm_up_problem=warm.warm_up_problem)
    requests = Requests()
    while not requests.closed or requests.later:
        for request in requests.next_batch(1.0):
            if "job" in request and "read" in request:
                run_forked(warm, int(request["job"]), read_args(str(request["read"])), requests, read=True)
            elif "job" in request and "args" in request:
                run_forked(warm, int(request["job"]), [str(a) for a in request["args"]], requests)
    return 0


if __name__ == "__main__":
    sys.exit(serve(Path(sys.argv[1]).resolve(), sys.argv[2] if len(sys.argv) > 2 else "target", sys.argv[3] if len(sys.argv) > 3 else None))
