"""The tree and the summary as the scan arrives: big source lists collapsed, a clear empty
state when no model is open, and the open model kept through a filter that matches nothing."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tests.pilot.conftest import open_app, settle
from tests.pilot.test_main_screen import tree_labels
from tui.core.project.records import SchemaIndex
from tui.widgets.summary import ModelSummary
from tui.widgets.tree.model_tree import ModelTree


def write_project(root: Path, models: int, source_tables: int) -> Path:
    (root / "models/staging/crm").mkdir(parents=True)
    tables = "".join(f"      - name: table_{n}\n" for n in range(source_tables))
    (root / "models/staging/_sources.yml").write_text(f"version: 2\nsources:\n  - name: crm\n    tables:\n{tables}")
    for n in range(models):
        (root / f"models/staging/crm/stg_crm__table_{n}.sql").write_text(f"select * from {{{{ source('crm', 'table_{n}') }}}}\n")
    (root / "dbt_project.yml").write_text("name: crm\nversion: '1.0.0'\nprofile: crm\nmodel-paths: [models]\n")
    return root


async def test_a_large_sources_group_arrives_collapsed(tmp_path: Path) -> None:
    app = open_app(write_project(tmp_path / "p", 5, 40))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        labels = tree_labels(app.screen.query_one(ModelTree))
        assert labels[0] == "Sources (40)" and labels[1] == "Staging (5)"  # collapsed: models stay in view


async def test_a_small_sources_group_is_open(tmp_path: Path) -> None:
    app = open_app(write_project(tmp_path / "p", 3, 3))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        labels = tree_labels(app.screen.query_one(ModelTree))
        assert labels[:2] == ["Sources (3)", "crm (3)"]


async def test_summary_says_what_to_do_when_no_model_is_open(tmp_path: Path) -> None:
    app = open_app(write_project(tmp_path / "p", 320, 3))  # above 300 models folders open collapsed
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        summary = str(app.screen.query_one(ModelSummary).render())
        assert "Scanning" not in summary
        assert summary.startswith("320 models in 1 layer(s). Pick one in the tree")


async def test_a_filter_matching_nothing_keeps_the_open_model(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert app.screen.open_model.name == "stg_cases"
        await pilot.press("slash", *"zzz")
        await settle(pilot)
        assert tree_labels(app.screen.query_one(ModelTree)) == []
        assert app.screen.open_model.name == "stg_cases"
        assert str(app.screen.query_one(ModelSummary).render()).startswith("stg_cases")


async def test_the_cursor_stays_on_the_open_model_through_rebuilds_in_one_frame(demo_project: Path) -> None:
    """The Sources arrive above the models, the tree is painted, and the lint marks rebuild it again
    before the cursor is put back: the cursor and the panes stay on the model, not on the source
    that now sits on the cursor's old line (a race seen in CI)."""
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(ModelTree)
        complete_scan = tree.scan
        tree.scan = replace(complete_scan, schema=SchemaIndex())  # models only, as on the first frame
        await settle(pilot)
        assert tree.cursor_node.data.name == "stg_cases"
        tree.scan = complete_scan  # the Sources come in above the models ...
        tree._tree_lines  # ... the tree is painted (its lines built) ...
        tree.lint_marks = dict(tree.lint_marks)  # ... and rebuilt once more before the cursor is restored
        await settle(pilot)
        assert tree.cursor_node.data.name == "stg_cases"
        assert app.screen.open_model.name == "stg_cases"
        assert str(app.screen.query_one(ModelSummary).render()).startswith("stg_cases")
