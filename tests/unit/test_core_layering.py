"""House rules that a test can prove: the dependency order of the rooms (import-linter contracts in
pyproject.toml), the core never importing Textual, widgets never importing screens."""

from __future__ import annotations

import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import tui.core

ROOT = Path(__file__).resolve().parents[2]


def core_modules() -> list[str]:
    return [info.name for info in pkgutil.walk_packages(tui.core.__path__, "tui.core.")]


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter with the contracts in cwd's pyproject.toml, on the packages found in cwd."""
    command = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    env = {"PATH": str(Path(sys.executable).parent), "PYTHONPATH": str(cwd), "HOME": str(cwd)}
    return subprocess.run([command, "--no-cache"], cwd=cwd, capture_output=True, text=True, env=env)


def test_import_contracts_are_kept() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 kept, 0 broken" in result.stdout


def copy_of_the_code(tmp_path: Path) -> None:
    for name in ("tui", "screens"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")


def test_an_upward_import_breaks_the_contract(tmp_path: Path) -> None:
    """The contract is not a formality: a copy of the code with one upward import fails it."""
    copy_of_the_code(tmp_path)
    layers = tmp_path / "tui" / "core" / "project" / "layers.py"
    layers.write_text(layers.read_text() + "\nfrom tui.core.lint import rules  # upward: project -> lint\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "Rooms of the core, each importing only the rooms below it BROKEN" in result.stdout
    assert "tui.core.project.layers -> tui.core.lint.rules" in result.stdout


def test_a_warehouse_driver_outside_the_warehouse_room_breaks_the_contract(tmp_path: Path) -> None:
    """Nothing outside tui/core/warehouse/ talks to DuckDB or Postgres itself."""
    copy_of_the_code(tmp_path)
    preview = tmp_path / "tui" / "core" / "jobs" / "preview.py"
    preview.write_text(preview.read_text() + "\nimport psycopg2  # a driver in the jobs room\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "Only the warehouse room (and the demo's loader) talks to a warehouse directly BROKEN" in result.stdout
    assert "tui.core.jobs.preview -> psycopg2" in result.stdout


def test_core_imports_no_textual() -> None:
    modules = core_modules()
    assert "tui.core.scan.scanner" in modules and "tui.core.demo" in modules and "tui.core.process" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "[]"


def test_widgets_never_import_screens() -> None:
    paths = list((ROOT / "tui" / "widgets").rglob("*.py"))
    assert len(paths) > 5
    for path in paths:
        text = path.read_text()
        assert "from screens" not in text and "import screens" not in text, path.name
