"""The step tracker: the open model's four workflow steps, always in view, and what to do next.

It owns the open model's workflow as last read (`flow`). The flow is read in a worker (an entry
may sit in a large schema file) whenever the model, the scan or the workflow file changes (a
second instance of the app, or a hand edit, changes the file: it is polled by its stat), and
each new reading is posted as FlowRead so the screen can apply the locks to the editors.
States are words and symbols, never colour alone.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Sequence

from rich.text import Text
from textual import on, work
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from tui.core.errors import WorkbenchError
from tui.core.jobs.queue import Job
from tui.core.project.records import ModelFile, ProjectScan
from tui.core.workflow.flow import ModelFlow, flow_of, record_run, start_change
from tui.core.workflow.artifacts import Artifacts
from tui.core.workflow.machine import StepState
from tui.core.workflow.run_result import run_result
from tui.core.workflow.steps import Status, Step
from tui.core.workflow.store import WorkflowStore

POLL_S = 2.0
STYLES = {Status.APPROVED: "green", Status.OPEN: "bold", Status.STALE: "bold yellow", Status.LOCKED: "dim"}


class StepTracker(Static):
    """Shows `flow` for the model it follows; `key_for(action)` gives the key shown for an action."""

    DEFAULT_CSS = """
    StepTracker { height: auto; max-height: 2; padding: 0 1; background: $boost; }
    """

    scan: reactive[ProjectScan | None] = reactive(None, always_update=True, init=False)

    class FlowRead(Message):
        """The followed model's workflow, as read now (None: no model is followed)."""

        def __init__(self, model: ModelFile | None, flow: ModelFlow | None) -> None:
            super().__init__()
            self.model = model
            self.flow = flow

    class _Read(Message):
        def __init__(self, model: ModelFile, flow: ModelFlow, stamp: object) -> None:
            super().__init__()
            self.model = model
            self.flow = flow
            self.stamp = stamp

    def __init__(self, root: Path, key_for: Callable[[str], str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.store = WorkflowStore(root)
        self.key_for = key_for
        self.model: ModelFile | None = None
        self.flow: ModelFlow | None = None
        self._stamp: object = None
        self._drawn: str | None = None
        """The markup last drawn: a poll that finds nothing new draws nothing."""
        self._reading = 0
        """Each reading asked for is numbered: a slower, older one arriving late is dropped."""
        self._runs: dict[int, tuple[ModelFile, Artifacts, Job, Job]] = {}
        """Test job id -> (model, the artifacts it ran on, the run job, the test job): step 4 results to record."""

    def on_mount(self) -> None:
        self.set_interval(POLL_S, self._poll)
        self._draw()

    # --- what is followed ----------------------------------------------------------------------

    def follow(self, model: ModelFile | None) -> None:
        self.model = model
        self.flow = None
        self._draw()
        self.reread()

    def watch_scan(self) -> None:
        self.reread()

    def reread(self) -> None:
        if self.model is None or self.scan is None:
            self.post_message(self.FlowRead(None, None))
            return
        self._stamp = self._file_stamp(self.model.name)
        self._reading += 1
        self._read(self.scan, self.model, self._reading)

    @work(thread=True, exclusive=True, exit_on_error=False, group="workflow-read")
    def _read(self, scan: ProjectScan, model: ModelFile, reading: int) -> None:
        self.post_message(self._Read(model, flow_of(self.store, scan, model), reading))

    @on(_Read)
    def _got(self, message: _Read) -> None:
        message.stop()
        if self.model is None or message.model.path != self.model.path or message.stamp != self._reading:
            return  # another model's, or an older reading than the last one asked for
        self.flow = message.flow
        self._draw()
        self.post_message(self.FlowRead(message.model, message.flow))

    def _file_stamp(self, model_name: str) -> object:
        try:
            info = os.stat(self.store.path_of(model_name))
        except OSError:
            return None
        return (info.st_mtime_ns, info.st_size, info.st_ino)

    def _poll(self) -> None:
        """The workflow file changed outside this app (another instance, an edit): read it again."""
        if self.model is not None and self._file_stamp(self.model.name) != self._stamp:
            self.reread()

    # --- what the user does --------------------------------------------------------------------

    def start(self, model: ModelFile | None = None) -> str:
        """Bring the model (default: the followed one) into the workflow; the words to tell the user."""
        model = model or self.model
        if model is None:
            return "Open a model first: the workflow starts on the open model."
        if model.name in self.store.managed() and self.store.load(model.name).problem is None:
            return f"{model.name} is in the workflow already."
        try:
            start_change(self.store, model)
        except WorkbenchError as error:
            return str(error)
        self.reread()
        return f"{model.name} is in the workflow: step 1, the SQL, is open."

    def flow_now(self) -> ModelFlow | None:
        """The followed model's flow, read now when the last reading may be behind (locks are
        checked against the files as they are, not as they were)."""
        if self.model is None or self.scan is None:
            return None
        if self.model.name not in self.store.managed():
            return self.flow if self.flow is not None and not self.flow.managed else ModelFlow(self.model.name)
        return flow_of(self.store, self.scan, self.model)

    def flow_of_model(self, name: str) -> ModelFlow | None:
        """Any model's flow, read now (None: not in the workflow, or not in the project)."""
        model = self.scan.model_named(name) if self.scan is not None else None
        if model is None or name not in self.store.managed():
            return None
        return flow_of(self.store, self.scan, model)

    def run_refusal(self) -> str | None:
        """Why the run is refused for the followed model now (None: run it)."""
        flow = self.flow_now()
        return flow.locked_reason(Step.RUN) if flow is not None else None

    def ran(self, jobs: Sequence[Job]) -> None:
        """A run+test was queued for the followed model: its result goes to step 4 when it ends."""
        flow = self.flow_now()
        if self.model is not None and flow is not None and flow.managed and flow.artifacts is not None:
            self._runs[jobs[-1].id] = (self.model, flow.artifacts, jobs[0], jobs[-1])

    def job_changed(self, job: Job) -> None:
        """Record step 4 once the test job after the run has ended (skipped, when the run failed)."""
        if not job.finished or job.id not in self._runs or self.scan is None:
            return
        model, artifacts, run, test = self._runs.pop(job.id)
        result = run_result(run, test)
        try:
            record_run(self.store, self.scan, model, artifacts, result.passed, result.summary, result.failing)
        except WorkbenchError as error:
            self.notify(f"The run's result was not recorded: {error}", title="Workflow", severity="warning")
        if self.model is not None and model.path == self.model.path:
            self.reread()

    # --- drawing --------------------------------------------------------------------------------

    def _draw(self) -> None:
        text = self._text()
        text.no_wrap, text.overflow = True, "ellipsis"  # two lines at most, whatever the width
        if text.markup != self._drawn:  # an update re-lays the screen out (polls come twice a second)
            self._drawn = text.markup
            self.update(text)

    def _text(self) -> Text:
        if self.model is None:
            return Text("Workflow: open a model to see its steps.", style="dim italic")
        flow = self.flow
        if flow is None:
            return Text("Workflow: reading...", style="dim italic")
        if flow.problem is not None:
            return Text.assemble(("Workflow file unreadable  ", "bold red"), f"{flow.problem}. {self.key_for('start_change')}: start again (the file is kept).")
        if not flow.managed:
            return Text.assemble(("Workflow: not started  ", "bold"), (f"{self.key_for('start_change')}: start a change on this model", "dim"))
        if flow.artifact_problem:
            return Text.assemble(("Workflow  ", "bold"), (flow.artifact_problem, "red"))
        return self._steps_text(flow)

    def _steps_text(self, flow: ModelFlow) -> Text:
        """Line 1: the steps (a locked step's word is dropped when the line would not fit);
        line 2: the key for the current step and what it needs."""
        current = flow.current
        room = self.size.width - 2 if self.size.width else 200
        worded = (
            lambda state: True,
            lambda state: state.status is not Status.LOCKED,
            lambda state: state is current,
        )
        lines = [self._steps_line(flow, words) for words in worded] + [self._symbols_line(flow)]
        text = next((line for line in lines if line.cell_len <= room), lines[-1])
        if current is None:
            text.append("\n✓ every step approved: " + flow.states[-1].reason, "green")
            return text
        key = self.key_for("review_step")
        what = {Step.SQL: "the SQL", Step.DOCS: "the docs", Step.TESTS: "the tests"}.get(current.step)
        text.append(f"\n{key}: " + ("run and test it" if what is None else f"review and approve {what}"), "bold")
        if not current.reason.startswith("review the"):
            text.append(f" · {current.reason}", "dim")
        return text

    def _steps_line(self, flow: ModelFlow, worded: Callable[[StepState], bool]) -> Text:
        """The four steps, each with its symbol; with its state's word where `worded` says."""
        text = Text()
        for index, state in enumerate(flow.states):
            if index:
                text.append(" · ", "dim")
            word = f" {state.status.value}" if worded(state) else ""
            text.append(f"{state.step.number} {state.step.title} {state.status.symbol}{word}", STYLES[state.status])
        return text

    def _symbols_line(self, flow: ModelFlow) -> Text:
        """The narrowest form: each step's name and symbol (the symbols say the state)."""
        text = Text()
        for state in flow.states:
            text.append(f"{state.step.title}{state.status.symbol} ", STYLES[state.status])
        text.rstrip()
        return text

    def on_resize(self) -> None:
        self._draw()
