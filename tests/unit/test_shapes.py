"""Fixture projects shaped like real ones (tests/fixtures/shapes): each pattern that made the guard
give up, the scan miss lineage, or the lint pass a project dbt would refuse, with the findings and
lineage expected of it (`expected.json` beside each project; written by hand-checked runs)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tui.core.config import load_config
from tui.core.errors import ProjectFileError
from tui.core.lint.run import lint_model, lint_project
from tui.core.project.dbt_project import load_project
from tui.core.scan.model_reading import ProjectReading
from tui.core.scan.scanner import ProjectScanner
from tui.core.sql.lines import blank_comments
from tui.core.sql.relations import find_hard_coded_relations

SHAPES = FIXTURES / "shapes"
NAMES = sorted(p.name for p in SHAPES.iterdir() if (p / "expected.json").is_file())


def _scan_and_lint(root: Path, environ: dict[str, str] | None = None):
    project = load_project(root, environ=environ or {})
    config = load_config(project.root)
    scan = ProjectScanner(project, config.layer_rules()).scan()
    return project, scan, lint_project(project, scan, config.lint_settings(), workers=1)


def test_every_pattern_has_a_project() -> None:
    assert set(NAMES) >= {
        "macro_cte_builder", "dispatch_packages", "jinja_extras_vars", "enabled_folders",
        "env_var_project", "spaced_refs", "broken_yaml", "snowflake_syntax", "unparsable",
    }


@pytest.mark.parametrize("name", NAMES)
def test_findings_and_lineage(name: str) -> None:
    expected = json.loads((SHAPES / name / "expected.json").read_text())
    _, scan, findings = _scan_and_lint(SHAPES / name)
    assert [[f.rule, f.model, f.path, f.line] for f in findings] == expected["findings"]
    models = {
        m.name: {"enabled": m.enabled, "refs": list(m.refs), "sources": [".".join(s) for s in m.sources]}
        for m in scan.models
    }
    assert models == expected["models"]


@pytest.mark.parametrize("name", [n for n in NAMES if n not in ("unparsable", "broken_yaml")])
def test_no_model_of_these_shapes_is_left_unchecked(name: str) -> None:
    _, _, findings = _scan_and_lint(SHAPES / name)
    assert [f for f in findings if f.rule == "not_checked"] == []


def test_macro_built_ctes_render_with_their_refs() -> None:
    project = load_project(SHAPES / "macro_cte_builder", environ={})
    reading = ProjectReading.of(project)
    text = (SHAPES / "macro_cte_builder" / "models" / "marts" / "fct_orders.sql").read_text()
    result = find_hard_coded_relations(text, None, reading.library, reading.project_vars)
    assert result.checked and result.findings == ()
    assert result.refs == ("stg_orders", "stg_items")


def test_dispatch_reaches_the_project_and_the_package() -> None:
    project = load_project(SHAPES / "dispatch_packages", environ={})
    reading = ProjectReading.of(project)
    rendered = reading.render((SHAPES / "dispatch_packages" / "models" / "intermediate" / "int_payments.sql").read_text())
    assert "from __dbt_ref__stg_payments where amount_cents is not null" in rendered.sql
    assert "round(cast(amount_cents as numeric(16, 2)) / 100, 2)" in rendered.sql  # default__ implementation
    assert "coalesce(cast(id as varchar), '')" in rendered.sql  # package macro calling dbt.type_string()
    snowflake = ProjectReading(reading.folder_configs, reading.project_vars, "snowflake", project)
    assert "(amount_cents / 100)::number(16, 2)" in snowflake.render("{{ cents_to_dollars('amount_cents') }}").sql
    star = reading.render("select {{ tiny_utils.star(ref('x'), except=['a', 'b']) }} from {{ ref('x') }}")
    assert star.sql == "select * exclude (a, b) from __dbt_ref__x"


def test_jinja_extras_render_as_dbt_does() -> None:
    project = load_project(SHAPES / "jinja_extras_vars", environ={})
    rendered = ProjectReading.of(project).render(
        (SHAPES / "jinja_extras_vars" / "models" / "staging" / "stg_app__events.sql").read_text()
    )
    sql = rendered.sql
    assert "cast(id as varchar)" in sql and "cast(occurred_at as timestamp)" in sql
    assert "(occurred_at + interval '4 day')" in sql  # var('lookback_days') + 1, from dbt_project.yml
    assert "'2024-01-28'" in sql  # modules.datetime arithmetic with the project's var
    assert "'eu' as region" in sql and "3 as lookback_days" in sql
    assert "is_test" not in sql  # target.name is not 'prod'
    assert rendered.config == {"materialized": "view", "enabled": True}


def test_folder_configs_apply_to_their_folders() -> None:
    project = load_project(SHAPES / "enabled_folders", environ={})
    scan = ProjectScanner(project).scan_models()
    by_name = {m.name: m for m in scan.models}
    assert by_name["old_report"].disabled_by == "dbt_project.yml models.enabled_folders.legacy"
    assert by_name["stg_app__users"].enabled  # +enabled: true deeper down wins
    revenue = by_name["fct_revenue"]
    assert (revenue.materialized, revenue.tags, revenue.schema_name) == ("table", ("nightly", "finance"), "analytics")
    assert by_name["stg_app__users"].materialized == "view"


def test_env_var_in_dbt_project_yml(tmp_path: Path) -> None:
    root = shutil.copytree(SHAPES / "env_var_project", tmp_path / "p")
    (root / "elsewhere").mkdir()
    shutil.move(str(root / "transform" / "marts"), str(root / "elsewhere" / "marts"))
    project = load_project(root, environ={"SHAPES_MODEL_DIR": "elsewhere", "SHAPES_PREFIX": "ci"})
    assert project.model_paths == ("elsewhere",)
    assert [m.name for m in ProjectScanner(project).scan_models().models] == ["dim_users"]


def test_unset_env_var_without_default_is_an_error_naming_it(tmp_path: Path) -> None:
    root = shutil.copytree(SHAPES / "env_var_project", tmp_path / "p")
    text = (root / "dbt_project.yml").read_text().replace("env_var('SHAPES_MODEL_DIR', 'transform')", "env_var('SHAPES_MODEL_DIR')")
    (root / "dbt_project.yml").write_text(text)
    with pytest.raises(ProjectFileError) as raised:
        load_project(root, environ={})
    assert "SHAPES_MODEL_DIR" in str(raised.value) and "model-paths" in str(raised.value)
    cli = subprocess.run([sys.executable, "-m", "tui", "lint", str(root)], capture_output=True, text=True)
    assert cli.returncode != 0 and "SHAPES_MODEL_DIR" in cli.stderr


def test_snowflake_dialect_is_guessed_from_the_project_configs() -> None:
    project = load_project(SHAPES / "snowflake_syntax", environ={})
    assert project.connection.adapter_type is None and project.sql_dialect_source == "snowflake"
    text = (SHAPES / "snowflake_syntax" / "models" / "staging" / "stg_events__parsed.sql").read_text()
    result = find_hard_coded_relations(text, project.sql_dialect_source)
    assert result.checked and result.findings == () and result.dialect == "snowflake"


def test_a_rejected_schema_file_is_named_for_the_open_model() -> None:
    """The lint panel (one model) says where the entry is and why dbt refuses it; no 'no YAML entry'."""
    project, scan, _ = _scan_and_lint(SHAPES / "broken_yaml")
    findings = lint_model(scan, "stg_app__b", "select 1 as id\n", load_config(project.root).lint_settings())
    assert [(f.rule, f.path, f.line) for f in findings] == [("invalid_schema_yaml", "models/staging/duplicated.yml", 5)]
    assert "duplicate key 'description' (first on line 4)" in findings[0].message
    assert scan.schema.entries.keys() == {"stg_app__d"}


def test_strict_makes_not_checked_an_error() -> None:
    root = SHAPES / "snowflake_syntax"
    plain = subprocess.run([sys.executable, "-m", "tui", "lint", str(SHAPES / "spaced_refs")], capture_output=True, text=True)
    assert plain.returncode == 0, plain.stdout
    unparsable = SHAPES / "unparsable"
    lenient = subprocess.run(
        [sys.executable, "-m", "tui", "lint", str(unparsable), "--select", "fct_typed"], capture_output=True, text=True
    )
    strict = subprocess.run(
        [sys.executable, "-m", "tui", "lint", str(unparsable), "--select", "fct_typed", "--strict"],
        capture_output=True, text=True,
    )
    assert lenient.returncode == 0 and "warning not_checked" in lenient.stdout
    assert strict.returncode == 1 and "error not_checked" in strict.stdout
    assert root.is_dir()


# The rule dbt-project-evaluator applies, written out here: `from`/`join` then a two- or three-part
# name (or `{{ var(...) }}.name`). It runs on the raw file, so it also hits comments and strings.
_EVALUATOR_LIKE = re.compile(
    r"""\b(?:from|join)\s+((?:{{\s*var\([^)]*\)\s*}}|[\w"`\[\]]+)\.[\w"`\[\]]+(?:\.[\w"`\[\]]+)?)""",
    re.IGNORECASE,
)


# What that regex finds that is not a relation read by the model (the guard must not report these).
_REGEX_FALSE_POSITIVES = {
    "fct_half_written.sql": {"dims.a", "recent.created_at"},  # `is distinct from x.a`, `extract(year from x.y)`
    "fp_pre_hook.sql": {"raw.cases"},  # SQL inside a config() hook string, not what the model selects
}


def _all_model_files() -> list[tuple[Path, Path]]:
    files = []
    for name in NAMES:
        for path in sorted((SHAPES / name).rglob("*.sql")):
            if "macros" not in path.parts and "dbt_packages" not in path.parts:
                files.append((SHAPES / name, path))
    files.extend((FIXTURES / "guard", path) for path in sorted((FIXTURES / "guard").glob("*.sql")))
    return files


@pytest.mark.parametrize(("root", "path"), _all_model_files(), ids=lambda p: p.name)
def test_never_fewer_relations_than_the_evaluators_regex(root: Path, path: Path) -> None:
    """Every relation such a regex finds outside comments and strings, the guard reports too."""
    if not (root / "dbt_project.yml").is_file():
        reading = ProjectReading()
    else:
        reading = ProjectReading.of(load_project(root, environ={}))
    text = path.read_text()
    expected_json = path.with_suffix(".expected.json")
    dialect = json.loads(expected_json.read_text()).get("dialect", "duckdb") if expected_json.is_file() else None
    result = find_hard_coded_relations(text, dialect, reading.library, reading.project_vars)
    ours = {re.sub(r"""["`\[\]\s]""", "", f.relation).lower() for f in result.findings}
    regex = {re.sub(r"""["`\[\]\s]""", "", m.group(1)).lower() for m in _EVALUATOR_LIKE.finditer(blank_comments(text))}
    regex = {re.sub(r"{{var\('?\"?(\w+)'?\"?\)}}", r"var(\1)", hit) for hit in regex}
    false_positives = _REGEX_FALSE_POSITIVES.get(path.name, set())
    assert regex - false_positives <= ours, (regex - ours, result)
    assert not ours & false_positives
