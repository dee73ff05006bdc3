"""The disk cache of SQL shapes: an unchanged file is served from it, a changed one parsed again."""

from __future__ import annotations

from pathlib import Path

from tui.core.discover.profiles import project_profiles
from tui.core.discover.shape_cache import ShapeCache, shape_digest
from tui.core.project.dbt_project import load_project
from tui.core.project.layers import LayerRules
from tui.core.scan.scanner import scan_project

RULES = LayerRules.with_overrides()


def _project(tmp_path: Path) -> Path:
    (tmp_path / "models").mkdir(parents=True)
    (tmp_path / "dbt_project.yml").write_text("name: p\nprofile: p\n")
    (tmp_path / "models/fct_a.sql").write_text("select id, amount from {{ ref('stg_a') }} where amount > 0\n")
    return tmp_path


def _profile(root: Path, cache: ShapeCache):
    scan = scan_project(load_project(root), RULES)
    return next(p for p in project_profiles(root, scan, RULES, cache=cache) if p.name == "fct_a")


def test_a_changed_file_is_parsed_again_not_served_stale(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    first = _profile(root, ShapeCache(root, tmp_path / "cache"))
    assert first.shape is not None and "amount > 0" in first.shape.filters
    (root / "models/fct_a.sql").write_text("select id, amount from {{ ref('stg_a') }} where amount < 0\n")
    second = _profile(root, ShapeCache(root, tmp_path / "cache"))
    assert second.shape is not None and second.shape.filters == frozenset({"amount < 0"})


def test_an_unchanged_file_comes_from_the_cache_as_it_was_parsed(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    parsed = _profile(root, ShapeCache(root, tmp_path / "cache"))
    cache = ShapeCache(root, tmp_path / "cache")
    data = (root / "models/fct_a.sql").read_bytes()
    assert cache.get("models/fct_a.sql", shape_digest(data, "duckdb"), data.decode()) == parsed.shape
    assert cache.get("models/fct_a.sql", shape_digest(data, "snowflake"), data.decode()) is None


def test_a_damaged_cache_is_ignored(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    cache = ShapeCache(root, tmp_path / "cache")
    cache.path.parent.mkdir(parents=True)
    cache.path.write_bytes(b"not msgpack")
    assert _profile(root, ShapeCache(root, tmp_path / "cache")).shape is not None


def test_a_huge_model_is_compared_by_its_start_and_never_parsed() -> None:
    from tui.core.discover.sql_shape import SHAPE_MAX_CHARS, shape_of

    line = "select order_id, amount from {{ ref('stg_orders') }} union all\n"
    huge = line * (SHAPE_MAX_CHARS // len(line) + 10) + "select 1, 2\n"
    shape = shape_of(huge)
    assert not shape.parsed and shape.projections == frozenset()
    assert shape.shingles and shape.shingles == shape_of(huge[:SHAPE_MAX_CHARS]).shingles
