"""`dbt-workbench [open] DIR` and `demo`'s last step: the app opened in this terminal.

The project and its configuration are loaded (a bad one is reported first), the terminal is
checked (Textual on a dead stdin spins for ever), the model scan is forked before Textual is
imported, and the app runs with its children guarded: on SIGHUP or SIGTERM the unsaved edits are
kept first, then every child is stopped.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

NO_TERMINAL_EXIT = 2


def open_demo(root: Path) -> int:
    """Open the demo; without a terminal say how to open it later and exit 0, as the demo is there."""
    problem = terminal_problem()
    if problem is not None:
        print(f"Not opening it: {_needs_terminal(problem)}\nOpen it from a terminal with: dbt-workbench {root}",
              file=sys.stderr)
        return 0
    return open_app(root)


def terminal_problem() -> str | None:
    """Why the app cannot run here, or None.

    Textual reads keys from stdin and draws on stderr; on an empty or dead stdin it spins at 100%
    CPU for ever. Without a controlling terminal (setsid) no SIGHUP tells it the terminal is gone.
    """
    for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        if not os.isatty(fd):
            return f"{name} is not a terminal"
    try:
        os.tcgetpgrp(0)  # fails unless stdin is this process's controlling terminal
    except OSError:
        return "stdin is not the controlling terminal: started with setsid?"
    return None


def _needs_terminal(problem: str) -> str:
    """The message for a missing terminal, with the commands that need none."""
    return (f"dbt-workbench needs a terminal ({problem}). To list models or lint without one: "
            "dbt-workbench models DIR --json / dbt-workbench lint DIR")


def start_scan(project_dir: Path):
    """Load the project and fork its model scan before Textual is imported (see tui.core.scan.prefetch).

    Importing Textual and building the first screen take about as long as scanning a large
    project; done side by side on two cores, the tree is ready about when the screen is.
    """
    project, config = _load(project_dir)
    return project, config, _prefetch(project, config)


def _load(project_dir: Path):
    """The project and its workbench config; raises WorkbenchError with a message when either is bad."""
    from tui.core.config import load_config
    from tui.core.project.dbt_project import load_project

    project = load_project(project_dir)
    return project, load_config(project.root)


def _prefetch(project, config):  # noqa: ANN001 (types are imported lazily)
    """Fork the model scan, to run while Textual imports and builds the first screen."""
    from tui.core.scan.prefetch import ScanPrefetch
    from tui.core.scan.cache import cache_dir
    from tui.core.scan.scanner import ProjectScanner

    scanner = ProjectScanner(project, config.layer_rules(), render_cache_dir=cache_dir())
    # Renders the cache does not hold wait until after the first frame (MainScreen.index_schema).
    return ScanPrefetch.start(lambda: scanner.scan_models(defer_renders=True))


def open_app(project_dir: Path) -> int:
    """Run the app; a bad project is reported first, then a missing terminal (exit 2), before any fork."""
    project, config = _load(project_dir)
    problem = terminal_problem()
    if problem is not None:
        print(_needs_terminal(problem), file=sys.stderr)
        return NO_TERMINAL_EXIT
    prefetch = _prefetch(project, config)
    # Textual reads $ESCDELAY once, when it is imported (below): a split arrow key over SSH
    os.environ["ESCDELAY"] = str(config.escape_delay(os.environ))
    from tui.app import WorkbenchApp
    from tui.core.process import end_all_children, guard_children

    app = WorkbenchApp(project.root, config=config, prefetch=prefetch)
    guard_children(
        on_signal=lambda signum: _exit_soon(app, 128 + signum),
        first=lambda signum: app.keep_unsaved_edits(signal.Signals(signum).name),
    )
    try:
        app.run()
    finally:
        end_all_children()
    return app.return_code or 0


def _exit_soon(app, code: int) -> None:  # noqa: ANN001 (Textual is imported lazily)
    """From a signal handler: ask the app's event loop to exit (safe to call between any two steps)."""
    import asyncio

    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        raise SystemExit(code) from None
    loop.call_soon_threadsafe(lambda: app.exit(return_code=code))
