"""Small modal dialogs: external change on disk, unsaved edits, go to line, find."""

from __future__ import annotations

import difflib

from rich.syntax import Syntax
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from tui.bindings import bindings_for
from tui.core.commands import CONFLICT_COMMANDS, PROMPT_COMMANDS, UNSAVED_COMMANDS

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 76; max-width: 100%; height: auto; max-height: 90%;
    border: round $warning; background: $surface; padding: 0 1; }}
{name} .dialog-text {{ margin: 1 0; }}
{name} Horizontal {{ height: auto; align-horizontal: right; }}
{name} Button {{ margin-left: 1; min-width: 10; }}
{name} Input {{ margin: 1 0 0 0; }}
"""


def unified_diff(disk_text: str, buffer_text: str, name: str) -> str:
    """What the buffer would change in the file as it is on disk now."""
    lines = difflib.unified_diff(
        disk_text.splitlines(keepends=True),
        buffer_text.splitlines(keepends=True),
        fromfile=f"{name} (on disk)",
        tofile=f"{name} (your edits)",
    )
    return "".join(lines) or "No difference in the text (only line endings or encoding differ)."


KEY_GUARD_S = 0.6
"""How long a choice dialog ignores keys after it appears: a letter typed for the editor must not
choose for the user (the watcher can open the conflict dialog mid-word)."""


class ChoiceDialog(ModalScreen[str]):
    """A dialog whose choices are keys and buttons: deaf to both for KEY_GUARD_S after it appears,
    and with no button focused, so only a deliberate key or click chooses. Escape (keep
    everything as it is) always works."""

    AUTO_FOCUS = None
    armed = False

    def on_mount(self) -> None:
        self.set_timer(KEY_GUARD_S, self._arm)

    def _arm(self) -> None:
        self.armed = True
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.armed or parameters == ("cancel",):
            return True
        return False if action in ("choose", "toggle_diff") else True

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if self.armed or event.button.id == "cancel":
            self.choose_button(event.button.id or "cancel")

    def choose_button(self, button_id: str) -> None:
        self.dismiss(button_id)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)


class ConflictDialog(ChoiceDialog):
    """The file changed on disk since it was loaded; the user picks what happens. Never silent."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ConflictDialog") + """
    ConflictDialog #diff { height: auto; max-height: 40vh; display: none; border: round $primary 50%; }
    ConflictDialog.-diff #diff { display: block; }
    """
    BINDINGS = bindings_for(CONFLICT_COMMANDS)
    COMMANDS_LIST = CONFLICT_COMMANDS

    def __init__(self, file_name: str, disk_text: str | None, buffer_text: str) -> None:
        super().__init__()
        self.file_name = file_name
        self.disk_text = disk_text
        self.buffer_text = buffer_text

    def compose(self) -> ComposeResult:
        if self.disk_text is None:
            what = f"{self.file_name} was deleted on disk while you edited it."
            choices = "Reload drops your edits; overwrite writes them back as a new file."
        else:
            what = f"{self.file_name} changed on disk since you opened it (another program wrote it)."
            choices = "Reload takes the file from disk and drops your edits; overwrite replaces it with yours."
        with Vertical() as box:
            box.border_title = "Changed on disk"
            yield Static(f"{what}\n{choices} Nothing is written until you choose.", classes="dialog-text")
            diff = unified_diff(self.disk_text or "", self.buffer_text, self.file_name)
            with VerticalScroll(id="diff"):
                yield Static(Syntax(diff, "diff", theme="monokai", background_color="default"))
            with Horizontal():
                yield Button("Reload (r)", id="reload", variant="primary")
                yield Button("Overwrite (o)", id="overwrite", variant="error")
                yield Button("Diff (d)", id="diff-button")
                yield Button("Cancel (esc)", id="cancel")

    def choose_button(self, button_id: str) -> None:
        if button_id == "diff-button":
            self.action_toggle_diff()
        else:
            self.dismiss(button_id)

    def action_toggle_diff(self) -> None:
        self.toggle_class("-diff")


class UnsavedDialog(ChoiceDialog):
    """Unsaved edits would be dropped (quit, or another model); save, discard or stay."""

    DEFAULT_CSS = DIALOG_CSS.format(name="UnsavedDialog")
    BINDINGS = bindings_for(UNSAVED_COMMANDS)
    COMMANDS_LIST = UNSAVED_COMMANDS

    def __init__(self, names: list[str], leaving_to: str) -> None:
        super().__init__()
        self.names = names
        self.leaving_to = leaving_to

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Unsaved edits"
            listed = ", ".join(self.names)
            yield Static(f"{listed} {'has' if len(self.names) == 1 else 'have'} unsaved edits. "
                         f"Save before {self.leaving_to}?", classes="dialog-text")
            with Horizontal():
                yield Button("Save (s)", id="save", variant="primary")
                yield Button("Discard (d)", id="discard", variant="error")
                yield Button("Cancel (esc)", id="cancel")


class PromptDialog(ModalScreen[str | None]):
    """One line of input (go to line, find); enter confirms, escape cancels with None."""

    DEFAULT_CSS = DIALOG_CSS.format(name="PromptDialog") + "PromptDialog > Vertical { border: round $primary; }"
    BINDINGS = bindings_for(PROMPT_COMMANDS)

    def __init__(self, title: str, prompt: str, value: str = "", digits_only: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.prompt = prompt
        self.value = value
        self.digits_only = digits_only

    def compose(self) -> ComposeResult:
        draft = str(drafts_of(self.app).get(f"prompt:{self.title_text}", ""))
        with Vertical() as box:
            box.border_title = self.title_text
            yield Static(self.prompt + ("\n(what you typed before is back: esc keeps it again)" if draft and not self.value else ""))
            answer = Input(self.value or draft, type="integer" if self.digits_only else "text", select_on_focus=not draft)
            answer.cursor_blink = False
            yield answer

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        drafts_of(self.app).pop(f"prompt:{self.title_text}", None)
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        """No answer; what was typed is kept for the next time this question opens."""
        typed = self.query_one(Input).value
        if typed.strip() and typed != self.value:
            drafts_of(self.app)[f"prompt:{self.title_text}"] = typed
        else:
            drafts_of(self.app).pop(f"prompt:{self.title_text}", None)  # emptied on purpose
        self.dismiss(None)


def drafts_of(app) -> dict[str, object]:  # noqa: ANN001 - any App; the workbench's keeps drafts
    """The app's drafts (WorkbenchApp.drafts); a throwaway dict under another App."""
    return getattr(app, "drafts", {})
