"""The project's files as the main screen sees them: scanned, indexed, watched, in workers.

A widget with nothing to draw: it owns the scanner, the watcher thread and the record of our own
saves (so the watcher's echo of a save is not news), and reports by message. The screen decides
what a new scan means for its panels.
"""

from __future__ import annotations

import threading
from pathlib import Path

from textual import on, work
from textual.message import Message
from textual.widget import Widget
from textual.worker import get_current_worker

from tui.core.files import remove_stale_temp_files
from tui.core.project.dbt_project import DbtProject
from tui.core.project.layers import LayerRules
from tui.core.project.records import ProjectScan, SchemaIndex
from tui.core.scan.cache import SchemaCache
from tui.core.scan.prefetch import ScanPrefetch
from tui.core.scan.scanner import ProjectScanner
from tui.core.scan.watch import ProjectWatcher, SaveEchoes, StopSignal


class ProjectFiles(Widget):
    DEFAULT_CSS = "ProjectFiles { display: none; }"

    class ModelsScanned(Message):
        def __init__(self, scan: ProjectScan) -> None:
            super().__init__()
            self.scan = scan

    class ModelsRendered(Message):
        """The models whose lineage needed a render, now rendered (the rest as before)."""

        def __init__(self, scan: ProjectScan) -> None:
            super().__init__()
            self.scan = scan

    class SchemaIndexed(Message):
        def __init__(self, index: SchemaIndex) -> None:
            super().__init__()
            self.index = index

    class FilesChanged(Message):
        """Files under the model folders changed on disk, and not by our own saves."""

        def __init__(self, paths: set[Path]) -> None:
            super().__init__()
            self.paths = paths

    class _Changed(Message):
        def __init__(self, paths: set[Path]) -> None:
            super().__init__()
            self.paths = paths

    def __init__(self, project: DbtProject, rules: LayerRules, prefetch: ScanPrefetch | None = None) -> None:
        super().__init__()
        self.project = project
        self.prefetch = prefetch
        self.scanner = ProjectScanner(project, rules, SchemaCache(project.root))
        self.echoes = SaveEchoes()
        """Our own saves: the editors note them, the watcher's echo of them is not news."""
        self.stop_watching = threading.Event()
        self.watching = threading.Event()
        """Set once the model folders are watched (tests wait for it before changing files)."""

    def on_mount(self) -> None:
        self.scan_project()
        self.watch_files()
        self.remove_stale_temp_files()

    def on_unmount(self) -> None:
        self.stop_watching.set()

    def use_rules(self, rules: LayerRules) -> None:
        """A new layer mapping: the next scan classifies by it."""
        self.scanner = ProjectScanner(self.project, rules, SchemaCache(self.project.root))

    @work(thread=True, exclusive=True, exit_on_error=False, group="scan")
    def scan_project(self) -> None:
        """Models first, so the tree shows at once; the YAML index starts after it is painted."""
        prefetch, self.prefetch = self.prefetch, None
        scan = prefetch.result() if prefetch is not None else None
        self.post_message(self.ModelsScanned(scan or self.scanner.scan_models()))

    @work(thread=True, exclusive=True, exit_on_error=False, group="scan")
    def index_schema(self, scan: ProjectScan | None) -> None:
        """After the first frame: the renders the fast scan left pending, then the YAML index."""
        if scan is not None and scan.pending_renders:
            self.post_message(self.ModelsRendered(self.scanner.complete_renders(scan)))
        self.post_message(self.SchemaIndexed(self.scanner.index_schema()))

    @work(thread=True, exit_on_error=False, group="watch")
    def watch_files(self) -> None:
        worker = get_current_worker()
        stop = StopSignal(self.stop_watching.is_set, lambda: worker.is_cancelled)
        watcher = ProjectWatcher(self.project.model_dirs(), ready=self.watching)
        watcher.run(self._changed, stop)

    def _changed(self, paths: set[Path]) -> None:
        """On the watcher's thread: hand the paths to the UI thread, where the echoes are kept."""
        self.post_message(self._Changed(paths))

    @on(_Changed)
    def _news(self, message: _Changed) -> None:
        message.stop()
        news = self.echoes.news(message.paths)
        if news:
            self.post_message(self.FilesChanged(news))

    @work(thread=True, exit_on_error=False, group="housekeeping")
    def remove_stale_temp_files(self) -> None:
        """Temp files of saves interrupted long ago (a crash, a full disk) are not worth keeping."""
        remove_stale_temp_files(self.project.model_dirs())
