"""The new-model wizard in a real terminal: keys typed into tmux, the file it writes parsed by real dbt.

Every wait polls the screen until the text shows (or a deadline passes), so there are no fixed
sleeps; a failure prints the screen as it was. Each test has its own tmux server (`-L`, no config
file), so a user's tmux sessions are never touched.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Callable, Iterator

import pytest

pytestmark = pytest.mark.e2e
BIN = Path(sys.executable).parent / "dbt-workbench"
DBT = Path(sys.executable).parent / "dbt"
REASON = "decisions arrive from a second export"


def _clean_env(home: Path | None = None) -> dict[str, str]:
    """The environment without TMUX (we are not nesting) nor a terminal size, and, when given,
    with its own HOME."""
    # COLUMNS and LINES (set by other tests in this process) would override the pane's size
    env = {key: value for key, value in os.environ.items() if key not in ("TMUX", "TMUX_PANE", "DBT_PROFILES_DIR", "COLUMNS", "LINES")}
    if home is not None:
        env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"), XDG_CONFIG_HOME=str(home / ".config"))
    return env


@pytest.fixture(scope="module")
def built_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo project, built once for the module (with a HOME of its own: the autouse fixture
    that isolates HOME is per test and has not run yet)."""
    target = tmp_path_factory.mktemp("wizard") / "demo"
    result = subprocess.run([str(BIN), "demo", str(target), "--no-open"], stdin=subprocess.DEVNULL, capture_output=True,
                            text=True, timeout=300, env=_clean_env(tmp_path_factory.mktemp("home")))
    assert result.returncode == 0, result.stderr + result.stdout
    return target


