"""The layer mapping offer: a project the default layers do not fit, keys a user would press,
and dbt-workbench.yml written only on accept."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from screens.layers import LayerMappingScreen
from tests.pilot.conftest import open_app, settle
from tests.pilot.test_main_screen import tree_labels
from tui.widgets.summary import ModelSummary
from tui.widgets.tree.model_tree import ModelTree


@pytest.fixture
def unknown_layers(tmp_path: Path) -> Path:
    """Layers named by folders and prefixes the defaults do not know."""
    root = tmp_path / "p"
    files = {
        **{f"models/sources/crm_{n}_source.sql": "select 1 as id\n" for n in range(4)},
        **{f"models/prep/prep_orders_{n}.sql": "select * from {{ ref('crm_0_source') }}\n" for n in range(3)},
        **{f"models/reports/rpt_weekly_{n}.sql": "select * from {{ ref('prep_orders_0') }}\n" for n in range(2)},
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    (root / "dbt_project.yml").write_text("name: shop\nversion: '1.0.0'\nprofile: shop\nmodel-paths: [models]\n")
    (root / "dbt-workbench.yml").write_text("# team settings\nkeys:\n  filter: slash   # as we like it\n")
    return root


async def test_offer_change_a_layer_accept_and_the_tree_follows(unknown_layers: Path) -> None:
    app = open_app(unknown_layers)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert any("Press m to review a layer mapping" in n.message for n in app._notifications)
        assert "Other (9)" in tree_labels(app.screen.query_one(ModelTree))
        await pilot.press("m")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LayerMappingScreen)
        table = screen.query_one(DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert ["in a folder sources/", "4", "Staging"] in rows
        assert ["name starts with prep_", "3", "Staging"] in rows
        assert ["name starts with rpt_", "2", "Marts"] in rows
        effect = str(screen.query_one("#layers-effect").render())
        assert "0 of 9 models would stay in Other" in effect
        rpt = next(i for i, row in enumerate(rows) if row[0] == "name starts with rpt_")
        table.move_cursor(row=rpt)
        await pilot.press("left")  # Marts -> Intermediate
        assert str(table.get_row_at(rpt)[2]) == "Intermediate"
        await pilot.press("a")
        await settle(pilot)
        assert not isinstance(app.screen, LayerMappingScreen)
        text = (unknown_layers / "dbt-workbench.yml").read_text()
        assert text.startswith("# team settings\nkeys:\n  filter: slash   # as we like it\n")
        assert "rpt_: intermediate" in text and "prep_: staging" in text and "sources: staging" in text
        labels = tree_labels(app.screen.query_one(ModelTree))
        assert "Staging (7)" in labels and "Intermediate (2)" in labels
        summary = str(app.screen.query_one(ModelSummary).render())
        assert summary.split("\n")[0].endswith("  Staging")  # the open model's layer, as now mapped
        assert not any(label.startswith("Other") for label in labels)


async def test_cancel_writes_nothing(unknown_layers: Path) -> None:
    before = (unknown_layers / "dbt-workbench.yml").read_bytes()
    app = open_app(unknown_layers)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, LayerMappingScreen)
        await pilot.press("space", "escape")
        await settle(pilot)
        assert not isinstance(app.screen, LayerMappingScreen)
    assert (unknown_layers / "dbt-workbench.yml").read_bytes() == before


async def test_no_offer_when_the_layers_fit(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert not any("layer mapping" in n.message for n in app._notifications)
        await pilot.press("m")
        await settle(pilot)
        assert not isinstance(app.screen, LayerMappingScreen)
        assert any("The layers fit this project" in n.message for n in app._notifications)
