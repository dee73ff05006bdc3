"""Layer classification (prefix, then folder, then overrides) and the strict configuration file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.config import load_config
from tui.core.errors import ConfigError
from tui.core.project.layers import Layer, LayerRules


@pytest.mark.parametrize(
    ("name", "folders", "layer"),
    [
        ("stg_cases", (), Layer.STAGING),
        ("base_users", ("anything",), Layer.STAGING),
        ("int_joined", ("marts",), Layer.INTERMEDIATE),  # the prefix wins over the folder
        ("fct_orders", (), Layer.MARTS),
        ("dim_accounts", (), Layer.MARTS),
        ("orders", ("marts", "core"), Layer.MARTS),
        ("orders", ("mart",), Layer.MARTS),
        ("accounts", ("Staging", "crm"), Layer.STAGING),
        ("rollup", ("intermediate",), Layer.INTERMEDIATE),
        ("report", ("misc",), Layer.OTHER),
        ("report", (), Layer.OTHER),
    ],
)
def test_default_rules(name: str, folders: tuple[str, ...], layer: Layer) -> None:
    assert LayerRules().classify(name, folders) is layer


def test_innermost_folder_decides_between_folders() -> None:
    assert LayerRules().classify("x", ("marts", "staging")) is Layer.STAGING


def test_overrides_add_prefixes_and_folders() -> None:
    rules = LayerRules.with_overrides({"prep_": Layer.STAGING, "stg_x_": Layer.OTHER}, {"Sources": Layer.STAGING})
    assert rules.classify("prep_events", ()) is Layer.STAGING
    assert rules.classify("stg_x_thing", ()) is Layer.OTHER  # the longest prefix wins
    assert rules.classify("stg_y", ()) is Layer.STAGING
    assert rules.classify("events", ("sources",)) is Layer.STAGING


def test_project_config_is_read(custom_paths: Path) -> None:
    config = load_config(custom_paths)
    assert config.layer_prefixes == {"prep_": Layer.STAGING}
    assert config.layer_rules().classify("events", ("sources",)) is Layer.STAGING


def test_project_file_overrides_user_file(tmp_path: Path) -> None:
    user = tmp_path / "xdg" / "dbt-workbench"
    user.mkdir(parents=True)
    (user / "config.yml").write_text("keys:\n  filter: ctrl+f\n  quit: ctrl+x\nlayers:\n  prefixes:\n    rpt_: other\n")
    project = tmp_path / "project"
    project.mkdir()
    (project / "dbt-workbench.yml").write_text("keys:\n  quit: f10\n")
    (user / "config.yml").write_text((user / "config.yml").read_text() + "editor:\n  new_entry_file: model\n")
    config = load_config(project, environ={"XDG_CONFIG_HOME": str(tmp_path / "xdg")})
    assert config.keys == {"filter": "ctrl+f", "quit": "f10"}
    assert config.new_entry_file == "model"
    assert config.layer_prefixes == {"rpt_": Layer.OTHER}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("layer:\n  prefixes: {}\n", "unknown setting 'layer'"),
        ("layers:\n  prefix: {}\n", "unknown setting 'layers.prefix'"),
        ("layers:\n  prefixes:\n    prep_: bronze\n", "layers.prefixes.prep_: unknown layer 'bronze'"),
        ("keys:\n  filter: 3\n", "keys.filter must be a key name"),
        ("keys: [a]\n", "'keys' must be a mapping"),
        ("keys:\n  fitler: f\n", "keys: unknown binding id 'fitler'"),
        ("keys:\n  conflict_overwrite: 3\n", "keys.conflict_overwrite must be a key name"),
        ("- a\n", "must hold a mapping"),
        ("layers: {prefixes: [\n", "not valid YAML: line"),
        ("editor:\n  new_entry_file: nearby\n", "editor.new_entry_file must be one of: folder, model"),
        ("editor:\n  new_entry: folder\n", "unknown setting 'editor.new_entry'"),
        ("layers:\n  base_prefixes: base_\n", "layers.base_prefixes must be a list of name prefixes"),
        ("layers:\n  base_counts_as_staging: sometimes\n", "layers.base_counts_as_staging must be true or false"),
    ],
)
def test_mistakes_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "dbt-workbench.yml").write_text(text)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("(", r"\(")):
        load_config(tmp_path, environ={"XDG_CONFIG_HOME": str(tmp_path / "none")})


def test_base_sub_layer_is_configured(tmp_path: Path) -> None:
    (tmp_path / "dbt-workbench.yml").write_text("layers:\n  base_prefixes: [src_]\n  base_counts_as_staging: true\n")
    rules = load_config(tmp_path, environ={"XDG_CONFIG_HOME": str(tmp_path / "none")}).layer_rules()
    assert rules.classify("src_orders", ()) is Layer.STAGING and rules.is_base("src_orders")
    assert rules.classify("base_orders", ()) is Layer.OTHER and not rules.is_base("base_orders")
    assert rules.base_counts_as_staging
    assert LayerRules().is_base("base_orders") and not LayerRules().base_counts_as_staging
