"""Pilot fixtures: the demo project's files (not built; the tree needs no warehouse)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.worker import WorkerCancelled

from tui.app import WorkbenchApp
from tui.core.demo import write_demo_project


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


async def settle(pilot) -> None:
    """Let workers finish and their messages be handled, without sleeping.

    A worker superseded by a newer one of its exclusive group ends cancelled; that is normal.
    """
    for _ in range(3):
        busy = [worker for worker in pilot.app.workers if worker.group != "watch"]  # the watcher never ends
        if busy:  # an empty list would mean "wait for every worker", the watcher included
            try:
                await pilot.app.workers.wait_for_complete(busy)
            except WorkerCancelled:
                pass
        await pilot.pause()


def open_app(project: Path) -> WorkbenchApp:
    return WorkbenchApp(project)
