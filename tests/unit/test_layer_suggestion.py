"""The layer mapping offered when the defaults put more than a quarter of the models in Other,
and how accepting it writes dbt-workbench.yml."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.config import load_config, save_layer_mapping
from tui.core.errors import ConfigError
from tui.core.project.layer_suggestion import MappingRow, guess_layer, mapping_of, suggest_layers
from tui.core.project.layers import Layer, LayerRules
from tui.core.project.records import ModelFile

NO_USER = {"XDG_CONFIG_HOME": "/nonexistent"}


def models_of(paths: list[str], rules: LayerRules | None = None) -> list[ModelFile]:
    rules = rules or LayerRules()
    models = []
    for path in paths:
        *folders, file_name = path.split("/")
        name = file_name.removesuffix(".sql")
        models.append(ModelFile(name, f"models/{path}", tuple(folders), rules.classify(name, folders), "sql"))
    return models


# The shape of the large project that put 90% of its models in Other.
UNKNOWN_SHAPE = [
    *[f"sources/crm/crm_{n}_source.sql" for n in range(6)],
    *[f"prep/prep_orders_{n}.sql" for n in range(5)],
    *[f"workspaces/finance/wk_ledger_{n}.sql" for n in range(4)],
    *[f"marts/mart_sales_{n}.sql" for n in range(3)],
    "reports/rpt_weekly.sql", "reports/rpt_daily.sql", "bdg_user_team.sql", "bdg_user_role.sql",
    "stg_known.sql",
]


def test_offered_with_counts_and_guesses_from_the_projects_own_names() -> None:
    suggestion = suggest_layers(models_of(UNKNOWN_SHAPE))
    assert suggestion is not None
    assert (suggestion.other, suggestion.total) == (19, 23)  # mart_ models sit in marts/ already
    rows = {(row.kind, row.pattern): (row.layer, row.models) for row in suggestion.rows}
    assert rows[("folder", "sources")] == (Layer.STAGING, 6)
    assert rows[("prefix", "prep_")] == (Layer.STAGING, 5)
    assert rows[("folder", "workspaces")] == (Layer.INTERMEDIATE, 4)
    assert rows[("prefix", "wk_")] == (Layer.INTERMEDIATE, 4)
    assert rows[("prefix", "rpt_")] == (Layer.MARTS, 2)
    assert rows[("prefix", "bdg_")] == (Layer.MARTS, 2)
    assert ("folder", "crm") not in rows and ("folder", "finance") not in rows  # domain names say nothing
    assert [row.models for row in suggestion.rows] == sorted((row.models for row in suggestion.rows), reverse=True)


def test_not_offered_when_the_defaults_fit() -> None:
    fitting = [f"staging/stg_{n}.sql" for n in range(8)] + ["misc/report_a.sql", "misc/report_b.sql"]
    assert suggest_layers(models_of(fitting)) is None
    assert suggest_layers([]) is None


def test_accepted_mapping_moves_the_models_out_of_other() -> None:
    suggestion = suggest_layers(models_of(UNKNOWN_SHAPE))
    prefixes, folders = mapping_of(suggestion.rows)
    rules = LayerRules.with_overrides(prefixes, folders)
    still_other = [m.name for m in models_of(UNKNOWN_SHAPE, rules) if m.layer is Layer.OTHER]
    assert still_other == []


@pytest.mark.parametrize(("word", "layer"), [
    ("prep_", Layer.STAGING), ("sources", Layer.STAGING), ("wk_", Layer.INTERMEDIATE),
    ("workspaces", Layer.INTERMEDIATE), ("rpt_", Layer.MARTS), ("reporting", Layer.MARTS),
    ("customer_", Layer.OTHER), ("core", Layer.OTHER),
])
def test_guess_layer(word: str, layer: Layer) -> None:
    assert guess_layer(word) is layer


def test_saving_creates_the_file(tmp_path: Path) -> None:
    save_layer_mapping(tmp_path, {"prep_": Layer.STAGING}, {"workspaces": Layer.INTERMEDIATE})
    config = load_config(tmp_path, environ=NO_USER)
    assert config.layer_prefixes == {"prep_": Layer.STAGING}
    assert config.layer_folders == {"workspaces": Layer.INTERMEDIATE}


def test_saving_appends_a_section_and_keeps_every_other_byte(tmp_path: Path) -> None:
    original = "# our settings\nkeys:\n  filter:   ctrl+f   # spaced as we like\nlint:\n  severity: {fct_root_models: off}\n"
    (tmp_path / "dbt-workbench.yml").write_text(original)
    save_layer_mapping(tmp_path, {"rpt_": Layer.MARTS}, {})
    text = (tmp_path / "dbt-workbench.yml").read_text()
    assert text.startswith(original)
    assert load_config(tmp_path, environ=NO_USER).layer_prefixes == {"rpt_": Layer.MARTS}


def test_saving_merges_into_an_existing_section_only(tmp_path: Path) -> None:
    before, after = "keys:\n  filter: ctrl+f\n", "editor:\n  new_entry_file: model   # kept\n"
    section = "layers:\n  prefixes: {prep_: staging}\n  base_counts_as_staging: true\n"
    (tmp_path / "dbt-workbench.yml").write_text(before + section + after)
    save_layer_mapping(tmp_path, {"wk_": Layer.INTERMEDIATE}, {"sources": Layer.STAGING})
    text = (tmp_path / "dbt-workbench.yml").read_text()
    assert text.startswith(before) and text.endswith(after)
    config = load_config(tmp_path, environ=NO_USER)
    assert config.layer_prefixes == {"prep_": Layer.STAGING, "wk_": Layer.INTERMEDIATE}
    assert config.layer_folders == {"sources": Layer.STAGING}
    assert config.base_counts_as_staging and config.new_entry_file == "model"


def test_a_broken_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    broken = "layers: {prefixes: [\n"
    (tmp_path / "dbt-workbench.yml").write_text(broken)
    with pytest.raises(ConfigError, match="not valid YAML"):
        save_layer_mapping(tmp_path, {"prep_": Layer.STAGING}, {})
    assert (tmp_path / "dbt-workbench.yml").read_text() == broken


def test_rows_left_in_other_are_not_saved() -> None:
    rows = [MappingRow("prefix", "customer_", Layer.OTHER, 9), MappingRow("folder", "prep", Layer.STAGING, 3)]
    assert mapping_of(rows) == ({}, {"prep": Layer.STAGING})
