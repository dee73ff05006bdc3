"""Write the demo dbt project (templates plus raw DuckDB data) into a folder.

Only the demo's own files are ever written: with `overwrite`, files the user added beside them
are left alone. Every file is written atomically (tui.core.files) so a crash never leaves a
half-written model.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from tui.core.demo.warehouse import write_raw_database
from tui.core.errors import WorkbenchError
from tui.core.files import SaveFailed, atomic_write_bytes

DATABASE = "demo.duckdb"
# Package data globs skip dot-files, so they ship without the dot and get it back on write.
_RENAMES = {"gitignore": ".gitignore"}


class DemoExistsError(WorkbenchError):
    """The demo's target folder already holds files and overwriting was not asked for."""


def template_files() -> list[tuple[str, bytes]]:
    """(relative path, content) of each template; importlib.resources makes it work from a wheel."""
    found: list[tuple[str, bytes]] = []
    _collect(resources.files(__package__).joinpath("project"), "", found)
    return sorted(found)


def _collect(node: Traversable, prefix: str, found: list[tuple[str, bytes]]) -> None:
    """Walk the template tree depth-first, skipping bytecode caches."""
    for child in node.iterdir():
        if child.name == "__pycache__":
            continue
        if child.is_dir():
            _collect(child, f"{prefix}{child.name}/", found)
        else:
            name = _RENAMES.get(child.name, child.name) if not prefix else child.name
            found.append((prefix + name, child.read_bytes()))


def demo_paths() -> list[str]:
    """Relative paths the demo owns: its templates and its database."""
    return [rel for rel, _ in template_files()] + [DATABASE]


def write_demo_project(target: Path, *, overwrite: bool = False) -> Path:
    """Create the demo project in `target` and return its resolved root folder."""
    root = Path(target).expanduser().resolve()
    _check_target(root, overwrite)
    try:
        root.mkdir(parents=True, exist_ok=True)
        for rel, content in template_files():
            dest = root / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(dest, content)
        write_raw_database(root / DATABASE)
    except (OSError, SaveFailed) as exc:
        raise WorkbenchError(f"Could not write the demo project into {root}: {exc}") from exc
    return root


def _check_target(root: Path, overwrite: bool) -> None:
    """Refuse a file as target, and a non-empty folder unless the user asked to overwrite."""
    if root.exists() and not root.is_dir():
        raise WorkbenchError(f"{root} is a file, not a folder; choose another place for the demo.")
    if root.is_dir() and not overwrite and any(root.iterdir()):
        raise DemoExistsError(
            f"The folder {root} is not empty, so the demo was not written there. Pass "
            "--overwrite to replace the demo's files in it (files you added are kept), "
            "or choose an empty folder."
        )
