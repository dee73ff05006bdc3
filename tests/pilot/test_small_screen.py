"""80x24 and 60x20, as a new user meets them: the footer keeps Help, Quit and Save, the pane title
keeps the file name, the lineage line fits, the lint panel is reachable and shows four rows, and
the tree's markers stay visible when names are cut."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Footer

from tests.pilot.conftest import open_app, settle
from tests.pilot.test_main_screen import tree_labels
from tui.widgets.editor.pane import EditorPane
from tui.widgets.lint.panel import LintPanel
from tui.widgets.summary import ModelSummary
from tui.widgets.tree.model_tree import ModelTree


def footer_text(app) -> str:
    """What the footer shows on screen, left to right, as far as the width allows."""
    footer = app.screen.query_one(Footer)
    width = footer.size.width
    keys = []
    for key in footer.children:
        if key.region.x + key.region.width <= width:
            keys.append(str(key.render()).strip())
    return "  ".join(keys)


async def open_model(pilot, name: str) -> None:
    tree = pilot.app.screen.query_one(ModelTree)
    for _ in range(40):
        node = tree.cursor_node
        if node is not None and getattr(node.data, "name", None) == name:
            break
        await pilot.press("down")
    await settle(pilot)


async def test_80x24_footer_keeps_help_quit_and_save(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = footer_text(app)
        for words in ("Help", "Quit", "Save"):
            assert words in shown, shown


async def test_80x24_modified_pane_title_keeps_the_file_name(demo_project: Path) -> None:
    deep = demo_project / "models/marts/finance/reporting/daily"
    deep.mkdir(parents=True)
    (deep / "fct_daily_decision_counts_by_reviewer.sql").write_text("select * from {{ ref('fct_case_decisions') }}\n")
    app = open_app(demo_project)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_model(pilot, "fct_daily_decision_counts_by_reviewer")
        await pilot.press("e", "x")
        await settle(pilot)
        pane = app.screen.query_one("#sql-pane", EditorPane)
        title = str(pane.query_one(".pane-title").render())
        assert title.startswith("● ") and title.endswith("fct_daily_decision_counts_by_reviewer.sql")
        assert len(title) <= pane.size.width - 2


async def test_80x24_lineage_line_fits_and_counts_what_it_drops(demo_project: Path) -> None:
    for n in range(6):
        (demo_project / f"models/marts/fct_reader_number_{n}.sql").write_text("select * from {{ ref('stg_cases') }}\n")
    app = open_app(demo_project)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_model(pilot, "stg_cases")
        summary = app.screen.query_one(ModelSummary)
        lines = str(summary.render()).splitlines()
        assert len(lines) == 3
        assert lines[2].startswith("reads raw.cases · read by ") and lines[2].endswith(" more")
        assert all(len(line) <= summary.size.width for line in lines)


async def test_80x24_lint_panel_is_reached_by_key_and_shows_four_rows(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        panel = app.screen.query_one(LintPanel)
        assert app.focused is panel
        assert panel.content_region.height >= 4


async def test_60x20_lint_markers_stay_visible_on_long_names(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        labels = tree_labels(app.screen.query_one(ModelTree))
        workload = next(label for label in labels if label.endswith("int_reviewer_workload"))
        assert workload.startswith("··⚠ ")  # the marker leads the label, so no cut can hide it


async def test_a_model_on_one_huge_line_opens_cut_and_read_only(demo_project: Path) -> None:
    """A generated one-line model: the editor shows it read-only with long lines cut, the file
    stays as it is, and the guard says it was too large instead of parsing it."""
    columns = ", ".join(f"{n} as c{n}" for n in range(200_000))
    text = f"select {columns} from {{{{ ref('stg_cases') }}}}\n"
    target = demo_project / "models/marts/fct_wide.sql"
    target.write_text(text)
    app = open_app(demo_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"fct_wide", "enter")
        await settle(pilot)
        pane = app.screen.query_one("#sql-pane", EditorPane)
        note = str(pane.query_one(".pane-note").render())
        assert note.startswith(f"read-only: line 1 is {len(text) - 1:,} characters long")
        assert pane.editor.read_only and pane.text.endswith(" …(cut)\n")
        await pilot.press("e", "x", "ctrl+o")
        await settle(pilot)
        findings = app.screen.query_one(LintPanel).findings
        assert [f.rule for f in findings if f.rule == "not_checked"] == ["not_checked"]
        assert "too large to parse" in next(f.message for f in findings if f.rule == "not_checked")
    assert target.read_text() == text


async def test_no_color_draws_in_greys_only(demo_project: Path, monkeypatch) -> None:
    import re

    monkeypatch.setenv("NO_COLOR", "1")
    app = open_app(demo_project)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        svg = app.export_screenshot()
    colours = set(re.findall(r"(?:fill|color):\s*(#[0-9a-fA-F]{6})", svg))
    tinted = [c for c in colours if max(int(c[i:i + 2], 16) for i in (1, 3, 5)) - min(int(c[i:i + 2], 16) for i in (1, 3, 5)) > 8]
    assert colours and not tinted
