"""One editor pane: a title saying what is edited (and whether it is modified), a note, the editor."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static, TextArea

from tui.core.project.lineage import fit_title
from tui.core.buffers import Buffer
from tui.widgets.editor.code_editor import CodeEditor

MODIFIED = "● "


class EditorPane(Vertical):
    """Shows a Buffer in a CodeEditor; the editor area decides what saving means."""

    DEFAULT_CSS = """
    EditorPane > .pane-title { height: 1; color: $text-muted; padding: 0 1; text-style: italic; }
    EditorPane.-dirty > .pane-title { color: $warning; text-style: bold; }
    EditorPane > .pane-note { color: $text-warning; padding: 0 1; height: auto; display: none; }
    EditorPane.-noted > .pane-note { display: block; }
    EditorPane > CodeEditor, EditorPane > CodeEditor:focus { height: 1fr; border: none; padding: 0; }
    """

    def __init__(self, label: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.label = label
        self.buffer: Buffer | None = None
        self.lock: str | None = None
        """Why the workflow keeps this pane read-only now (None: it does not)."""
        self._shown: dict[str, str] = {}
        """The title and note as last drawn."""

    def compose(self) -> ComposeResult:
        yield Static(self.label, classes="pane-title")
        yield Static(classes="pane-note")
        yield CodeEditor("", lexer=None, read_only=True)

    @property
    def editor(self) -> CodeEditor:
        return self.query_one(CodeEditor)

    @property
    def text(self) -> str:
        return self.editor.text

    @property
    def dirty(self) -> bool:
        return self.buffer is not None and self.editor.text != self.buffer.shown

    def show(self, buffer: Buffer) -> None:
        """Load a buffer, replacing whatever was shown (the caller has dealt with unsaved edits).

        The same file with the text the editor already holds (reopened after a save, or when a
        new scan arrives) is not loaded again, so the undo history and the cursor stay.
        """
        if not self._holds(buffer):
            self.editor.load(buffer.shown, buffer.lexer)
        self.buffer = buffer
        self.editor.line_number_start = buffer.first_line
        self._apply_lock()
        self._refresh_dirty()

    def set_lock(self, reason: str | None) -> None:
        """The workflow locks (or unlocks) the pane: read-only, and the note says why."""
        if reason != self.lock:
            self.lock = reason
            if self.buffer is not None:
                self._apply_lock()

    def _apply_lock(self) -> None:
        buffer = self.buffer
        assert buffer is not None
        self.editor.read_only = buffer.read_only or (self.lock is not None and not self.dirty)
        locked = f"Read-only: {self.lock}" if self.lock and not self.dirty else None
        self._set_note(locked or buffer.note or self.editor.notice)

    def restore(self, text: str) -> None:
        """Put recovered text back as one undoable, unsaved edit (undo reaches the file's text)."""
        self.editor.become(text)
        if self.buffer is not None:
            self._apply_lock()
        self._refresh_dirty()

    def show_message(self, message: str) -> None:
        """Nothing to edit here (a source, a problem, no model): say so, read-only."""
        self.buffer = None
        self.editor.load(message, None)
        self.editor.read_only = True
        self.editor.line_number_start = 1
        self._set_note(None)
        self._refresh_dirty()

    def saved(self, buffer: Buffer | None) -> None:
        """After a save: the new buffer becomes the clean state; the cursor and the undo history stay.

        A saved entry may read differently once spliced into its file (tidied); the editor takes
        that as one undoable edit, so undo still reaches the text as it was typed.
        """
        if buffer is not None:
            self.buffer = buffer
            self.editor.line_number_start = buffer.first_line
            self.editor.become(buffer.shown)
        self.editor.mark_saved()
        self._set_note(self.buffer.note if self.buffer else None)
        self._refresh_dirty()

    def _holds(self, buffer: Buffer) -> bool:
        """Does the editor already show this buffer's file and text, as the same kind of text?"""
        shown = self.buffer
        return (
            shown is not None and shown.path == buffer.path and shown.model_name == buffer.model_name
            and shown.lexer == buffer.lexer and self.editor.text == buffer.shown
        )

    def _set_note(self, note: str | None) -> None:
        if (note or "") != self._shown.get("note"):  # an update re-lays the screen out: only on change
            self._shown["note"] = note or ""
            self.query_one(".pane-note", Static).update(note or "")
        self.set_class(bool(note), "-noted")

    def on_code_editor_typed_while_read_only(self, event: CodeEditor.TypedWhileReadOnly) -> None:
        """Say why nothing is typed, and the way out (the letter is no command here)."""
        event.stop()
        why = self.lock or (self.buffer.note if self.buffer and self.buffer.note else "this pane cannot be edited")
        what = "The YAML" if self.id == "yaml-pane" else "This pane"
        self.app.bell()
        self.notify(f"{what} is read-only: {why}. esc: back to the tree.", severity="warning", timeout=4)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        """Refresh the marker; the event goes on up (the screen re-lints the SQL)."""
        self._refresh_dirty()

    def on_resize(self) -> None:
        self._refresh_dirty()

    def _refresh_dirty(self) -> None:
        """The title keeps the file name whatever the width: the path is shortened from the left."""
        dirty = self.dirty
        title = self.buffer.title if self.buffer else self.label
        suffix = "  (modified)" if dirty else ""
        room = (self.size.width - 4) if self.size.width else 200
        if dirty and len(MODIFIED + title + suffix) > room:
            suffix = ""  # the ● and the colour still say it
        fitted = fit_title(title, room - len(suffix) - (len(MODIFIED) if dirty else 0))
        shown = (MODIFIED + fitted + suffix) if dirty else fitted
        if shown != self._shown.get("title"):  # every keystroke comes here: update only on change
            self._shown["title"] = shown
            self.query_one(".pane-title", Static).update(shown)
        self.set_class(dirty, "-dirty")
