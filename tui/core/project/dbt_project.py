"""Find a dbt project and read what the workbench needs from dbt_project.yml and profiles.yml.

The profile and target are read by tui.core.project.profiles.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from tui.core.errors import ProjectFileError, ProjectNotFoundError
from tui.core.project.profiles import Connection, read_connection
from tui.core.project.yaml_load import read_yaml_mapping

PROJECT_FILE = "dbt_project.yml"


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
    settings = read_yaml_mapping(root / PROJECT_FILE)
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


