"""What steps 2 and 3 propose, prepared off the UI thread: the docs scaffold and test suggestions.

A widget with nothing to draw. Each proposal starts with a dbt compile of the model (a job in the
session's queue, so it is the file as it is now and waits its turn with other jobs); when the job
ends, a worker reads the columns and profiles the data through the warehouse (read-only), and
the result is posted: `EntryDrafted` (the entry text for the YAML pane, never written to disk
here) or `TestsProposed` (the suggestions, for the user to pick from).
"""

from __future__ import annotations

from typing import Callable

from textual import work
from textual.message import Message
from textual.widget import Widget

from tui.core.errors import WorkbenchError
from tui.core.jobs.preview import compiled_from
from tui.core.jobs.queue import Job
from tui.core.project.dbt_project import DbtProject
from tui.core.project.records import ModelFile, ProjectScan
from tui.core.workflow.drafts import docs_scaffold, test_suggestions
from tui.core.workflow.scaffold import Scaffold
from tui.core.workflow.suggest import Suggestion

DOCS = "docs"
TESTS = "tests"


class StepAssist(Widget):
    DEFAULT_CSS = "StepAssist { display: none; }"

    class EntryDrafted(Message):
        def __init__(self, model: ModelFile, scaffold: Scaffold | None, problem: str = "") -> None:
            super().__init__()
            self.model = model
            self.scaffold = scaffold
            self.problem = problem

    class TestsProposed(Message):
        def __init__(self, model: ModelFile, suggestions: list[Suggestion] | None, problem: str = "") -> None:
            super().__init__()
            self.model = model
            self.suggestions = suggestions
            self.problem = problem

    def __init__(self, project: DbtProject, compile_model: Callable[[str], Job]) -> None:
        super().__init__()
        self.project = project
        self.compile_model = compile_model
        self._waiting: dict[int, tuple[str, ModelFile, ProjectScan]] = {}

    @property
    def busy(self) -> bool:
        return bool(self._waiting)

    def draft_docs(self, model: ModelFile, scan: ProjectScan) -> None:
        self._waiting[self.compile_model(model.name).id] = (DOCS, model, scan)

    def propose_tests(self, model: ModelFile, scan: ProjectScan) -> None:
        self._waiting[self.compile_model(model.name).id] = (TESTS, model, scan)

    def job_changed(self, job: Job) -> None:
        """A compile this widget asked for has ended: on to the columns and the data."""
        if not job.finished or job.id not in self._waiting:
            return
        kind, model, scan = self._waiting.pop(job.id)
        compiled = compiled_from(job.outcome, model.name) if job.outcome is not None else None
        problem = (compiled.problem if compiled else job.note) or "the compile did not run"
        if compiled is None or compiled.sql is None:
            said = f"{model.name} does not compile: {problem}"
            self.post_message(self.EntryDrafted(model, None, said) if kind == DOCS else self.TestsProposed(model, None, said))
            return
        self._prepare(kind, model, scan, compiled.sql)

    @work(thread=True, exit_on_error=False, group="step-assist")
    def _prepare(self, kind: str, model: ModelFile, scan: ProjectScan, sql: str) -> None:
        try:
            if kind == DOCS:
                self.post_message(self.EntryDrafted(model, docs_scaffold(self.project, scan, model, sql)))
            else:
                self.post_message(self.TestsProposed(model, test_suggestions(self.project, scan, model, sql)))
        except WorkbenchError as error:
            said = f"the warehouse could not be read: {error}"
            self.post_message(self.EntryDrafted(model, None, said) if kind == DOCS else self.TestsProposed(model, None, said))

