"""Pilot tests: a user opens the demo project, moves through the tree, filters, reads SQL and YAML."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from screens.help import HelpScreen
from screens.main import MainScreen
from tests.pilot.conftest import open_app, settle
from tui.core.project.records import ModelFile
from tui.widgets.editor.pane import EditorPane
from tui.widgets.summary import ModelSummary
from tui.widgets.tree.model_tree import ModelTree


def tree_labels(tree: ModelTree) -> list[str]:
    """The visible lines of the tree, as plain text, top to bottom."""
    labels = []

    def walk(node) -> None:
        for child in node.children:
            labels.append(child.label.plain)
            if child.is_expanded:
                walk(child)

    walk(tree.root)
    return labels


def pane(app, which: str) -> EditorPane:
    return app.screen.query_one(f"#{which}-pane", EditorPane)


def pane_text(app, which: str) -> str:
    return pane(app, which).text


def pane_title(app, which: str) -> str:
    return str(pane(app, which).query_one(".pane-title").content)


def pane_note(app, which: str) -> str:
    return str(pane(app, which).query_one(".pane-note").content)


def highlighted_model(app) -> str | None:
    node = app.screen.query_one(ModelTree).cursor_node
    return node.data.name if node is not None and isinstance(node.data, ModelFile) else None


async def test_tree_groups_models_by_layer_with_counts_and_markers(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        labels = tree_labels(app.screen.query_one(ModelTree))
        groups = [label for label in labels if "(" in label]
        assert groups == ["Sources (3)", "raw (3)", "Staging (3)", "Intermediate (2)", "Marts (3)"]
        assert "✎✓  stg_cases" in labels
        assert "··⚠ int_reviewer_workload" in labels  # no YAML entry at all: lint warns
        assert "✎·⚠ dim_cases" in labels  # documented, no tests: no primary-key test
        assert app.sub_title == "dev · duckdb"
        assert app.title == "dbt-workbench · workbench_demo"


async def test_first_model_is_open_with_sql_and_yaml(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert app.focused is screen.query_one(ModelTree)
        assert highlighted_model(app) == "stg_cases"
        sql = (demo_project / "models/staging/stg_cases.sql").read_text()
        assert pane_text(app, "sql") == sql
        yaml_text = pane_text(app, "yaml")
        assert yaml_text.startswith("- name: stg_cases")
        assert "description:" in yaml_text
        assert pane_title(app, "yaml") == "models/staging/_staging.yml · entry stg_cases"
        summary = str(screen.query_one(ModelSummary).content)
        assert "stg_cases" in summary and "reads raw.cases" in summary


async def test_arrow_keys_move_through_models(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down")
        await settle(pilot)
        assert highlighted_model(app) == "stg_reviewers"
        sql = (demo_project / "models/staging/stg_reviewers.sql").read_text()
        assert pane_text(app, "sql") == sql
        for _ in range(3):
            await pilot.press("down")
        await settle(pilot)
        assert highlighted_model(app) == "int_reviewer_workload"
        assert pane_text(app, "yaml") == '- name: int_reviewer_workload\n  description: ""\n'
        assert pane_title(app, "yaml") == "new entry → models/intermediate/_intermediate.yml"


async def test_filter_narrows_the_tree_as_you_type(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(ModelTree)
        await pilot.press("slash")
        box = app.screen.query_one("#filter", Input)
        assert box.display and app.focused is box
        await pilot.press(*"fcd")
        await settle(pilot)
        models = [label for label in tree_labels(tree) if "(" not in label]
        assert models == ["✎✓  fct_case_decisions"]
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused is tree
        assert highlighted_model(app) == "fct_case_decisions"
        assert pane_title(app, "sql") == "models/marts/fct_case_decisions.sql"
        await pilot.press("escape")
        await settle(pilot)
        assert not box.display and box.value == ""
        assert len([label for label in tree_labels(tree) if label.endswith(("stg_cases", "dim_cases"))]) == 2
        assert highlighted_model(app) == "fct_case_decisions"  # the cursor stays on the model


async def test_filter_with_no_match_says_so(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"zzz")
        await settle(pilot)
        tree = app.screen.query_one(ModelTree)
        assert tree_labels(tree) == []
        assert tree.border_subtitle == "0 match «zzz»"


async def test_source_table_shows_who_reads_it(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(ModelTree)
        tree.cursor_line = 2  # Sources > raw > cases
        await settle(pilot)
        summary = str(app.screen.query_one(ModelSummary).content)
        assert "raw.cases" in summary and "read by stg_cases" in summary


async def test_help_lists_every_key(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        actions = {row[1]: row[0] for row in app.screen.rows}
        assert actions["Filter"] == "/"
        assert actions["Quit"] == "q"
        assert actions["Help"] == "? / f1"
        assert {"Rescan", "SQL/YAML", "Tree", "Back to tree", "Run+test", "Jobs", "Preview", "Cancel job"} <= set(actions)
        assert (actions["Run+test"], actions["Jobs"], actions["Preview"]) == ("x", "j", "p")
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)


async def test_keys_can_be_rebound_in_the_project_config(demo_project: Path) -> None:
    (demo_project / "dbt-workbench.yml").write_text("keys:\n  filter: f\n")
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        assert app.focused is app.screen.query_one("#filter", Input)
        await pilot.press("escape", "question_mark")
        assert ("f", "Filter") in {(row[0], row[1]) for row in app.screen.rows}


async def test_command_palette_offers_every_action(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Help", "Quit", "Filter", "Back to tree", "SQL/YAML", "Tree", "Rescan"} <= titles
        await pilot.press("ctrl+p", *"Filter", "enter")
        await settle(pilot)
        await pilot.pause()
        assert app.focused is app.screen.query_one("#filter", Input)


async def test_narrow_terminal_shows_one_pane_at_a_time(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.has_class("-narrow")
        assert screen.query_one("#sql-pane").display and not screen.query_one("#yaml-pane").display
        await pilot.press("v")
        await pilot.pause()
        assert screen.query_one("#yaml-pane").display and not screen.query_one("#sql-pane").display
        await pilot.press("v")
        await pilot.pause()
        assert screen.query_one("#sql-pane").display


async def test_yaml_error_is_marked_and_the_tree_still_opens(demo_project: Path) -> None:
    broken = demo_project / "models/marts/dim_reviewers.yml"
    broken.write_text("version: 2\nmodels:\n  - name: dim_reviewers\n    description: [oops\n")
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        labels = tree_labels(app.screen.query_one(ModelTree))
        assert "Problems (1)" in labels
        assert "! models/marts/dim_reviewers.yml:5" in labels
        assert "··✗ dim_reviewers" in labels  # an error: dbt would refuse the file its entry is in
        assert "✎✓  fct_case_decisions" in labels


async def test_rescan_picks_up_a_new_model(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        (demo_project / "models/marts/fct_appeals.sql").write_text("select * from {{ ref('fct_case_decisions') }}\n")
        await pilot.press("r")
        await settle(pilot)
        assert "··⚠ fct_appeals" in tree_labels(app.screen.query_one(ModelTree))


async def test_tree_keeps_keyboard_collapse_state(demo_project: Path) -> None:
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(ModelTree)
        tree.cursor_line = 0
        await pilot.press("space")  # collapse Sources
        await settle(pilot)
        assert "raw (3)" not in tree_labels(tree)
        (demo_project / "models/marts/fct_appeals.sql").write_text("select * from {{ ref('fct_case_decisions') }}\n")
        await pilot.press("r")
        await settle(pilot)
        labels = tree_labels(tree)
        assert "··⚠ fct_appeals" in labels  # the tree was rebuilt from the new scan...
        assert labels[0] == "Sources (3)" and "raw (3)" not in labels  # ...with Sources still collapsed
        assert "✎✓  stg_cases" in labels  # and the other groups still open


async def test_big_project_opens_with_folders_collapsed_and_fills_them_on_expand(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from synthetic import make_project

    root = make_project(tmp_path / "big", 400)
    app = open_app(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(ModelTree)
        labels = tree_labels(tree)
        staging = next(label for label in labels if label.startswith("Staging ("))
        assert staging == "Staging (160)"
        folder_line = labels.index(staging) + 1
        assert "(" in labels[folder_line] and not tree.get_node_at_line(folder_line).is_expanded
        assert not any("stg_" in label and "(" not in label for label in labels)
        tree.cursor_line = folder_line
        await pilot.press("space")
        await settle(pilot)
        opened = tree.get_node_at_line(folder_line)
        assert opened.is_expanded and opened.children
        assert all(isinstance(child.data, ModelFile) for child in opened.children)
        await pilot.press("down")
        await settle(pilot)
        assert highlighted_model(app).startswith("stg_")
        await pilot.press("slash", *"stg")
        await settle(pilot)
        shown = [label for label in tree_labels(tree) if "(" not in label]  # filtering opens every folder
        assert len(shown) >= 160
        assert tree.border_subtitle == f"{len(shown)} match «stg»"


async def test_huge_and_non_utf8_models_open_with_a_note(demo_project: Path) -> None:
    line = "select 1 as x union all\n"
    (demo_project / "models/marts/fct_huge.sql").write_text(line * (10_000_000 // len(line)) + "select 2\n")
    (demo_project / "models/marts/fct_latin1.sql").write_bytes("select 'café' as x\n".encode("latin-1"))
    app = open_app(demo_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"fct_huge", "enter")
        await settle(pilot)
        assert highlighted_model(app) == "fct_huge"
        assert pane_note(app, "sql").startswith("Highlighting is off")
        assert pane_text(app, "sql").count("\n") > 400_000
        await pilot.press("escape", "slash", *"latin1", "enter")
        await settle(pilot)
        assert highlighted_model(app) == "fct_latin1"
        assert "byte 0xE9 at offset 11" in pane_note(app, "sql")
        assert pane_title(app, "sql") == "models/marts/fct_latin1.sql · read-only"
        assert "caf\ufffd" in pane_text(app, "sql")


async def test_empty_project_says_where_models_go(tmp_path: Path) -> None:
    (tmp_path / "dbt_project.yml").write_text("name: empty\nmodel-paths: [transform]\n")
    app = open_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert tree_labels(app.screen.query_one(ModelTree)) == []
        assert "No models yet under transform" in str(app.screen.query_one(ModelSummary).content)
        assert app.sub_title == "no profile"


async def test_a_keymap_binding_a_key_tmux_takes_is_warned_about(demo_project: Path) -> None:
    (demo_project / "dbt-workbench.yml").write_text("keys:\n  save: ctrl+s\n")
    app = open_app(demo_project)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert any(n.message.startswith("keys.save: ctrl+s may never reach the workbench") for n in app._notifications)
