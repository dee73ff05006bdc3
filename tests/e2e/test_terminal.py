"""The real thing: `dbt-workbench demo` from a shell, then the app in a real terminal under tmux."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
BIN = Path(sys.executable).parent / "dbt-workbench"


def run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def built_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("e2e") / "demo"
    result = run("demo", str(target), "--no-open")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "Demo project built." in result.stdout
    return target


def test_demo_command_builds_and_refuses_to_clobber(built_demo: Path, tmp_path: Path) -> None:
    assert (built_demo / "target" / "manifest.json").is_file()
    mine = tmp_path / "mine"
    shutil.copytree(built_demo, mine)
    model = mine / "models" / "marts" / "dim_cases.sql"
    edited = model.read_text() + "\n-- my edit\n"
    model.write_text(edited)
    again = run("demo", str(mine), "--no-open")
    assert again.returncode == 1
    assert "not empty" in again.stderr and "--overwrite" in again.stderr
    assert "Traceback" not in again.stderr
    assert model.read_text() == edited


def test_models_json_on_the_built_demo_uses_the_manifest(built_demo: Path) -> None:
    import json

    result = run("models", str(built_demo), "--json")
    data = json.loads(result.stdout)
    assert data["lineage"] == "manifest"  # dbt build wrote a manifest newer than the files
    names = {model["name"] for model in data["models"]}
    assert {"stg_cases", "int_case_decisions_joined", "fct_case_decisions", "dim_reviewers"} <= names


class Terminal:
    """A tmux session running one command; read with screen(), type with keys()."""

    def __init__(self, command: list[str], width: int, height: int) -> None:
        self.name = f"wb-{uuid.uuid4().hex[:8]}"
        subprocess.run(["tmux", "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height), *command], check=True)

    def screen(self) -> str:
        result = subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True)
        return result.stdout

    def keys(self, *keys: str) -> None:
        """One send-keys call; "-l", "text" sends the text literally."""
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def wait_for(self, text: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.screen()}")

    def alive(self) -> bool:
        return subprocess.run(["tmux", "has-session", "-t", self.name], capture_output=True).returncode == 0

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


@pytest.fixture
def terminal_factory():
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    opened: list[Terminal] = []

    def open_terminal(command: list[str], width: int = 100, height: int = 30) -> Terminal:
        opened.append(Terminal(command, width, height))
        return opened[-1]

    yield open_terminal
    for terminal in opened:
        terminal.close()


def test_browse_filter_and_quit_in_tmux(built_demo: Path, terminal_factory) -> None:
    term = terminal_factory([str(BIN), str(built_demo)], 100, 30)
    shown = term.wait_for("with source as")  # stg_cases' SQL is open beside the tree
    assert "dbt-workbench · workbench_demo" in shown and "dev · duckdb" in shown
    assert "Marts (3)" in shown and "fct_case_decisions" in shown
    term.keys("/fct")  # one burst, as a fast typist sends it: nothing may be lost on the way

    shown = term.wait_for("1 match «fct»")
    assert "stg_reviewers" not in shown
    term.keys("Enter")
    term.wait_for("models/marts/fct_case_decisions.sql")
    term.keys("Escape")
    term.wait_for("stg_reviewers")  # the filter is cleared and the tree has the focus
    term.keys("q")
    deadline = time.monotonic() + 10
    while term.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not term.alive()


def test_80x24_shows_tabs(built_demo: Path, terminal_factory) -> None:
    term = terminal_factory([str(BIN), str(built_demo)], 80, 24)
    shown = term.wait_for("with source as")
    assert "SQL  YAML" in shown
    term.keys("v")
    shown = term.wait_for("- name: stg_cases")
    assert "with source as" not in shown


def test_demo_again_opens_the_existing_project(built_demo: Path, terminal_factory) -> None:
    term = terminal_factory([str(BIN), "demo", str(built_demo)], 100, 30)
    shown = term.wait_for("with source as")
    assert "dbt-workbench · workbench_demo" in shown
    term.keys("q")


def test_edit_and_save_in_tmux(built_demo: Path, tmp_path: Path, terminal_factory) -> None:
    mine = tmp_path / "mine"
    shutil.copytree(built_demo, mine)
    model = mine / "models" / "staging" / "stg_cases.sql"
    original = model.read_text()
    term = terminal_factory([str(BIN), str(mine)], 120, 30)
    term.wait_for("with source as")
    term.keys("e")
    term.keys("-l", "--", "-- typed in tmux")
    term.keys("Enter")
    term.wait_for("● models/staging/stg_cases.sql")
    term.keys("C-o")
    term.wait_for("Saved models/staging/stg_cases.sql")
    assert model.read_text() == "-- typed in tmux\n" + original
