"""Screens opened over the main screen that keep showing what changes under them."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from tui.core.jobs.queue import Job
from tui.core.project.records import ProjectScan


@runtime_checkable
class ScanFollower(Protocol):
    """A screen that takes each new scan (the YAML index arriving late, a save, a file changed
    in vim) rather than showing the project as it was when the screen opened."""

    def follow_scan(self, scan: ProjectScan) -> None: ...


@runtime_checkable
class JobFollower(Protocol):
    """A screen that shows dbt jobs as they progress."""

    def follow_job(self, job: Job) -> None: ...
