"""Project discovery: dbt_project.yml found by walking up, settings and profile resolved."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.errors import ProjectFileError, ProjectNotFoundError
from tui.core.project.dbt_project import find_project_root, load_project


def test_walks_up_from_a_nested_folder(custom_paths: Path) -> None:
    nested = custom_paths / "transform" / "staging" / "crm"
    assert find_project_root(nested) == custom_paths.resolve()
    assert find_project_root(nested / "stg_crm__accounts.sql") == custom_paths.resolve()


def test_reads_name_model_paths_and_duckdb_target(custom_paths: Path) -> None:
    project = load_project(custom_paths, environ={"HOME": str(custom_paths)})
    assert project.name == "custom_paths"
    assert project.model_paths == ("transform",)
    assert [d.name for d in project.model_dirs()] == ["transform"]
    connection = project.connection
    assert connection.problem is None
    assert (connection.profile_name, connection.target_name, connection.adapter_type) == ("custom_paths", "dev", "duckdb")
    assert connection.duckdb_path == custom_paths.resolve() / "warehouse" / "dev.duckdb"
    assert connection.describe() == "dev · duckdb"


def test_target_from_env_var_in_profile_and_dbt_target(custom_paths: Path) -> None:
    by_env_var = load_project(custom_paths, environ={"HOME": "/nowhere", "CUSTOM_PATHS_TARGET": "prod"})
    assert by_env_var.connection.target_name == "prod"
    assert by_env_var.connection.duckdb_path == Path("/srv/data/prod.duckdb")
    by_flag = load_project(custom_paths, environ={"HOME": "/nowhere", "DBT_TARGET": "prod"})
    assert by_flag.connection.target_name == "prod"


def test_profiles_dir_from_environment_wins(custom_paths: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "profiles"
    elsewhere.mkdir()
    (elsewhere / "profiles.yml").write_text("custom_paths:\n  target: ci\n  outputs:\n    ci: {type: postgres}\n")
    project = load_project(custom_paths, environ={"DBT_PROFILES_DIR": str(elsewhere), "HOME": "/nowhere"})
    assert project.connection.adapter_type == "postgres"
    assert project.connection.duckdb_path is None


def test_missing_profile_is_a_message_not_an_error(tmp_path: Path) -> None:
    (tmp_path / "dbt_project.yml").write_text("name: p\nprofile: nowhere\n")
    project = load_project(tmp_path, environ={"HOME": str(tmp_path)})
    assert project.connection.problem == "No profiles.yml found."
    assert project.connection.describe() == "no profile"
    (tmp_path / "profiles.yml").write_text("other:\n  outputs: {}\n")
    project = load_project(tmp_path, environ={"HOME": str(tmp_path)})
    assert "Profile 'nowhere' is not in" in project.connection.problem


def test_no_project_found_names_the_folder(tmp_path: Path) -> None:
    with pytest.raises(ProjectNotFoundError, match="No dbt_project.yml in .* or any folder above it"):
        load_project(tmp_path)


def test_invalid_project_yaml_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "dbt_project.yml").write_text("name: p\nmodel-paths: [models\nprofile: x\n")
    with pytest.raises(ProjectFileError, match=r"not valid YAML: line \d+, column \d+"):
        load_project(tmp_path)


def test_project_yaml_that_is_not_a_mapping(tmp_path: Path) -> None:
    (tmp_path / "dbt_project.yml").write_text("- just\n- a list\n")
    with pytest.raises(ProjectFileError, match="must hold a mapping"):
        load_project(tmp_path)


def test_unreadable_project_file(tmp_path: Path) -> None:
    (tmp_path / "dbt_project.yml").write_bytes(b"name: \xff\xfe\n")
    with pytest.raises(ProjectFileError, match="Cannot read"):
        load_project(tmp_path)
