"""The offer at start to restore edits kept when the terminal went away (tui.core.recovery).

One recovery at a time: which panes it holds, when and why it was written, and for each pane the
diff of the recovered text against the same part of the file as it is on disk now. Restore puts
the text back into the panes unsaved; discard sets the file aside; later keeps it for next time.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.syntax import Syntax
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Static

from screens.dialogs import DIALOG_CSS, ChoiceDialog
from tui.bindings import bindings_for
from tui.core.commands import RECOVERY_COMMANDS
from tui.core.buffers import Buffer, PaneKind, disk_version
from tui.core.files import current_bytes
from tui.core.project.records import ModelFile
from tui.core.recovery import FOLDER, Recovery, RecoveredPane, diff_against, pending_recoveries, set_aside
from tui.widgets.editor.recovered import restore_into

if TYPE_CHECKING:
    from screens.main import MainScreen


class RecoveryDialog(ChoiceDialog):
    DEFAULT_CSS = DIALOG_CSS.format(name="RecoveryDialog") + """
    RecoveryDialog > Vertical { width: 100; border: round $warning; }
    RecoveryDialog #recovery-diff { height: auto; max-height: 40vh; border: round $primary 50%; }
    """
    BINDINGS = bindings_for(RECOVERY_COMMANDS)
    COMMANDS_LIST = RECOVERY_COMMANDS

    def __init__(self, recovery: Recovery, diffs: list[str], remaining: int) -> None:
        """`diffs`: one per pane, against the file now; `remaining`: recoveries after this one."""
        super().__init__()
        self.recovery = recovery
        self.diffs = diffs
        self.remaining = remaining

    def compose(self) -> ComposeResult:
        panes = self.recovery.panes
        listed = ", ".join(f"{pane.path} ({pane.kind})" for pane in panes)
        why = f" on {self.recovery.signal}" if self.recovery.signal else ""
        more = f" {self.remaining} more after this one." if self.remaining else ""
        with Vertical() as box:
            box.border_title = "Recovered edits"
            yield Static(
                f"Unsaved edits of {panes[0].model} were kept{why} at {self.recovery.written_at}: {listed}. "
                f"Your files were not changed. Restore puts the edits back in the panes, unsaved.{more}",
                id="recovery-text", classes="dialog-text",
            )
            with VerticalScroll(id="recovery-diff"):
                yield Static(Syntax("".join(self.diffs), "diff", theme="monokai", background_color="default"))
            with Horizontal():
                yield Button("Restore (r)", id="restore", variant="primary")
                yield Button("Discard (d)", id="discard", variant="error")
                yield Button("Later (esc)", id="cancel")
        yield Footer()  # its choices show once the dialog takes keys (ChoiceDialog's guard)


class RecoveryOffer:
    """The main screen's part in recovery: offered once, after the schema index (the YAML pane
    needs it), and the restore done when the recovered model has opened."""

    def __init__(self, screen: "MainScreen") -> None:
        self.screen = screen
        self.offered = False
        self.pending: Recovery | None = None
        """Restore this once its model is open."""

    def offer(self) -> None:
        if self.offered:
            return
        self.offered = True
        found, unreadable = pending_recoveries(self.screen.project.root)
        for bad in unreadable:
            self.screen.notify(f"{bad.file.name} cannot be read ({bad.reason}); it is left as it is.", title="Recovery", severity="warning", timeout=10)
        self._ask(found)

    def _ask(self, found: list[Recovery]) -> None:
        if not found:
            return
        recovery, later = found[0], found[1:]
        root = self.screen.project.root
        diffs = [diff_against(pane, disk_version(root, _as_buffer(pane), current_bytes(root / pane.path))) for pane in recovery.panes]

        def decide(choice: str | None) -> None:
            if choice == "restore":
                self._restore(recovery)
                return  # one model in the panes at a time: the rest are offered at the next start
            if choice == "discard":
                kept = set_aside(recovery, "discarded")
                said = f"Set aside as {kept.name} in {FOLDER}." if kept else f"Could not rename {recovery.file.name}: it is offered again at the next start."
                self.screen.notify(said, title="Recovery")
            self._ask(later)

        # decided once the dialog is gone, so what is said shows on the main screen, not on the dialog
        self.screen.app.push_screen(RecoveryDialog(recovery, diffs, len(later)), lambda choice: self.screen.call_after_refresh(decide, choice))

    def _restore(self, recovery: Recovery) -> None:
        screen = self.screen
        name = recovery.panes[0].model
        model = screen.scan.model_named(name) if screen.scan else None
        if model is None:
            screen.notify(f"{name} is not in the project now: the recovery is kept in {FOLDER}.", title="Recovery", severity="warning", timeout=10)
            return
        self.pending = recovery
        if screen.open_model is not None and screen.open_model.path == model.path:
            self.model_opened(model)
        else:
            screen.jump_to_model(model)

    def model_opened(self, model: ModelFile) -> None:
        recovery = self.pending
        if recovery is None or model.name != recovery.panes[0].model:
            return
        self.pending = None
        restored = restore_into(self.screen.editors, recovery.panes)
        left = [pane.path for pane in recovery.panes if pane.path not in restored]
        if left:  # kept as it is: offered again at the next start
            said = f"Not restored (the pane edits something else now): {', '.join(left)}; {recovery.file.name} is kept in {FOLDER}."
            if restored:
                said = f"Restored unsaved edits of {', '.join(restored)}. " + said
            self.screen.notify(said, title="Recovery", severity="warning", timeout=12)
            return
        kept = set_aside(recovery, "restored")
        said = f"Restored unsaved edits of {', '.join(restored)}: review, then save (the usual checks apply)."
        if kept is None:
            said += f" ({recovery.file.name} could not be renamed: it is offered again at the next start.)"
        self.screen.notify(said, title="Recovery", timeout=12)


def _as_buffer(pane: RecoveredPane) -> Buffer:
    return Buffer(PaneKind(pane.kind), pane.model, Path(pane.path), pane.loaded, "")
