"""The forked scan gives the same answer as scanning in-process, and failures fall back to None."""

from __future__ import annotations

from pathlib import Path

from tui.core.config import load_config
from tui.core.scan.prefetch import ScanPrefetch
from tui.core.project.dbt_project import load_project
from tui.core.scan.scanner import ProjectScanner


def test_prefetched_scan_equals_in_process_scan(custom_paths: Path) -> None:
    project = load_project(custom_paths)
    scanner = ProjectScanner(project, load_config(project.root).layer_rules())
    prefetch = ScanPrefetch.start(scanner.scan_models)
    assert prefetch is not None
    assert prefetch.result() == scanner.scan_models()
    assert prefetch.result() is None  # taken once


def test_failing_child_gives_none() -> None:
    def explode():
        raise RuntimeError("boom")

    prefetch = ScanPrefetch.start(explode)
    assert prefetch is not None
    assert prefetch.result() is None


def test_wrong_result_type_gives_none() -> None:
    prefetch = ScanPrefetch.start(lambda: "not a scan")
    assert prefetch.result() is None
