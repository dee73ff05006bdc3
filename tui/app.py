"""The Textual App: loads the project, owns global keys, the command palette and worker errors."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from screens.help import HelpRow, HelpScreen
from screens.main import MainScreen
from tui.bindings import bindings_for
from tui.widgets.editor.recovered import modified_panes
from tui.core.clipboard import copy_locally
from tui.core.commands import APP_COMMANDS, Command, unsafe_key_warnings
from tui.core.config import WorkbenchConfig, load_config
from tui.core.lint.child import ProjectLinter, lint_project_in_child
from tui.core.project.dbt_project import load_project
from tui.core.recovery import write_recovery
from tui.core.scan.prefetch import ScanPrefetch


class WorkbenchApp(App[None]):
    """dbt-workbench. Loading errors raise WorkbenchError before the app starts, for the CLI to print."""

    CSS_PATH = "app.tcss"
    TITLE = "dbt-workbench"
    BINDINGS = bindings_for(APP_COMMANDS)

    def __init__(
        self,
        project_dir: Path,
        config: WorkbenchConfig | None = None,
        prefetch: ScanPrefetch | None = None,
        project_linter: ProjectLinter = lint_project_in_child,
        warm_jobs: bool = True,
    ) -> None:
        """`project_linter` lints the whole project (a child process by default; tests pass another);
        `warm_jobs` keeps a warm dbt worker for jobs (tests that run no job leave it off)."""
        super().__init__()
        self.project = load_project(project_dir)
        self.config = config or load_config(self.project.root)
        self.prefetch = prefetch
        self.project_linter = project_linter
        self.warm_jobs = warm_jobs
        self.drafts: dict[str, object] = {}
        """What was typed into a question or the wizard closed with Esc, by what it was for: offered
        again when it opens (Esc never discards work, also when an arrow key's sequence arrives split)."""

    def on_mount(self) -> None:
        self.set_keymap(dict(self.config.keys))
        for warning in unsafe_key_warnings(self.config.keys):
            self.notify(warning, title="Keys", severity="warning", timeout=12)
        self.title = f"dbt-workbench · {self.project.name}"
        self.sub_title = self.project.connection.describe()
        self.push_screen(MainScreen(self.project, self.config, self.prefetch, self.project_linter, self.warm_jobs))
        self.prefetch = None
        if self.project.connection.problem:
            self.notify(self.project.connection.problem, title="Profile", severity="warning", timeout=8)

    def workbench_commands(self, screen: Screen) -> tuple[Command, ...]:
        """The app's commands plus those of the screen in front."""
        return (*APP_COMMANDS, *getattr(screen, "COMMANDS_LIST", ()))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for command in self.workbench_commands(screen):
            target = self if command.target == "app" else screen
            yield SystemCommand(command.title, command.help, lambda t=target, a=command.action_name: t.run_action(a))

    def help_rows(self, screen: Screen) -> list[HelpRow]:
        """Each command with the keys in force, written as the footer writes them."""
        rows = []
        for command in self.workbench_commands(screen):
            keys = command.keys_in_force(self.config.keys)
            shown = " / ".join(self.get_key_display(Binding(key, command.action)) for key in keys)
            rows.append((shown, command.title, command.help))
        return rows

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.help_rows(self.screen)))

    async def action_quit(self) -> None:
        """Quit, but never drop unsaved edits without asking."""
        main = next((screen for screen in self.screen_stack if isinstance(screen, MainScreen)), None)
        if main is not None:  # also from a screen over it (the palette's Quit): edits are asked about
            main.quit_when_safe()
            return
        self.exit()

    def copy_text(self, text: str, what: str) -> None:
        """Copy through the terminal (OSC 52: works over SSH and in tmux with set-clipboard) and
        the local tools (terminal.clipboard picks), then say which took it."""
        how = self.config.clipboard
        by_terminal = how in ("both", "osc52")
        if by_terminal:
            self.copy_to_clipboard(text)
        if how in ("both", "local"):
            self._copy_locally(text, what, by_terminal)
        else:
            self.notify(f"Copied {what} (through the terminal, OSC 52).", title="Copied")

    @work(thread=True, group="copy", exit_on_error=False)
    def _copy_locally(self, text: str, what: str, by_terminal: bool) -> None:
        took, failed = copy_locally(text, os.environ)
        ways = (["the terminal (OSC 52)"] if by_terminal else []) + took
        said = f"Copied {what} through {', '.join(ways)}." if ways else f"Nothing took {what}: no clipboard tool here and OSC 52 is off."
        if failed:
            said += f" Failed: {'; '.join(failed)}."
        self.call_from_thread(self.notify, said, title="Copied", severity="warning" if failed or not ways else "information")

    def keep_unsaved_edits(self, signal_name: str) -> Path | None:
        """From the SIGHUP/SIGTERM handler, before anything else: every modified pane goes to a
        recovery file in the project (never over the user's file). An error here is the signal
        guard's to swallow: the children are stopped and the app exits all the same."""
        main = next((screen for screen in self.screen_stack if isinstance(screen, MainScreen)), None)
        if main is None:
            return None
        return write_recovery(self.project.root, modified_panes(main.editors), signal_name)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed worker is reported to the user instead of crashing the app."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.notify(f"{event.worker.name}: {event.worker.error}", title="Error", severity="error", timeout=10)
