"""The fast scan: models, layers, text lineage, schema entries, manifest lineage, cache, bad input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import make_newer
from tui.core.config import load_config
from tui.core.project.layers import Layer
from tui.core.project.dbt_project import load_project
from tui.core.scan.scanner import LINEAGE_FROM_MANIFEST, LINEAGE_FROM_TEXT, ProjectScanner, scan_project
from tui.core.scan.cache import SchemaCache


def scan_of(root: Path, cache: SchemaCache | None = None):
    project = load_project(root)
    return ProjectScanner(project, load_config(project.root).layer_rules(), cache).scan()


def by_name(scan) -> dict:
    return {model.name: model for model in scan.models}


def test_custom_model_paths_nested_folders_and_layers(custom_paths: Path) -> None:
    models = by_name(scan_of(custom_paths))
    assert sorted(models) == [
        "base_crm__users", "dim_accounts", "fct_orders", "int_accounts_enriched",
        "int_old", "prep_events", "report_adhoc", "stg_crm__accounts",
    ]
    layers = {name: model.layer for name, model in models.items()}
    assert layers["stg_crm__accounts"] is Layer.STAGING
    assert layers["base_crm__users"] is Layer.STAGING
    assert layers["prep_events"] is Layer.STAGING  # by the project's prefix override
    assert layers["int_accounts_enriched"] is Layer.INTERMEDIATE
    assert layers["fct_orders"] is Layer.MARTS
    assert layers["dim_accounts"] is Layer.MARTS
    assert layers["report_adhoc"] is Layer.OTHER
    assert models["stg_crm__accounts"].folders == ("staging", "crm")
    assert models["stg_crm__accounts"].path == "transform/staging/crm/stg_crm__accounts.sql"


def test_refs_sources_python_models_and_disabled_models(custom_paths: Path) -> None:
    scan = scan_of(custom_paths)
    models = by_name(scan)
    assert models["stg_crm__accounts"].sources == (("crm", "accounts"),)
    assert models["base_crm__users"].sources == (("crm", "users"),)
    assert models["int_accounts_enriched"].refs == ("stg_crm__accounts", "base_crm__users")
    assert models["dim_accounts"].language == "python"
    assert models["dim_accounts"].refs == ("stg_crm__accounts",)
    assert models["int_old"].enabled is False
    assert models["fct_orders"].enabled is True
    assert scan.lineage_source == LINEAGE_FROM_TEXT


def test_shared_and_per_model_schema_entries(custom_paths: Path) -> None:
    scan = scan_of(custom_paths)
    accounts = scan.entry_for("stg_crm__accounts")
    assert (accounts.path, accounts.line, accounts.documented, accounts.tested) == (
        "transform/staging/_staging.yml", 5, True, True)
    users = scan.entry_for("base_crm__users")
    assert (users.line, users.documented, users.tested) == (13, False, False)
    orders = scan.entry_for("fct_orders")
    assert (orders.path, orders.documented, orders.tested) == ("transform/marts/core/fct_orders.yml", True, True)
    assert scan.entry_for("report_adhoc") is None
    sources = {(s.source_name, s.table_name): s for s in scan.schema.sources}
    assert set(sources) == {("crm", "accounts"), ("crm", "users")}
    assert sources[("crm", "accounts")].documented and not sources[("crm", "users")].documented
    assert scan.all_problems() == []


def test_fresh_manifest_gives_lineage_hidden_in_macros(macro_refs: Path) -> None:
    make_newer(macro_refs / "target" / "manifest.json")
    scan = scan_of(macro_refs)
    models = by_name(scan)
    assert scan.lineage_source == LINEAGE_FROM_MANIFEST
    assert models["fct_union"].refs == ("stg_a", "stg_b")
    assert models["stg_retired"].enabled is False  # disabled where only dbt knows it


def test_stale_manifest_is_not_used(macro_refs: Path) -> None:
    model = macro_refs / "models" / "marts" / "fct_union.sql"
    make_newer(macro_refs / "target" / "manifest.json")
    make_newer(model, seconds=60)
    scan = scan_of(macro_refs)
    assert scan.lineage_source == LINEAGE_FROM_TEXT
    # Without the manifest the macro is rendered: its refs are still seen.
    assert by_name(scan)["fct_union"].refs == ("stg_a", "stg_b")


def test_damaged_manifest_falls_back_to_text(macro_refs: Path) -> None:
    manifest = macro_refs / "target" / "manifest.json"
    manifest.write_text("{not json")
    make_newer(manifest)
    assert scan_of(macro_refs).lineage_source == LINEAGE_FROM_TEXT


def test_cache_is_used_and_never_stale(custom_paths: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    cold = scan_of(custom_paths, SchemaCache(custom_paths.resolve(), cache_dir))
    assert list(cache_dir.iterdir())
    warm = scan_of(custom_paths, SchemaCache(custom_paths.resolve(), cache_dir))
    assert warm.schema.entries == cold.schema.entries
    schema = custom_paths / "transform" / "staging" / "_staging.yml"
    schema.write_text(schema.read_text().replace('description: ""', "description: Users of accounts."))
    changed = scan_of(custom_paths, SchemaCache(custom_paths.resolve(), cache_dir))
    assert changed.entry_for("base_crm__users").documented is True


def test_yaml_error_marks_the_file_and_keeps_the_rest(custom_paths: Path) -> None:
    broken = custom_paths / "transform" / "marts" / "core" / "fct_orders.yml"
    broken.write_text("version: 2\nmodels:\n  - name: fct_orders\n    description: [unclosed\n")
    scan = scan_of(custom_paths)
    problems = scan.all_problems()
    assert len(problems) == 1
    assert problems[0].path == "transform/marts/core/fct_orders.yml"
    assert problems[0].line == 5
    assert scan.entry_for("stg_crm__accounts") is not None
    assert len(scan.models) == 8


def test_model_that_is_not_utf8_is_reported_and_scanned(custom_paths: Path) -> None:
    model = custom_paths / "transform" / "misc" / "latin1.sql"
    model.write_bytes("select 'café' from {{ ref('fct_orders') }}".encode("latin-1"))
    scan = scan_of(custom_paths)
    latin1 = by_name(scan)["latin1"]
    assert latin1.problem.startswith("not UTF-8 (byte 0xe9")
    assert latin1.refs == ("fct_orders",)
    assert any(p.path.endswith("latin1.sql") for p in scan.all_problems())


def test_empty_project(tmp_path: Path) -> None:
    (tmp_path / "dbt_project.yml").write_text("name: empty\n")
    scan = scan_of(tmp_path)
    assert scan.models == () and scan.schema.entries == {} and scan.all_problems() == []


def test_symlink_loop_is_reported_not_followed(custom_paths: Path) -> None:
    os.symlink(custom_paths / "transform", custom_paths / "transform" / "misc" / "loop")
    scan = scan_of(custom_paths)
    assert len(scan.models) == 8
    assert any("symlink loop" in p.message for p in scan.all_problems())


def test_ten_megabyte_model(custom_paths: Path) -> None:
    big = custom_paths / "transform" / "misc" / "huge.sql"
    line = "select 1 as x union all\n"
    big.write_text("select * from {{ ref('fct_orders') }} union all\n" + line * (10_000_000 // len(line)) + "select 2\n")
    model = by_name(scan_of(custom_paths))["huge"]
    assert model.size > 10_000_000
    assert model.refs == ("fct_orders",)


def test_duplicate_entries_are_reported(custom_paths: Path) -> None:
    extra = custom_paths / "transform" / "misc" / "_again.yml"
    extra.write_text("version: 2\nmodels:\n  - name: fct_orders\n    description: again\n")
    scan = scan_of(custom_paths)
    assert any("also has an entry in" in p.message for p in scan.all_problems())


def test_scan_project_helper_matches_scanner(custom_paths: Path) -> None:
    project = load_project(custom_paths)
    assert scan_project(project).models == ProjectScanner(project).scan().models
