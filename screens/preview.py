"""A model's preview: its compiled SQL (from the file as it is now) over a page of its rows.

The compile is a dbt job in the session's queue (so it waits for a running job, shows in the
jobs history, and runs warm); the rows are read once it ended, a page at a time.
"""

from __future__ import annotations

from typing import Callable

from rich.syntax import Syntax
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from tui.bindings import bindings_for
from tui.core.commands import PREVIEW_COMMANDS
from tui.core.errors import WorkbenchError
from tui.core.jobs.preview import PAGE_ROWS, CompiledModel, compiled_from, preview_page
from tui.core.jobs.queue import Job
from tui.core.project.dbt_project import DbtProject
from tui.core.warehouse.query_rows import QueryRows

CELL_WIDTH = 40


class PreviewScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    PreviewScreen { align: center middle; }
    PreviewScreen > Vertical { width: 100%; height: 100%; border: round $primary; padding: 0 1; }
    PreviewScreen #preview-status { height: auto; }
    PreviewScreen #preview-sql { height: 2fr; min-height: 4; border: round $primary 50%; }
    PreviewScreen #preview-rows { height: 3fr; min-height: 5; border: round $primary 50%; }
    """
    BINDINGS = bindings_for(PREVIEW_COMMANDS)
    COMMANDS_LIST = PREVIEW_COMMANDS

    class PageRead(Message):
        def __init__(self, page: int, rows: QueryRows | None, problem: str | None) -> None:
            super().__init__()
            self.page = page
            self.rows = rows
            self.problem = problem

    def __init__(self, project: DbtProject, model: str, compile_model: Callable[[str], Job]) -> None:
        super().__init__()
        self.project = project
        self.model = model
        self.compile_model = compile_model
        self.job: Job | None = None
        self.compiled: CompiledModel | None = None
        self.page = 0
        self.shown: QueryRows | None = None

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = f"Preview of {self.model}"
            yield Static(f"Compiling {self.model} from its file as it is now...", id="preview-status")
            with VerticalScroll(id="preview-sql"):
                yield Static(id="preview-sql-text")
            yield DataTable(id="preview-rows", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#preview-sql").border_title = "Compiled SQL"
        self.query_one("#preview-rows").border_title = "Rows"
        self.job = self.compile_model(self.model)

    # --- the compile job, then pages of rows -----------------------------------------------------

    def follow_job(self, job: Job) -> None:
        if job is not self.job or not job.finished:
            return
        if job.outcome is None:
            self._say(job.note or "The compile did not run.")
            return
        self.compiled = compiled_from(job.outcome, self.model)
        if self.compiled.sql is None:
            self._say(f"✗ {self.model} does not compile: {self.compiled.problem}")
            return
        self.query_one("#preview-sql-text", Static).update(Syntax(self.compiled.sql, "sql", line_numbers=True, word_wrap=False))
        self._read(0)

    def _read(self, page: int) -> None:
        self._say(f"Reading rows {page * PAGE_ROWS + 1}–{(page + 1) * PAGE_ROWS}...")
        self.read_page(page)

    @work(thread=True, exclusive=True, exit_on_error=False, group="preview-rows")
    def read_page(self, page: int) -> None:
        assert self.compiled is not None and self.compiled.sql is not None
        try:
            self.post_message(self.PageRead(page, preview_page(self.project, self.compiled.sql, page), None))
        except WorkbenchError as error:
            self.post_message(self.PageRead(page, None, str(error)))

    @on(PageRead)
    def page_read(self, message: PageRead) -> None:
        if message.rows is None:
            self._say(f"✗ {message.problem}")
            return
        self.page, self.shown = message.page, message.rows
        table = self.query_one("#preview-rows", DataTable)
        table.clear(columns=True)
        table.add_columns(*message.rows.columns)
        table.add_row(*(Text(kind, style="dim italic") for kind in message.rows.types), key="types")
        for values in message.rows.rows:
            table.add_row(*(_cell(value) for value in values))
        self._say(page_summary(message.page, message.rows))

    def _say(self, text: str) -> None:
        self.query_one("#preview-status", Static).update(text)

    # --- actions ------------------------------------------------------------------------------

    def action_copy_sql(self) -> None:
        if self.compiled is None or self.compiled.sql is None:
            self.notify("Nothing to copy yet: the SQL has not compiled.", severity="warning")
            return
        self.app.copy_text(self.compiled.sql, f"the compiled SQL of {self.model}")

    def action_copy_row(self) -> None:
        table = self.query_one("#preview-rows", DataTable)
        row = table.cursor_row - 1  # the first row shows the types
        if self.shown is None or not 0 <= row < len(self.shown.rows):
            self.notify("Move the cursor to a row first (the first line is the column types).", severity="warning")
            return
        self.app.copy_text(row_as_tsv(self.shown.columns, self.shown.rows[row]), f"row {self.page * PAGE_ROWS + row + 1} of {self.model}")

    def action_page(self, step: int) -> None:
        if self.shown is None or self.compiled is None:
            return
        last = max(0, ((self.shown.total or 0) - 1) // PAGE_ROWS)
        page = max(0, min(last, self.page + step))
        if page != self.page:
            self._read(page)


def page_summary(page: int, rows: QueryRows) -> str:
    if not rows.rows:
        return "✓ It compiles; its query returns no rows."
    first = page * PAGE_ROWS + 1
    return f"Rows {first}–{first + len(rows.rows) - 1} of {rows.total} · {len(rows.columns)} columns · n / p: next / previous page"


def row_as_tsv(columns: tuple[str, ...], values: tuple) -> str:
    """The column names over the values, tab-separated (pastes as two rows of a spreadsheet)."""
    def cell(value: object) -> str:
        return "" if value is None else str(value).replace("\t", " ").replace("\n", " ")

    return "\t".join(columns) + "\n" + "\t".join(cell(v) for v in values) + "\n"


def _cell(value: object) -> str:
    text = "∅" if value is None else str(value)
    return text if len(text) <= CELL_WIDTH else text[: CELL_WIDTH - 1] + "…"
