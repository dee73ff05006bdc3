"""Which profile target the project's dbt jobs will use, read the way dbt reads profiles.yml.

Profiles are looked up the way our dbt jobs will see them (they run with the project folder as
the working directory): $DBT_PROFILES_DIR, then the project folder, then ~/.dbt. The target is
$DBT_TARGET when set, else the profile's `target:`; `env_var()` in those values is rendered.
Problems become text on the Connection (shown as a warning), never an exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from tui.core.errors import ProjectFileError
from tui.core.project.yaml_load import read_yaml_mapping

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
    settings: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    """The target's scalar settings, env_var() rendered (host, port, user...), for the warehouse reader."""

    def describe(self) -> str:
        """A short label for the header, e.g. 'dev · duckdb'."""
        if self.problem:
            return "no profile"
        return f"{self.target_name} · {self.adapter_type}"


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
        profiles = read_yaml_mapping(profiles_file)
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
    return Connection(profile_name, target, adapter, duckdb_path, profiles_file, None, _settings(output, env))


def _settings(output: dict[str, Any], env: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """Scalar settings of the target as text, env_var() rendered; a mapping of scalars one level
    down as `key.subkey` (dbt-spark's `server_side_parameters`); lists are left out."""
    scalars = (str, int, float, bool)
    settings = [(str(key), _render_env(value, env) or "") for key, value in output.items() if isinstance(value, scalars)]
    for key, value in output.items():
        if isinstance(value, dict):
            settings += [(f"{key}.{sub}", _render_env(inner, env) or "") for sub, inner in value.items() if isinstance(inner, scalars)]
    return tuple(settings)


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
