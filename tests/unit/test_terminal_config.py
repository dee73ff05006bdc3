"""The `terminal:` settings: how long a lone Esc waits, and where copies go; and the local
clipboard tools, proved with a real tmux server's buffer."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from tui.core.clipboard import copy_locally, local_copiers
from tui.core.config import SSH_ESCAPE_DELAY_MS, WorkbenchConfig, load_config
from tui.core.errors import ConfigError


def project_config(root: Path, text: str) -> WorkbenchConfig:
    (root / "dbt-workbench.yml").write_text(text)
    return load_config(root, {"HOME": str(root)})


def test_the_escape_delay_is_longer_over_ssh_unless_set(tmp_path: Path) -> None:
    default = WorkbenchConfig()
    assert default.escape_delay({}) == 100
    assert default.escape_delay({"SSH_CONNECTION": "10.0.0.1 5000 10.0.0.2 22"}) == SSH_ESCAPE_DELAY_MS == 250
    configured = project_config(tmp_path, "terminal:\n  escape_delay_ms: 400\n")
    assert configured.escape_delay({"SSH_CONNECTION": "x"}) == 400
    assert configured.escape_delay({"ESCDELAY": "30"}) == 30  # the user's own environment wins


@pytest.mark.parametrize("text, said", [
    ("terminal:\n  escape_delay_ms: 0\n", "terminal.escape_delay_ms must be a whole number of milliseconds from 1 to 2000"),
    ("terminal:\n  escape_delay_ms: fast\n", "terminal.escape_delay_ms must be a whole number"),
    ("terminal:\n  clipboard: xclip\n", "terminal.clipboard must be one of: both, osc52, local"),
    ("terminal:\n  bell: true\n", "unknown setting 'terminal.bell' (known: clipboard, escape_delay_ms)"),
])
def test_bad_terminal_settings_are_refused_by_name(tmp_path: Path, text: str, said: str) -> None:
    with pytest.raises(ConfigError, match=said.replace("(", r"\(").replace(")", r"\)")):
        project_config(tmp_path, text)


def test_the_clipboard_setting_is_read(tmp_path: Path) -> None:
    assert WorkbenchConfig().clipboard == "both"
    assert project_config(tmp_path, "terminal:\n  clipboard: osc52\n").clipboard == "osc52"


def test_no_display_and_no_tmux_means_no_local_tool() -> None:
    assert local_copiers({"HOME": "/nowhere"}) == []
    assert copy_locally("text", {"HOME": "/nowhere"}) == ([], [])


@pytest.fixture
def tmux_server(tmp_path: Path):
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    socket = f"wb-copy-{uuid.uuid4().hex[:8]}"
    env = {key: value for key, value in os.environ.items() if key not in ("TMUX", "TMUX_PANE")}
    run = lambda *args: subprocess.run(["tmux", "-L", socket, "-f", "/dev/null", *args], capture_output=True, text=True, env=env, timeout=30)  # noqa: E731
    assert run("new-session", "-d", "-s", "copy", "sleep 600").returncode == 0
    path = run("display-message", "-p", "#{socket_path}").stdout.strip()
    yield run, {**env, "TMUX": f"{path},1,0"}
    run("kill-server")
    Path(path).unlink(missing_ok=True)


def test_inside_tmux_a_copy_lands_in_tmux_s_buffer(tmux_server) -> None:
    run, environ = tmux_server
    assert local_copiers(environ)[0] == ["tmux", "load-buffer", "-w", "-"]
    took, failed = copy_locally("select *\tfrom fct_cases\n", environ)
    assert took == ["tmux"] and failed == []
    assert run("show-buffer").stdout == "select *\tfrom fct_cases\n"
