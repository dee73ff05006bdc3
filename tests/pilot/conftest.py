"""Pilot fixtures: the demo project's files (not built; the tree needs no warehouse).

Pilot apps lint the project in-process (the real lint, on the real files) instead of in a child
process: a child costs about a second per app. tests/e2e/test_lint_child.py drives the app with
the real child.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.worker import WorkerCancelled

from tui.app import WorkbenchApp
from tui.core.demo import write_demo_project
from tui.core.lint.run import lint_project


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_demo_project(tmp_path_factory.mktemp("demo-template") / "demo")


@pytest.fixture
def demo_project(demo_template: Path, tmp_path: Path) -> Path:
    """A private copy for tests that edit files."""
    import shutil

    target = tmp_path / "demo"
    shutil.copytree(demo_template, target)
    return target


@pytest.fixture(scope="session")
def built_demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo built with dbt once per test process (jobs, previews, the workflow's run)."""
    from tui.core.demo import build_demo_project

    root = write_demo_project(tmp_path_factory.mktemp("built-demo") / "demo")
    build_demo_project(root)
    return root


@pytest.fixture
def built_demo(built_demo_template: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "demo"
    shutil.copytree(built_demo_template, target)
    return target


def _busy(app) -> list:
    return [worker for worker in app.workers if worker.group != "watch" and worker.is_running]


QUIET_ROUNDS = 5
"""Idle rounds in a row before the app counts as settled: a step scheduled after a refresh
(the schema index after the first frame) starts its worker a round or two later."""


def _watchers_not_ready(app) -> list:
    """The main screens' watch events not yet set: a file a test writes before would be missed."""
    from screens.main import MainScreen

    return [s.files.watching for s in app.screen_stack if isinstance(s, MainScreen) and not s.files.watching.is_set()]


def _announce_resting_moves(app) -> bool:
    """A tree's cursor move that waits for the cursor to rest is announced at once; True if any was."""
    from tui.widgets.tree.model_tree import ModelTree

    waiting = [tree for tree in app.screen.query(ModelTree) if tree.announcing]
    for tree in waiting:
        tree.announce_now()
    return bool(waiting)


async def settle(pilot) -> None:
    """Let workers finish and their messages be handled, without sleeping.

    Work comes in chains (scan, then schema index, then project lint), so this waits until no
    worker is running for QUIET_ROUNDS rounds in a row. A worker superseded by a newer one of its exclusive
    group ends cancelled; that is normal. The file watcher never ends: it is waited for only
    until it watches.
    """
    quiet = 0
    for _ in range(50):
        await pilot.pause()
        for waiting in _watchers_not_ready(pilot.app):
            await asyncio.to_thread(waiting.wait, 10)  # the watcher thread sets it, or 10 s pass
        if _announce_resting_moves(pilot.app):
            quiet = 0  # the move is announced now (the keys have been pressed: the cursor rests)
            continue
        busy = _busy(pilot.app)
        if not busy:
            quiet += 1
            if quiet == QUIET_ROUNDS:
                return
            continue
        quiet = 0
        try:
            await pilot.app.workers.wait_for_complete(busy)
        except WorkerCancelled:
            pass


def lint_in_process(project, scan, settings, cancelled) -> list:
    """The project lint the app would get from its child, computed here (one process, no fork)."""
    return lint_project(project, scan, settings, workers=1)


def open_app(project: Path, warm_jobs: bool = False) -> WorkbenchApp:
    """The app with the project lint in process, and without the warm dbt worker unless asked
    (most tests run no dbt job, and the worker's parse would only load the machine)."""
    return WorkbenchApp(project, project_linter=lint_in_process, warm_jobs=warm_jobs)
