"""Find a dbt project and read what the workbench needs from dbt_project.yml and profiles.yml.

The profile and target are read by tui.core.project.profiles.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from tui.core.errors import ProjectFileError, ProjectNotFoundError
from tui.core.project.folder_config import FolderConfigs
from tui.core.project.profiles import Connection, read_connection
from tui.core.project.yaml_load import read_yaml_mapping
from tui.core.project.yaml_render import render_project_settings

PROJECT_FILE = "dbt_project.yml"


@dataclass(frozen=True, slots=True)
class DbtProject:
    """What dbt_project.yml says, resolved against the project's root folder."""

    root: Path
    name: str
    model_paths: tuple[str, ...]
    target_path: str
    connection: Connection
    macro_paths: tuple[str, ...] = ("macros",)
    packages_path: str = "dbt_packages"
    vars: Mapping[str, Any] = field(default_factory=dict)
    """The `vars:` of dbt_project.yml: global ones, plus the root project's own block flattened in."""
    folder_configs: FolderConfigs = field(default_factory=lambda: FolderConfigs({}, ""))
    adapter_hint: str | None = None
    """The adapter the project's configs point to when no profile says (e.g. snowflake_warehouse)."""

    @property
    def sql_dialect_source(self) -> str | None:
        """The adapter type to parse SQL for: the profile's, else the hint from the project's configs."""
        return self.connection.adapter_type or self.adapter_hint

    def model_dirs(self) -> list[Path]:
        """The model folders that exist; paths outside the project are ignored."""
        dirs = []
        for rel in self.model_paths:
            folder = (self.root / rel).resolve()
            if folder.is_dir() and folder.is_relative_to(self.root):
                dirs.append(folder)
        return dirs

    @property
    def manifest_path(self) -> Path:
        return self.root / self.target_path / "manifest.json"


def find_project_root(start: Path | None = None) -> Path:
    """Walk up from start (default: the current folder) to the folder holding dbt_project.yml."""
    here = (start or Path.cwd()).expanduser().resolve()
    if here.is_file():
        here = here.parent
    if not here.exists():
        raise ProjectNotFoundError(f"{here} does not exist.")
    for folder in (here, *here.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    raise ProjectNotFoundError(
        f"No {PROJECT_FILE} in {here} or any folder above it. "
        "Pass the path of a dbt project, or try `dbt-workbench demo`."
    )


def load_project(start: Path | None = None, environ: Mapping[str, str] | None = None) -> DbtProject:
    """Find and read the project; raises ProjectNotFoundError or ProjectFileError with a message."""
    env = os.environ if environ is None else environ
    root = find_project_root(start)
    settings = render_project_settings(read_yaml_mapping(root / PROJECT_FILE), env, str(root / PROJECT_FILE))
    name = str(settings.get("name") or root.name)
    model_paths = _folder_list(settings, ("model-paths", "source-paths"), ["models"], root)
    profile = settings.get("profile")
    connection = read_connection(root, str(profile) if profile else None, env)
    return DbtProject(
        root=root,
        name=name,
        model_paths=model_paths,
        target_path=str(settings.get("target-path") or "target"),
        connection=connection,
        macro_paths=_folder_list(settings, ("macro-paths",), ["macros"], root),
        packages_path=str(settings.get("packages-install-path") or "dbt_packages"),
        vars=project_vars(settings.get("vars"), name),
        folder_configs=FolderConfigs(settings.get("models"), name),
        adapter_hint=guess_adapter(settings, profile),
    )


def _folder_list(settings: dict[str, Any], keys: tuple[str, ...], default: list[str], root: Path) -> tuple[str, ...]:
    """A list-of-folders setting (`model-paths`, `macro-paths`); a bare string is a list of one."""
    value = next((settings[key] for key in keys if settings.get(key)), default)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
        raise ProjectFileError(f"{root / PROJECT_FILE}: `{keys[0]}` must be a list of folder names.")
    return tuple(value)


def project_vars(raw: Any, project_name: str) -> dict[str, Any]:
    """Global vars, with the root project's own block (`vars: {my_project: {...}}`) laid over them."""
    if not isinstance(raw, dict):
        return {}
    flat = {key: value for key, value in raw.items() if not isinstance(value, dict) or key != project_name}
    own = raw.get(project_name)
    if isinstance(own, dict):
        flat.update(own)
    return flat


_ADAPTER_CONFIG_HINTS = (
    ("snowflake", ("snowflake_warehouse", "transient", "copy_grants", "secure", "query_tag", "cluster_by_keys")),
    ("bigquery", ("partition_expiration_days", "require_partition_filter", "labels", "kms_key_name", "hours_to_expiration")),
    ("databricks", ("liquid_clustered_by", "tblproperties", "zorder")),
    ("spark", ("file_format", "location_root")),
    ("redshift", ("dist", "sort", "bind", "backup")),
    ("sqlserver", ("as_columnstore",)),
)


def guess_adapter(settings: dict[str, Any], profile: Any) -> str | None:
    """The warehouse the project's own configs are written for, when they say (e.g. `+transient`)."""
    keys = _config_keys(settings.get("models")) | _config_keys(settings.get("seeds")) | _config_keys(settings.get("snapshots"))
    for adapter, hints in _ADAPTER_CONFIG_HINTS:
        if keys.intersection(hints):
            return adapter
    profile_text = str(profile or "").lower()
    known = ("snowflake", "bigquery", "databricks", "redshift", "postgres", "duckdb", "spark", "trino")
    return next((adapter for adapter in known if adapter in profile_text), None)


def _config_keys(tree: Any) -> set[str]:
    """Every `+key` (and bare key) anywhere in a config tree, without the `+`."""
    found: set[str] = set()
    if isinstance(tree, dict):
        for key, value in tree.items():
            found.add(str(key).lstrip("+"))
            found |= _config_keys(value)
    return found


