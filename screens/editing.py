"""The main screen's editing half: save, revert, conflicts, go to line, find, files changed outside.

Kept apart from the browsing half (screens/main.py); both work on the same screen. The rules
live in core (tui.core.model_buffers, tui.core.files): this module only asks the user and shows
results. Saves are small atomic writes and run on the UI thread, so the conflict dialog can
follow them directly.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from textual.actions import SkipAction
from textual.widgets import Input, Tabs, TextArea

from screens.dialogs import ConflictDialog, PromptDialog, UnsavedDialog
from tui.core.errors import WorkbenchError
from tui.core.files import FileChangedOnDisk
from tui.core.model_buffers import Buffer, disk_version, save_buffer
from tui.core.watch import SaveEchoes
from tui.widgets.editor_pane import EditorPane

if TYPE_CHECKING:
    from tui.core.project import DbtProject


class EditingMixin:
    """Mixed into MainScreen, which provides `project`, `panes()`, `reload_pane()` and Screen."""

    project: DbtProject
    echoes: SaveEchoes
    conflicts_open: set[str]
    last_search: str = ""

    def panes(self) -> list[EditorPane]:
        raise NotImplementedError

    def reload_pane(self, pane: EditorPane) -> None:
        raise NotImplementedError

    def scan_project(self) -> None:
        raise NotImplementedError

    def unsaved_panes(self) -> list[EditorPane]:
        return [pane for pane in self.panes() if pane.dirty]

    def focused_pane(self) -> EditorPane | None:
        focused = self.focused
        return next((pane for pane in self.panes() if focused is not None and pane in focused.ancestors_with_self), None)

    def action_save(self) -> None:
        unsaved = self.unsaved_panes()
        if not unsaved:
            self.notify("Nothing to save: no pane has edits.")
        for pane in unsaved:
            self.save_pane(pane)

    def save_pane(self, pane: EditorPane, overwrite_external: bool = False) -> bool:
        """True when the pane's text is on disk; conflicts and refusals are shown, nothing lost."""
        buffer = pane.buffer
        if buffer is None:
            return True
        try:
            saved = save_buffer(self.project.root, buffer, pane.text, overwrite_external=overwrite_external)
        except FileChangedOnDisk as changed:
            self.ask_about_conflict(pane, changed.current)
            return False
        except WorkbenchError as error:
            self.notify(str(error), title="Not saved", severity="error", timeout=10)
            return False
        if saved is not None and saved.file is not None:
            self.echoes.note(saved.file.target)
        pane.saved(saved)
        self.notify(f"Saved {buffer.path}." if saved else f"{buffer.path} had nothing to save.")
        self.scan_project()  # markers, lineage and lint follow the saved files
        return True

    def ask_about_conflict(self, pane: EditorPane, current: bytes | None) -> None:
        """One dialog per pane at a time (a save and the watcher may both notice the change)."""
        buffer = pane.buffer
        if pane.id in self.conflicts_open:
            return
        self.conflicts_open.add(pane.id)
        shown = disk_version(self.project.root, buffer, current)

        def decide(choice: str | None) -> None:
            self.conflicts_open.discard(pane.id)
            if choice == "reload":
                self.reload_pane(pane)
            elif choice == "overwrite":
                self.save_pane(pane, overwrite_external=True)

        self.app.push_screen(ConflictDialog(str(buffer.path), shown, pane.text), decide)

    def action_revert(self) -> None:
        pane = self.focused_pane() or next(iter(self.unsaved_panes()), None)
        if pane is not None and pane.buffer is not None:
            self.reload_pane(pane)
            self.notify(f"Reloaded {pane.buffer.path} from disk.")

    def confirm_leaving(self, leaving_to: str, proceed: Callable[[], None], stay: Callable[[], None]) -> None:
        """Ask about unsaved edits before `proceed`; `stay` runs when the user cancels."""
        unsaved = self.unsaved_panes()
        if not unsaved:
            proceed()
            return

        def decide(choice: str | None) -> None:
            if choice == "discard":
                proceed()
            elif choice == "save" and all(self.save_pane(pane) for pane in unsaved):
                proceed()
            else:
                stay()

        names = [str(pane.buffer.path) for pane in unsaved if pane.buffer is not None]
        self.app.push_screen(UnsavedDialog(names, leaving_to), decide)

    def files_changed(self, paths: set[Path]) -> None:
        """Files changed outside the app: clean panes follow silently, modified ones ask."""
        changed = {path.resolve() for path in paths}
        for pane in self.panes():
            target = _pane_target(self.project.root, pane.buffer)
            if target is None or target not in changed:
                continue
            if pane.dirty:
                self.ask_about_conflict(pane, _read_or_none(target))
            else:
                self.reload_pane(pane)

    def action_edit_sql(self) -> None:
        self._focus_editor("#sql-pane", "tab-sql")

    def action_edit_yaml(self) -> None:
        self._focus_editor("#yaml-pane", "tab-yaml")

    def _focus_editor(self, pane_id: str, tab_id: str) -> None:
        if isinstance(self.focused, (Input, TextArea)):
            raise SkipAction()  # typing "e" or "y" into a text field stays typing
        self.query_one("#pane-tabs", Tabs).active = tab_id
        self.set_focus(self.query_one(pane_id, EditorPane).editor)  # at once: the next keys are text

    def action_goto_line(self) -> None:
        pane = self.focused_pane() or self.query_one("#sql-pane", EditorPane)

        def go(answer: str | None) -> None:
            if answer and answer.isdigit():
                pane.editor.go_to_line(int(answer))
                pane.editor.focus()

        self.app.push_screen(PromptDialog("Go to line", "Line number:", digits_only=True), go)

    def action_find(self) -> None:
        pane = self.focused_pane() or self.query_one("#sql-pane", EditorPane)

        def find(answer: str | None) -> None:
            if answer:
                self.last_search = answer
                self._find_in(pane)

        self.app.push_screen(PromptDialog("Find", "Text to find (f3: next):", self.last_search), find)

    def action_find_next(self) -> None:
        pane = self.focused_pane() or self.query_one("#sql-pane", EditorPane)
        if self.last_search:
            self._find_in(pane)

    def _find_in(self, pane: EditorPane) -> None:
        pane.editor.focus()
        if not pane.editor.find_next(self.last_search):
            self.notify(f"«{self.last_search}» is not in {pane.buffer.path if pane.buffer else 'this pane'}.")


def _read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _pane_target(root: Path, buffer: Buffer | None) -> Path | None:
    if buffer is None:
        return None
    if buffer.file is not None:
        return buffer.file.target
    return (root / buffer.path).resolve()
