"""The `dupes` command's forked workers give exactly what one process gives: the same shapes,
the same pairs in the same order, with the same reasons."""

from __future__ import annotations

import sys
from pathlib import Path

from tui.core.discover.report import project_index
from tui.core.discover.shape_cache import PARALLEL_FROM, shapes_of
from tui.core.project.dbt_project import load_project
from tui.core.project.layers import LayerRules
from tui.core.scan.scanner import scan_project

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from synthetic import make_project  # noqa: E402

MODELS = 400


def test_workers_parse_and_pair_as_one_process_does(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", MODELS)
    project = load_project(root)
    rules = LayerRules.with_overrides()
    scan = scan_project(project, rules)
    texts = [(root / m.path).read_text() for m in scan.models]
    assert len(texts) >= PARALLEL_FROM
    assert shapes_of(texts, "duckdb", workers=2) == shapes_of(texts, "duckdb")
    alone = project_index(project, scan, rules)
    forked = project_index(project, scan, rules, workers=2)
    assert forked.profiles == alone.profiles
    pairs = alone.pairs()
    assert pairs and forked.pairs(workers=2) == pairs
