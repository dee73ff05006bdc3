"""The `lint:` section of the configuration: per-rule severity and per-model ignores, strictly checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.config import WorkbenchConfig, load_config
from tui.core.errors import ConfigError
from tui.core.lint.settings import LintIgnore


def _load(tmp_path: Path, text: str):
    (tmp_path / "dbt-workbench.yml").write_text(text)
    return load_config(tmp_path, environ={"XDG_CONFIG_HOME": str(tmp_path / "none")})


def test_defaults_are_empty() -> None:
    config = WorkbenchConfig()
    assert config.lint_severity == {}
    assert config.lint_ignores == ()


def test_severity_and_ignore_are_read(tmp_path: Path) -> None:
    config = _load(
        tmp_path,
        "lint:\n"
        "  severity:\n"
        "    fct_root_models: off\n"
        "    fct_undocumented_models: Error\n"
        "    not_checked: 'off'\n"
        "  ignore:\n"
        "    - {model: stg_legacy, rule: hard_coded_relation, reason: reads the vendor view until Q3}\n",
    )
    assert config.lint_severity == {"fct_root_models": "off", "fct_undocumented_models": "error", "not_checked": "off"}
    assert config.lint_ignores == (LintIgnore("stg_legacy", "hard_coded_relation", "reads the vendor view until Q3"),)
    settings = config.lint_settings()
    assert settings.severity == config.lint_severity and settings.ignores == config.lint_ignores


def test_project_severity_wins_and_ignores_add_up(tmp_path: Path) -> None:
    user = tmp_path / "xdg" / "dbt-workbench"
    user.mkdir(parents=True)
    (user / "config.yml").write_text(
        "lint:\n  severity: {fct_root_models: error, fct_model_directories: off}\n"
        "  ignore: [{model: a, rule: fct_root_models, reason: seed-like}]\n"
    )
    project = tmp_path / "project"
    project.mkdir()
    (project / "dbt-workbench.yml").write_text(
        "lint:\n  severity: {fct_root_models: warning}\n  ignore: [{model: b, rule: not_checked, reason: macro soup}]\n"
    )
    config = load_config(project, environ={"XDG_CONFIG_HOME": str(tmp_path / "xdg")})
    assert config.lint_severity == {"fct_root_models": "warning", "fct_model_directories": "off"}
    assert [ignore.model for ignore in config.lint_ignores] == ["a", "b"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("lint:\n  severity:\n    fct_no_such_rule: error\n", "lint.severity: unknown lint rule 'fct_no_such_rule'"),
        ("lint:\n  severity:\n    fct_root_models: fatal\n", "lint.severity.fct_root_models must be one of: error, warning, off"),
        ("lint:\n  severities: {}\n", "unknown setting 'lint.severities'"),
        ("lint:\n  severity: [a]\n", "'lint.severity' must be a mapping"),
        ("lint:\n  ignore: {model: a}\n", "'lint.ignore' must be a list"),
        ("lint:\n  ignore: [a]\n", "lint.ignore item 1 must be a mapping"),
        ("lint:\n  ignore:\n    - {model: a, rule: fct_root_models}\n", "lint.ignore item 1 needs 'reason'"),
        ("lint:\n  ignore:\n    - {model: a, rule: fct_root_models, reason: '  '}\n", "lint.ignore item 1 needs 'reason'"),
        ("lint:\n  ignore:\n    - {model: a, rule: nope, reason: x}\n", "lint.ignore item 1: unknown lint rule 'nope'"),
        ("lint:\n  ignore:\n    - {model: a, rule: fct_root_models, reason: x, until: 2025}\n",
         "unknown setting 'lint.ignore item 1: until'"),
    ],
)
def test_mistakes_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace("[", r"\[")):
        _load(tmp_path, text)
