"""The `dbt-workbench` command as scripts use it: real processes, real output, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_models_json_lists_every_model(custom_paths: Path) -> None:
    result = run_cli("models", str(custom_paths), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["project"] == "custom_paths"
    models = {model["name"]: model for model in data["models"]}
    assert len(models) == 8
    assert models["stg_crm__accounts"] == {
        "name": "stg_crm__accounts",
        "layer": "staging",
        "path": "transform/staging/crm/stg_crm__accounts.sql",
        "language": "sql",
        "enabled": True,
        "disabled_by": None,
        "materialized": None,
        "tags": [],
        "schema": None,
        "yml_file": "transform/staging/_staging.yml",
        "yml_line": 5,
        "documented": True,
        "tested": True,
        "refs": [],
        "sources": ["crm.accounts"],
    }
    assert models["prep_events"]["layer"] == "staging"
    assert data["sources"] == ["crm.accounts", "crm.users"]


def test_models_from_inside_the_project_without_json(custom_paths: Path) -> None:
    result = run_cli("models", cwd=custom_paths / "transform" / "marts")
    assert result.returncode == 0, result.stderr
    assert "8 models in custom_paths" in result.stdout
    assert "stg_crm__accounts" in result.stdout


def test_not_a_project_is_a_message(tmp_path: Path) -> None:
    for args in (("models", str(tmp_path)), (str(tmp_path),)):
        result = run_cli(*args)
        assert result.returncode == 1
        assert "No dbt_project.yml in" in result.stderr
        assert "Traceback" not in result.stderr


def test_invalid_project_file_is_a_message(tmp_path: Path) -> None:
    (tmp_path / "dbt_project.yml").write_text("name: [oops\n")
    result = run_cli("models", str(tmp_path), "--json")
    assert result.returncode == 1
    assert "is not valid YAML: line 2" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_workbench_config_is_a_message(custom_paths: Path) -> None:
    (custom_paths / "dbt-workbench.yml").write_text("layers:\n  prefixes:\n    prep_: gold\n")
    result = run_cli("models", str(custom_paths))
    assert result.returncode == 1
    assert "unknown layer 'gold'" in result.stderr


def test_help_explains_the_commands() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for words in ("demo [DIR]", "models [PROJECT_DIR]", "press ?"):
        assert words in result.stdout
