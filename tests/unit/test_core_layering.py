"""House rules that a test can prove: the core never imports Textual, widgets never import screens."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import tui.core

ROOT = Path(__file__).resolve().parents[2]


def core_modules() -> list[str]:
    return [info.name for info in pkgutil.walk_packages(tui.core.__path__, "tui.core.")]


def test_core_imports_no_textual() -> None:
    modules = core_modules()
    assert "tui.core.scan" in modules and "tui.core.demo" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "[]"


def test_widgets_never_import_screens() -> None:
    for path in (ROOT / "tui" / "widgets").glob("*.py"):
        text = path.read_text()
        assert "from screens" not in text and "import screens" not in text, path.name
