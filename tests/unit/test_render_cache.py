"""The scan keeps what rendering told it between runs, and is never stale for it."""

from __future__ import annotations

import shutil
from pathlib import Path

from tui.core.project.dbt_project import load_project
from tui.core.scan.model_reading import ProjectReading
from tui.core.scan.scanner import ProjectScanner
from tui.core.sql.neutral import RenderResult

SHAPES = Path(__file__).resolve().parents[1] / "fixtures" / "shapes"


class CountingReading(ProjectReading):
    """The real reading, counting how often it renders."""

    renders = 0

    def render(self, text: str) -> RenderResult:
        CountingReading.renders += 1
        return super().render(text)


def refs_of(root: Path, cache_dir: Path, model: str = "fct_orders") -> tuple[str, ...]:
    scan = ProjectScanner(load_project(root, environ={}), render_cache_dir=cache_dir).scan_models()
    return next(m for m in scan.models if m.name == model).refs


def test_second_reading_renders_nothing(tmp_path: Path) -> None:
    root = Path(shutil.copytree(SHAPES / "macro_cte_builder", tmp_path / "p"))
    project = load_project(root, environ={})
    text = (root / "models/marts/fct_orders.sql").read_text()
    CountingReading.renders = 0
    first = CountingReading.of(project, tmp_path / "cache")
    assert first.verdict(("marts",), "fct_orders", text).refs == ("stg_orders", "stg_items")
    first.save_cache()
    assert CountingReading.renders == 1
    second = CountingReading.of(project, tmp_path / "cache")
    assert second.verdict(("marts",), "fct_orders", text).refs == ("stg_orders", "stg_items")
    assert CountingReading.renders == 1


def test_a_changed_macro_or_model_is_rendered_again(tmp_path: Path) -> None:
    root = Path(shutil.copytree(SHAPES / "macro_cte_builder", tmp_path / "p"))
    cache = tmp_path / "cache"
    assert refs_of(root, cache) == ("stg_orders", "stg_items")
    macro = root / "macros/simple_cte.sql"
    macro.write_text(macro.read_text().replace("ref(model_name)", "ref(model_name ~ '_v2')"))
    assert refs_of(root, cache) == ("stg_orders_v2", "stg_items_v2")
    model = root / "models/marts/fct_orders.sql"
    model.write_text(model.read_text().replace("('items', 'stg_items')", "('items', 'stg_lines')"))
    assert refs_of(root, cache) == ("stg_orders_v2", "stg_lines_v2")


def test_a_damaged_cache_file_is_ignored(tmp_path: Path) -> None:
    root = Path(shutil.copytree(SHAPES / "macro_cte_builder", tmp_path / "p"))
    cache = tmp_path / "cache"
    assert refs_of(root, cache) == ("stg_orders", "stg_items")
    for written in cache.glob("renders-*.json"):
        written.write_bytes(b"{not json")
    assert refs_of(root, cache) == ("stg_orders", "stg_items")
    assert all(path.read_bytes().startswith(b"{") and b"stg_items" in path.read_bytes() for path in cache.glob("renders-*.json"))


def test_first_frame_scan_leaves_cold_renders_pending_then_completes_them(tmp_path: Path) -> None:
    root = Path(shutil.copytree(SHAPES / "macro_cte_builder", tmp_path / "p"))
    scanner = ProjectScanner(load_project(root, environ={}), render_cache_dir=tmp_path / "cache")
    fast = scanner.scan_models(defer_renders=True)
    assert fast.pending_renders == ("models/marts/fct_orders.sql", "models/marts/fct_refunds.sql")
    assert next(m for m in fast.models if m.name == "fct_orders").refs == ()
    done = scanner.complete_renders(fast)
    assert done.pending_renders == ()
    assert next(m for m in done.models if m.name == "fct_orders").refs == ("stg_orders", "stg_items")
    assert [m.name for m in done.models] == [m.name for m in fast.models]
    again = ProjectScanner(load_project(root, environ={}), render_cache_dir=tmp_path / "cache").scan_models(defer_renders=True)
    assert again.pending_renders == ()  # the cache holds the render now: nothing is left for later
    assert next(m for m in again.models if m.name == "fct_orders").refs == ("stg_orders", "stg_items")
