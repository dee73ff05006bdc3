"""The project's own macros and those of installed packages, ready to render as real Jinja.

dbt models lean on macros: a macro that builds CTEs from `(name, model)` tuples, dispatch to
`default__x`, `dbt_utils.star(ref('x'))`. Rendering them for real (in the sandbox) is the only way
to see the SQL and the refs they produce. Files are read once; each is compiled when first used.
`lineage_macros` names the macros that call `ref()`/`source()`, directly or through another, so the
scan renders only the models that need it. No Textual here.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from tui.core.project.dbt_project import DbtProject
from tui.core.project.yaml_load import load_yaml

_MACRO_START = re.compile(r"{%-?\s*macro\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(")
_MACRO_END = re.compile(r"{%-?\s*endmacro\b")
_LINEAGE_CALL = re.compile(r"\b(?:ref|source)\s*\(")
_NAME_CALL = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)\s*\(")
_DISPATCH_CALL = re.compile(r"\bdispatch\s*\(\s*(?:macro_name\s*=\s*)?['\"]([A-Za-z_][A-Za-z0-9_]*)['\"]")
_DISPATCH_PREFIX = re.compile(r"^(?:[a-z0-9]+__)")


@dataclass(slots=True)
class MacroFile:
    """One macro file: where it is, its text, and the names of the macros it defines."""

    path: str
    text: str
    names: tuple[str, ...]


@dataclass(slots=True)
class MacroLibrary:
    """Macros by namespace: the root project's name first, then each installed package's."""

    root_namespace: str = ""
    files: list[MacroFile] = field(default_factory=list)
    by_namespace: dict[str, dict[str, int]] = field(default_factory=dict)
    """namespace -> macro name -> index into `files`."""
    lineage_macros: frozenset[str] = frozenset()
    problems: list[str] = field(default_factory=list)

    def find(self, namespace: str, name: str) -> MacroFile | None:
        index = self.by_namespace.get(namespace, {}).get(name)
        return None if index is None else self.files[index]

    def fingerprint(self) -> str:
        """A hash of every macro file's path and text: what a render's result depends on."""
        digest = hashlib.blake2b(digest_size=16)
        for macro_file in self.files:
            digest.update(macro_file.path.encode("utf-8", "surrogatepass") + b"\0")
            digest.update(macro_file.text.encode("utf-8", "surrogatepass") + b"\0")
        return digest.hexdigest()

    @property
    def package_names(self) -> list[str]:
        return [name for name in self.by_namespace if name != self.root_namespace]


def load_macro_library(project: DbtProject) -> MacroLibrary:
    """Read the macro files of the project and of every package under its packages folder."""
    library = MacroLibrary(root_namespace=project.name)
    _add_namespace(library, project.name, [project.root / path for path in project.macro_paths])
    for package_root, package_name, macro_paths in _installed_packages(project.root / project.packages_path):
        if package_name not in library.by_namespace:
            _add_namespace(library, package_name, [package_root / path for path in macro_paths])
    library.lineage_macros = _lineage_macros(library)
    return library


def _installed_packages(packages_dir: Path) -> list[tuple[Path, str, list[str]]]:
    """(folder, project name, macro-paths) of each package dbt installed; unreadable ones skipped."""
    found = []
    try:
        entries = [entry for entry in os.scandir(packages_dir) if entry.is_dir()]
    except OSError:
        return found
    for entry in sorted(entries, key=lambda e: e.name):
        folder = Path(entry.path)
        settings = _package_settings(folder / "dbt_project.yml")
        name = str(settings.get("name") or entry.name)
        paths = settings.get("macro-paths") or ["macros"]
        found.append((folder, name, [str(p) for p in paths] if isinstance(paths, list) else ["macros"]))
    return found


def _package_settings(path: Path) -> dict:
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except Exception:  # a package's own broken YAML must not stop the project's lint
        return {}
    return data if isinstance(data, dict) else {}


def _add_namespace(library: MacroLibrary, namespace: str, folders: list[Path]) -> None:
    names = library.by_namespace.setdefault(namespace, {})
    for folder in folders:
        for path in sorted(folder.rglob("*.sql")) if folder.is_dir() else ():
            try:
                text = path.read_text(encoding="utf-8-sig", errors="replace")
            except OSError as error:
                library.problems.append(f"{path}: cannot read: {error.strerror}")
                continue
            macro_file = MacroFile(str(path), text, tuple(_MACRO_START.findall(text)))
            library.files.append(macro_file)
            for name in macro_file.names:
                names.setdefault(name, len(library.files) - 1)


def macro_bodies(text: str) -> dict[str, str]:
    """Each macro's body in one file, by name (a plain split on macro / endmacro tags)."""
    bodies: dict[str, str] = {}
    starts = list(_MACRO_START.finditer(text))
    for match in starts:
        end = _MACRO_END.search(text, match.end())
        bodies[match.group(1)] = text[match.end(): end.start() if end else len(text)]
    return bodies


def _lineage_macros(library: MacroLibrary) -> frozenset[str]:
    """Names of macros that reach ref()/source(): directly, or by calling or dispatching to one."""
    calls: dict[str, set[str]] = {}
    direct: set[str] = set()
    for macro_file in library.files:
        for name, body in macro_bodies(macro_file.text).items():
            if _LINEAGE_CALL.search(body):
                direct.add(name)
            called = calls.setdefault(name, set())
            called.update(_NAME_CALL.findall(body))
            called.update(_DISPATCH_CALL.findall(body))
    reaching = set(direct)
    changed = True
    while changed:
        # `dispatch('x')` reaches lineage when one of its implementations (`default__x`...) does.
        dispatched = {_DISPATCH_PREFIX.sub("", name) for name in reaching}
        grown = {name for name, called in calls.items() if name not in reaching and called & (reaching | dispatched)}
        reaching |= grown
        changed = bool(grown)
    return frozenset(reaching)
