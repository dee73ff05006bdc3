"""The synthetic benchmark project must be a valid layered dbt project, or the benchmark lies."""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from synthetic import layer_counts, make_project  # noqa: E402

REF = re.compile(r"""\{\{\s*ref\(\s*'([^']+)'\s*\)\s*\}\}""")
SOURCE = re.compile(r"""\{\{\s*source\(\s*'([^']+)'\s*,\s*'([^']+)'\s*\)\s*\}\}""")
MODELS = 200


def _models(root: Path) -> dict[str, str]:
    return {path.stem: path.read_text(encoding="utf-8") for path in (root / "models").rglob("*.sql")}


def _has_cycle(graph: dict[str, list[str]]) -> bool:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(node: str) -> bool:
        if state.get(node) == 1:
            return True
        if state.get(node) == 2:
            return False
        state[node] = 1
        found = any(visit(parent) for parent in graph[node])
        state[node] = 2
        return found

    return any(visit(node) for node in graph)


def test_refs_resolve_and_lineage_is_acyclic(tmp_path: Path) -> None:
    models = _models(make_project(tmp_path / "p", MODELS))
    graph = {name: REF.findall(sql) for name, sql in models.items()}
    missing = {ref for refs in graph.values() for ref in refs} - models.keys()
    assert not missing
    assert not _has_cycle(graph)


def test_layer_counts_and_what_each_layer_reads(tmp_path: Path) -> None:
    models = _models(make_project(tmp_path / "p", MODELS))
    assert len(models) == MODELS
    assert Counter(name[:4] for name in models) == layer_counts(MODELS)
    assert layer_counts(MODELS) == {"stg_": 80, "int_": 60, "fct_": 30, "dim_": 30}
    for name, sql in models.items():
        refs = REF.findall(sql)
        if name.startswith("stg_"):
            assert SOURCE.search(sql) and not refs, name
        else:
            assert refs and not SOURCE.search(sql), name
        if name.startswith("int_"):
            assert all(ref.startswith("stg_") for ref in refs), name
        assert 20 <= sql.count("\n") <= 60, name


def test_yaml_parses_and_declares_every_source_used(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", MODELS)
    schema_files = (root / "models").rglob("*.yml")
    documents = {path: yaml.safe_load(path.read_text(encoding="utf-8")) for path in schema_files}
    declared = {
        (source["name"], table["name"])
        for doc in documents.values()
        for source in (doc or {}).get("sources", [])
        for table in source["tables"]
    }
    used = {pair for sql in _models(root).values() for pair in SOURCE.findall(sql)}
    assert used and used <= declared
    entries = [entry["name"] for doc in documents.values() for entry in (doc or {}).get("models", [])]
    assert len(entries) == len(set(entries)) and set(entries) <= _models(root).keys()
    assert len(entries) > 0.9 * MODELS


def test_generation_is_deterministic(tmp_path: Path) -> None:
    first, second = make_project(tmp_path / "a", 120), make_project(tmp_path / "b", 120)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)