class TmuxApp:
    """One command in a private tmux server; read with screen(), type with keys()."""

    def __init__(self, command: list[str], width: int, height: int, exit_file: Path) -> None:
        self.socket = f"wb-wizard-{uuid.uuid4().hex[:8]}"
        self.exit_file = exit_file
        # a shell around the app writes its exit status (tmux 3.3 may leave it unread: pane_dead_status empty)
        wrapped = ["sh", "-c", '"$@"; echo $? > "$0"', str(exit_file), *command]
        self.tmux("new-session", "-d", "-s", "wizard", "-x", str(width), "-y", str(height), *wrapped)
        # and again: on a loaded machine the pane was seen at tmux's default 80x24 (the app gets a SIGWINCH)
        self.tmux("resize-window", "-t", "wizard", "-x", str(width), "-y", str(height))
        self.socket_path = Path(self.tmux("display-message", "-p", "#{socket_path}").strip())
        self.last_screen = ""

    def tmux(self, *args: str) -> str:
        result = subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args], capture_output=True, text=True,
                                env=_clean_env(), timeout=30)
        assert result.returncode == 0, f"tmux {' '.join(args)}: {result.stderr}"
        return result.stdout

    def screen(self) -> str:
        self.last_screen = self.tmux("capture-pane", "-p", "-t", "wizard")
        return self.last_screen

    def keys(self, *keys: str) -> None:
        """One send-keys call: tmux key names, or "-l", "text" for text typed literally."""
        self.tmux("send-keys", "-t", "wizard", *keys)

    def type(self, text: str) -> None:
        self.keys("-l", "--", text)

    def wait_for(self, *texts: str, timeout: float = 30) -> str:
        """The screen once all texts are on it."""
        return self.wait_until(lambda shown: all(text in shown for text in texts), f"{texts!r} on screen", timeout)

    def wait_until(self, shows: Callable[[str], bool], what: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while True:
            shown = self.screen()
            if shows(shown):
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"no {what} within {timeout:g} s; the screen shows:\n{shown}")
            time.sleep(0.05)

    def exit_status(self, timeout: float = 15) -> int:
        """The app's exit status, once it has ended."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            written = self.exit_file.read_text() if self.exit_file.exists() else ""
            if written.endswith("\n"):
                return int(written)
            time.sleep(0.05)
        raise AssertionError(f"the app still runs after {timeout:g} s; the screen shows:\n{self.screen()}")

    def close(self) -> None:
        """The server and its socket file gone (a server that ended with its last pane may leave the file)."""
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, env=_clean_env(), timeout=30)
        self.socket_path.unlink(missing_ok=True)


@pytest.fixture
def open_app(tmp_path: Path) -> Iterator[Callable[[Path, int, int], TmuxApp]]:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    opened: list[TmuxApp] = []

    def start(project: Path, width: int, height: int) -> TmuxApp:
        opened.append(TmuxApp([str(BIN), str(project)], width, height, tmp_path / f"exit-status-{len(opened)}"))
        return opened[-1]

    yield start
    for app in opened:
        app.close()


def dbt_parse(root: Path) -> dict:
    """Real dbt, as the other e2e tests run it; the manifest it wrote (the copied one is removed first)."""
    (root / "target" / "manifest.json").unlink(missing_ok=True)
    env = dict(_clean_env(), DBT_PROFILES_DIR=str(root), DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    result = subprocess.run([str(DBT), "parse", "--no-use-colors"], cwd=root, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return json.loads((root / "target" / "manifest.json").read_text())


def check_bad_names(app: TmuxApp) -> None:
    """Names the wizard refuses, said on screen as typed; enter does not create."""
    app.type("Stg_Cases")
    app.wait_for("Use lower case: stg_cases.")
    app.keys("C-u")
    app.wait_for("Type a name for the model.")
    app.type("../x")
    app.wait_for("A model name is a name, not a path: no / or ..")
    app.keys("Enter")
    shown = app.wait_for("Not yet")  # a warning toast, and the wizard stays
    assert "New model: check what exists first" in shown, shown
    app.keys("C-u")
    app.wait_for("Type a name for the model.")


def sources_in_order(shown: str) -> bool:
    """raw.cases, raw.decisions, raw.reviewers listed in this order (raw.decisions is the second)."""
    rows = [shown.find(f"{table}  (models/staging/_sources.yml:") for table in ("raw.cases", "raw.decisions", "raw.reviewers")]
    return -1 not in rows and rows == sorted(rows)


def pick_decisions_source(app: TmuxApp) -> None:
    """tab from the name to the sources, down to the second (raw.decisions), enter."""
    app.wait_until(sources_in_order, "raw.decisions second in the sources")  # a toast may cover them a while
    app.keys("Tab", "Down", "Enter")
    # the check line wraps at any width, so its two ends are looked for apart
    app.wait_for("▊  stg_raw__decisions", "✓ stg_raw__decisions is free", "raw.decisions.")
    app.wait_for("stg_decisions  likely duplicate  models/staging/stg_decisions.sql")


def create_anyway(app: TmuxApp, wide: bool) -> None:
    """enter creates; a likely duplicate asks why; the file is shown before y writes it."""
    app.keys("Enter")
    app.wait_for("Create anyway?", "the closest is stg_decisions")
    app.type(REASON)
    app.keys("Enter")
    hint = ("y: create   esc: back (nothing is written)",) if wide else ()  # at 80x24 the footer says it
    app.wait_for("Create this model?", "Write models/staging/stg_raw__decisions.sql", "{{ source('raw', 'decisions') }}", *hint)
    app.keys("y")
    shown = app.wait_for("stg_raw__decisions  Staging", "reads raw.decisions · read by nothing",
                         "│ models/staging/stg_raw__decisions.sql", "Staging (4)")
    assert "New model: check what exists first" not in shown, shown
    shown = app.wait_for("f1 Help")  # then the SQL editor takes the focus: ? and q are typed, not keys
    assert "q Quit" not in shown, shown


@pytest.mark.parametrize("width, height", [(80, 24), (200, 50)])
def test_wizard_creates_a_staging_model_that_dbt_parses(built_demo: Path, tmp_path: Path, open_app, width: int,
                                                         height: int) -> None:
    root = tmp_path / "demo"
    shutil.copytree(built_demo, root)
    app = open_app(root, width, height)
    # the tree says "Sources (reading the YAML...)" until the YAML is indexed; a wizard opened before
    # that lists no sources and does not update when they arrive
    app.wait_for("Sources (3)", "Staging (3)", "stg_decisions", "n New model")
    app.keys("n")
    app.wait_for("New model: check what exists first", "Staging (stg_)", "Source table (staging reads one)",
                 "Type a name for the model.")
    check_bad_names(app)
    assert not (root / "models" / "x.sql").exists() and not (root / "x.sql").exists()
    pick_decisions_source(app)
    assert not (root / "models/staging/stg_raw__decisions.sql").exists()
    create_anyway(app, wide=height >= 30)

    created = (root / "models/staging/stg_raw__decisions.sql").read_text()
    assert "{{ source('raw', 'decisions') }}" in created and "decision_id" in created
    decision = json.loads((root / ".dbt-workbench/decisions/stg_raw__decisions.json").read_text())
    assert decision["reason"] == REASON and decision["candidates"][0]["name"] == "stg_decisions"

    app.keys("Escape")  # out of the editor, back to the tree
    app.wait_for("q Quit")
    app.keys("q")
    assert app.exit_status() == 0, app.last_screen
    assert (root / "models/staging/stg_raw__decisions.sql").read_text() == created  # nothing unsaved, nothing saved over

    manifest = dbt_parse(root)
    node = manifest["nodes"]["model.workbench_demo.stg_raw__decisions"]
    assert node["original_file_path"] == "models/staging/stg_raw__decisions.sql"
    assert node["sources"] == [["raw", "decisions"]]
