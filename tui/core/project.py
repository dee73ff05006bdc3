"""Find a dbt project and read what the workbench needs from dbt_project.yml and profiles.yml.

Profiles are looked up the way our dbt jobs will see them (they run with the project folder as
the working directory): $DBT_PROFILES_DIR, then the project folder, then ~/.dbt. The target is
$DBT_TARGET when set, else the profile's `target:`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import yaml

from tui.core.errors import ProjectFileError, ProjectNotFoundError
from tui.core.yaml_load import load_yaml, problem_from

PROJECT_FILE = "dbt_project.yml"
_ENV_VAR = re.compile(r"""\{\{\s*env_var\(\s*['"]([^'"]+)['"]\s*(?:,\s*['"]([^'"]*)['"]\s*)?\)\s*\}\}""")


@dataclass(frozen=True, slots=True)
class Connection:
    """The profile target the project's dbt jobs will use, as far as we can tell without dbt."""

    profile_name: str | None
    target_name: str | None
    adapter_type: str | None
    duckdb_path: Path | None
    profiles_file: Path | None
    problem: str | None

    def describe(self) -> str:
        """A short label for the header, e.g. 'dev · duckdb'."""
        if self.problem:
            return "no profile"
        return f"{self.target_name} · {self.adapter_type}"


@dataclass(frozen=True, slots=True)
class DbtProject:
    """What dbt_project.yml says, resolved against the project's root folder."""

    root: Path
    name: str
    model_paths: tuple[str, ...]
    target_path: str
    connection: Connection

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
    settings = _read_yaml_mapping(root / PROJECT_FILE)
    name = str(settings.get("name") or root.name)
    model_paths = settings.get("model-paths") or settings.get("source-paths") or ["models"]
    if isinstance(model_paths, str):
        model_paths = [model_paths]
    if not isinstance(model_paths, list) or not all(isinstance(p, str) for p in model_paths):
        raise ProjectFileError(f"{root / PROJECT_FILE}: `model-paths` must be a list of folder names.")
    profile = settings.get("profile")
    connection = read_connection(root, str(profile) if profile else None, env)
    return DbtProject(
        root=root,
        name=name,
        model_paths=tuple(model_paths),
        target_path=str(settings.get("target-path") or "target"),
        connection=connection,
    )


def _read_yaml_mapping(path: Path) -> dict[str, Any]:
    """Read a YAML file that must hold a mapping; errors name the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ProjectFileError(f"Cannot read {path}: {error}") from error
    try:
        data = load_yaml(text)
    except yaml.YAMLError as error:
        raise ProjectFileError(f"{path} is not valid YAML: {problem_from(error).describe()}") from error
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ProjectFileError(f"{path} must hold a mapping of settings, not {type(data).__name__}.")
    return data


def _profiles_candidates(root: Path, env: Mapping[str, str]) -> list[Path]:
    """Where profiles.yml may be, in the order dbt jobs started by the workbench would look."""
    candidates = []
    if env.get("DBT_PROFILES_DIR"):
        candidates.append(Path(env["DBT_PROFILES_DIR"]).expanduser() / "profiles.yml")
    candidates.append(root / "profiles.yml")
    home = env.get("HOME")
    candidates.append((Path(home) if home else Path.home()) / ".dbt" / "profiles.yml")
    return candidates


def read_connection(root: Path, profile_name: str | None, env: Mapping[str, str]) -> Connection:
    """Resolve the profile's target, adapter type and DuckDB file; problems become text, not errors."""
    if not profile_name:
        return Connection(None, None, None, None, None, "dbt_project.yml names no `profile`.")
    files = [path for path in _profiles_candidates(root, env) if path.is_file()]
    if not files:
        return Connection(profile_name, None, None, None, None, "No profiles.yml found.")
    profiles_file = files[0]
    try:
        profiles = _read_yaml_mapping(profiles_file)
    except ProjectFileError as error:
        return Connection(profile_name, None, None, None, profiles_file, str(error))
    profile = profiles.get(profile_name)
    if not isinstance(profile, dict):
        problem = f"Profile '{profile_name}' is not in {profiles_file}."
        return Connection(profile_name, None, None, None, profiles_file, problem)
    target = env.get("DBT_TARGET") or _render_env(profile.get("target"), env) or "default"
    output = (profile.get("outputs") or {}).get(target)
    if not isinstance(output, dict):
        problem = f"Profile '{profile_name}' has no target '{target}' in {profiles_file}."
        return Connection(profile_name, target, None, None, profiles_file, problem)
    adapter = _render_env(output.get("type"), env)
    duckdb_path = _duckdb_file(root, output, env) if adapter == "duckdb" else None
    return Connection(profile_name, target, adapter, duckdb_path, profiles_file, None)


def _duckdb_file(root: Path, output: dict[str, Any], env: Mapping[str, str]) -> Path | None:
    """The DuckDB database file of a duckdb target; None for in-memory or MotherDuck."""
    raw = _render_env(output.get("path"), env) or ":memory:"
    if raw == ":memory:" or raw.startswith(("md:", "motherduck:")):
        return None
    path = Path(raw).expanduser()
    return path if path.is_absolute() else (root / path)


def _render_env(value: Any, env: Mapping[str, str]) -> str | None:
    """Render `{{ env_var('X', 'default') }}` the way dbt would; other values pass through as text."""
    if value is None:
        return None
    text = str(value)

    def substitute(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        return env.get(name, default if default is not None else match.group(0))

    return _ENV_VAR.sub(substitute, text).strip()
