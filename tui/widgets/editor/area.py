"""The editor area: the open model's SQL beside its YAML entry, and everything about their files.

It loads a model's two buffers in a worker, saves them (small atomic writes on the UI thread, so a
conflict can be shown at once), reverts, follows files changed outside, finds text and goes to
lines. Questions for the user (a file changed on disk) go up as messages: the screen owns the
dialogs and answers through `resolve_conflict`. The rules live in core (tui.core.buffers,
tui.core.files); this widget only shows results.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Literal

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Tab, Tabs, TextArea

from tui.core.buffers import Buffer, disk_version, open_sql, open_yaml, save_buffer
from tui.core.errors import WorkbenchError
from tui.core.schema.entry_input import EntryInvalid
from tui.core.files import FileChangedOnDisk, current_bytes
from tui.core.project.records import ModelFile, ProjectScan
from tui.core.scan.watch import SaveEchoes
from tui.widgets.editor.pane import EditorPane

PaneName = Literal["sql", "yaml"]
SaveGuard = Callable[[Buffer, str], "str | None"]
SCHEMA_PENDING = "Reading the schema YAML files..."


class EditorArea(Vertical):
    """Both panes of the open model; `scan` is bound by the screen, `model` is what is open."""

    scan: reactive[ProjectScan | None] = reactive(None, always_update=True, init=False)

    class ModelOpened(Message):
        """The model's buffers are in the panes (the latest one asked for; slower loads are dropped)."""

        def __init__(self, model: ModelFile) -> None:
            super().__init__()
            self.model = model

    class SqlChanged(Message):
        """The SQL pane's text is new (loaded or typed); the lint follows it."""

        def __init__(self, model: ModelFile, text: str) -> None:
            super().__init__()
            self.model = model
            self.text = text

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, EditorArea.SqlChanged)

    class Saved(Message):
        """A pane's text was written to `path`: markers, lineage and lint should follow."""

        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    class ConflictFound(Message):
        """The file under a pane changed on disk; the user must choose (reload, overwrite, cancel)."""

        def __init__(self, pane_id: str, file_name: str, disk_text: str | None, buffer_text: str) -> None:
            super().__init__()
            self.pane_id = pane_id
            self.file_name = file_name
            self.disk_text = disk_text
            self.buffer_text = buffer_text

    class _Loaded(Message):
        def __init__(self, model: ModelFile, sql: Buffer | str, yaml: Buffer | str) -> None:
            super().__init__()
            self.model = model
            self.sql = sql
            self.yaml = yaml

    def __init__(self, root: Path, new_entry_policy: str, echoes: SaveEchoes, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.root = root
        self.new_entry_policy = new_entry_policy
        self.echoes = echoes
        self.model: ModelFile | None = None
        self._wanted: str | None = None
        self._schema_seen: object = None
        self._conflicts_open: set[str] = set()
        self._last_search = ""
        self.save_guard: SaveGuard | None = None
        """Asked before a pane is saved: a reason refuses the save (the workflow's locks)."""

    def compose(self) -> ComposeResult:
        yield Tabs(Tab("SQL", id="tab-sql"), Tab("YAML", id="tab-yaml"), id="pane-tabs")
        with Horizontal(id="panes"):
            yield EditorPane("SQL", id="sql-pane")
            yield EditorPane("YAML", id="yaml-pane")

    # --- what is shown ------------------------------------------------------------------------

    @property
    def sql_pane(self) -> EditorPane:
        return self.query_one("#sql-pane", EditorPane)

    @property
    def yaml_pane(self) -> EditorPane:
        return self.query_one("#yaml-pane", EditorPane)

    def panes(self) -> list[EditorPane]:
        return [self.sql_pane, self.yaml_pane]

    @property
    def wanted_path(self) -> str | None:
        """The path of the model open or being opened (so a repeated request is not loaded twice)."""
        return self._wanted

    def open_model(self, model: ModelFile) -> None:
        """Load the model's buffers in a worker; ModelOpened follows (the caller dealt with edits)."""
        self._wanted = model.path
        if self.scan is not None:
            self._load(self.scan, model)

    @work(thread=True, exclusive=True, exit_on_error=False, group="load-model")
    def _load(self, scan: ProjectScan, model: ModelFile) -> None:
        self.post_message(self._Loaded(model, self._open_sql(model), self._open_yaml(scan, model)))

    def _open_sql(self, model: ModelFile) -> Buffer | str:
        try:
            return open_sql(self.root, model)
        except WorkbenchError as error:
            return str(error)

    def _open_yaml(self, scan: ProjectScan, model: ModelFile) -> Buffer | str:
        if not scan.schema.complete:
            return SCHEMA_PENDING
        try:
            rejected = scan.schema.named_in_rejected.get(model.name)
            return open_yaml(self.root, model, scan.entry_for(model.name), self.new_entry_policy, rejected)
        except WorkbenchError as error:
            return str(error)

    @on(_Loaded)
    def _show_loaded(self, message: _Loaded) -> None:
        if message.model.path != self._wanted:
            return  # a slower load for a model the user has already left
        self.model = message.model
        for pane, content in zip(self.panes(), (message.sql, message.yaml)):
            _show(pane, content)
        if not isinstance(message.yaml, Buffer) and self.scan is not None and self.scan.schema.complete:
            self.reload("yaml")  # the schema index arrived while this model was loading
        self.post_message(self.ModelOpened(message.model))
        self.post_message(self.SqlChanged(message.model, self._sql_to_lint()))

    def show_messages(self, sql_message: str, yaml_message: str) -> None:
        """Nothing to edit (a source, a problem): say so in the panes. Callers check for edits first."""
        self.model = None
        self._wanted = None
        self.sql_pane.show_message(sql_message)
        self.yaml_pane.show_message(yaml_message)

    def watch_scan(self, scan: ProjectScan | None) -> None:
        """A new schema index: the YAML pane follows it, unless it holds edits."""
        if scan is None or scan.schema is self._schema_seen or not scan.schema.complete:
            return
        self._schema_seen = scan.schema
        if self.model is not None and not self.yaml_pane.dirty:
            self.reload("yaml")

    def reload(self, which: PaneName) -> None:
        """Reopen one pane from disk for the open model (its edits, if any, are dropped)."""
        model, scan = self.model, self.scan
        if model is None or scan is None:
            return
        content = self._open_sql(model) if which == "sql" else self._open_yaml(scan, model)
        _show(self.sql_pane if which == "sql" else self.yaml_pane, content)
        if which == "sql":
            self.post_message(self.SqlChanged(model, self._sql_to_lint()))

    def _sql_to_lint(self) -> str:
        """The SQL pane's text, or the whole file when the pane shows it cut (read-only)."""
        buffer = self.sql_pane.buffer
        return buffer.whole_text if buffer is not None and buffer.whole_text is not None else self.sql_pane.text

    @on(TextArea.Changed)
    def _text_changed(self, event: TextArea.Changed) -> None:
        if self.model is not None and event.text_area is self.sql_pane.editor:
            self.post_message(self.SqlChanged(self.model, self._sql_to_lint()))

    # --- saving -------------------------------------------------------------------------------

    def unsaved_panes(self) -> list[EditorPane]:
        return [pane for pane in self.panes() if pane.dirty]

    def unsaved_names(self) -> list[str]:
        return [str(pane.buffer.path) for pane in self.unsaved_panes() if pane.buffer is not None]

    def save_all(self) -> bool:
        """Save every modified pane; True when all of them are on disk (nothing is lost either way)."""
        unsaved = self.unsaved_panes()
        if not unsaved:
            self.notify("Nothing to save: no pane has edits.")
        results = [self.save_pane(pane) for pane in unsaved]
        return all(results)

    def save_pane(self, pane: EditorPane, overwrite_external: bool = False) -> bool:
        """True when the pane's text is on disk; conflicts and refusals are shown, nothing lost."""
        buffer = pane.buffer
        if buffer is None:
            return True
        refusal = self.save_guard(buffer, pane.text) if self.save_guard is not None else None
        if refusal:
            self.notify(refusal, title="Not saved", severity="error", timeout=10)
            return False
        try:
            saved = save_buffer(self.root, buffer, pane.text, overwrite_external=overwrite_external)
        except FileChangedOnDisk as changed:
            self._report_conflict(pane, changed.current)
            return False
        except EntryInvalid as error:
            numbered = error.as_numbered_from(pane.editor.line_number_start)
            self.notify(str(numbered), title="Not saved", severity="error", timeout=10)
            return False
        except WorkbenchError as error:
            self.notify(str(error), title="Not saved", severity="error", timeout=10)
            return False
        if saved is not None and saved.file is not None:
            self.echoes.note(saved.file.target)
            self.post_message(self.Saved(saved.file.target))
        pane.saved(saved)
        self.notify(f"Saved {buffer.path}." if saved else f"{buffer.path} had nothing to save.")
        return True

    def revert(self) -> None:
        """Drop the focused pane's edits (or the first modified pane's) and reload it from disk."""
        pane = self.focused_pane() or next(iter(self.unsaved_panes()), None)
        if pane is not None and pane.buffer is not None:
            self.reload("sql" if pane is self.sql_pane else "yaml")
            self.notify(f"Reloaded {pane.buffer.path} from disk.")

    def propose_yaml(self, model: ModelFile, text: str) -> bool:
        """Put a proposed entry in the YAML pane as one undoable edit (not saved), if the model is still open."""
        pane = self.yaml_pane
        if self.model is None or self.model.path != model.path or pane.buffer is None:
            self.notify(f"{model.name} is no longer open: nothing was put in the YAML pane.", severity="warning")
            return False
        self.focus_pane("yaml")
        pane.editor.become(text)
        return True

    # --- files changed on disk ----------------------------------------------------------------

    def files_changed(self, paths: set[Path]) -> None:
        """Files changed outside the app: clean panes follow silently, modified ones ask."""
        changed = {path.resolve() for path in paths}
        for pane in self.panes():
            target = _pane_target(self.root, pane.buffer)
            if target is None or target not in changed:
                continue
            if pane.dirty:
                self._report_conflict(pane, _bytes_now(target))
            else:
                self.reload("sql" if pane is self.sql_pane else "yaml")

    def _report_conflict(self, pane: EditorPane, current: bytes | None) -> None:
        """One question per pane at a time (a save and the watcher may both notice the change)."""
        buffer = pane.buffer
        if buffer is None or pane.id in self._conflicts_open:
            return
        self._conflicts_open.add(pane.id)
        shown = disk_version(self.root, buffer, current)
        self.post_message(self.ConflictFound(pane.id, str(buffer.path), shown, pane.text))

    def resolve_conflict(self, pane_id: str, choice: str | None) -> None:
        """The user's answer to ConflictFound: 'reload', 'overwrite', or anything else to keep both."""
        self._conflicts_open.discard(pane_id)
        pane = self.query_one(f"#{pane_id}", EditorPane)
        if choice == "reload":
            self.reload("sql" if pane is self.sql_pane else "yaml")
        elif choice == "overwrite":
            self.save_pane(pane, overwrite_external=True)

    # --- moving around ------------------------------------------------------------------------

    def focused_pane(self) -> EditorPane | None:
        return next((pane for pane in self.panes() if pane.has_focus_within), None)

    def focus_pane(self, which: PaneName) -> None:
        """Show the pane's tab and put the cursor in its editor at once (the next keys are text)."""
        self.query_one("#pane-tabs", Tabs).active = f"tab-{which}"
        pane = self.sql_pane if which == "sql" else self.yaml_pane
        self.screen.set_focus(pane.editor)

    def switch_tab(self) -> None:
        tabs = self.query_one("#pane-tabs", Tabs)
        tabs.active = "tab-sql" if tabs.active == "tab-yaml" else "tab-yaml"

    @on(Tabs.TabActivated, "#pane-tabs")
    def _pick_pane(self, event: Tabs.TabActivated) -> None:
        event.stop()
        self.set_class(event.tab.id == "tab-yaml", "-show-yaml")

    def go_to_line(self, line: int, pane: EditorPane | None = None) -> None:
        """Go to a line of `pane` (the pane focused when the question was asked), else of the SQL."""
        pane = pane or self.focused_pane() or self.sql_pane
        pane.editor.go_to_line(line - pane.editor.line_number_start + 1)  # the number the gutter shows
        pane.editor.focus()

    def find(self, text: str, pane: EditorPane | None = None) -> None:
        self._last_search = text
        self.find_next(pane)

    def find_next(self, pane: EditorPane | None = None) -> None:
        pane = pane or self.focused_pane() or self.sql_pane
        if not self._last_search:
            return
        pane.editor.focus()
        if not pane.editor.find_next(self._last_search):
            where = pane.buffer.path if pane.buffer else "this pane"
            self.notify(f"«{self._last_search}» is not in {where}.")

    @property
    def last_search(self) -> str:
        return self._last_search

    def show_line(self, path: str, line: int | None) -> None:
        """Put the cursor on a file line in whichever pane shows that file (a lint finding's line)."""
        for pane in self.panes():
            buffer = pane.buffer
            if buffer is not None and str(buffer.path) == path:
                self.query_one("#pane-tabs", Tabs).active = "tab-sql" if pane is self.sql_pane else "tab-yaml"
                pane.editor.focus()
                if line:
                    pane.editor.go_to_line(line - buffer.first_line + 1)
                return


def _show(pane: EditorPane, content: Buffer | str) -> None:
    if isinstance(content, Buffer):
        pane.show(content)
    else:
        pane.show_message(content)


def _bytes_now(target: Path) -> bytes | None:
    """What the file holds now, for the conflict question; unreadable counts as gone."""
    try:
        return current_bytes(target)
    except WorkbenchError:
        return None


def _pane_target(root: Path, buffer: Buffer | None) -> Path | None:
    if buffer is None:
        return None
    if buffer.file is not None:
        return buffer.file.target
    return (root / buffer.path).resolve()
