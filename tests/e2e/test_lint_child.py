"""The app's project lint in its real child process: output far past a pipe's 64 KiB reaches the
screen, and no lint child outlives the app when its terminal goes away or it quits."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.pilot.conftest import settle
from tests.pilot.test_main_screen import tree_labels
from tui.app import WorkbenchApp
from tui.widgets.lint.panel import LintPanel, ProjectLintState
from tui.widgets.tree.model_tree import ModelTree

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import make_project  # noqa: E402  (the benchmark's generator, by path)

BIN = Path(sys.executable).parent / "dbt-workbench"


def undocumented_project(root: Path, models: int) -> Path:
    """A generated project without its model YAML: every model gets docs and key-test findings."""
    make_project(root, models)
    for schema_file in root.glob("models/**/_models.yml"):
        schema_file.unlink()
    return root


async def test_lint_output_over_64_kib_reaches_the_screen(tmp_path: Path) -> None:
    root = undocumented_project(tmp_path / "p300", 300)
    app = WorkbenchApp(root, warm_jobs=False)  # the default linter: `dbt-workbench lint --json` in a child
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(LintPanel)
        assert panel.project_state is ProjectLintState.DONE
        findings = panel.project_findings
        assert len(findings) >= 600
        as_json = json.dumps([finding.as_data() for finding in findings], indent=2)
        assert len(as_json.encode()) > 64 * 1024  # what the child wrote: past a pipe's buffer
        labels = tree_labels(app.screen.query_one(ModelTree))
        assert any(label[2:3] == "⚠" for label in labels)
        await pilot.press("l")
        assert f"{len(findings)} finding(s)" in app.screen.title_text


def processes_mentioning(text: str) -> dict[int, str]:
    """PID -> command line of every live process whose command line contains `text`."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if text in command and state not in ("Z", "X"):
            found[int(entry.name)] = command
    return found


def wait_until(condition, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture(scope="module")
def big_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Big enough that its lint runs for seconds (7 s here at 1,500 models)."""
    return make_project(tmp_path_factory.mktemp("lint-child") / "p1500", 1500)


@pytest.mark.parametrize("ending", ["terminal closed", "quit"])
def test_no_lint_child_outlives_the_app(big_project: Path, ending: str) -> None:
    session = f"wb-{uuid.uuid4().hex[:8]}"
    tmux = ["tmux", "-L", f"wb-lint-{session}", "-f", "/dev/null"]  # a server of its own: no other session meets it
    subprocess.run([*tmux, "new-session", "-d", "-s", session, "-x", "120", "-y", "36", str(BIN), str(big_project)],
                   check=True)
    try:
        linting = lambda: {pid: cmd for pid, cmd in processes_mentioning(str(big_project)).items() if " lint " in cmd}
        assert wait_until(lambda: bool(linting())), "the project lint never started"
        children = linting()
        app_pids = [pid for pid, cmd in processes_mentioning(str(big_project)).items() if pid not in children]
        if ending == "terminal closed":
            subprocess.run([*tmux, "kill-session", "-t", session], check=True)  # the app gets SIGHUP
        else:
            subprocess.run([*tmux, "send-keys", "-t", session, "q"], check=True)
        assert wait_until(lambda: not processes_mentioning(str(big_project)), timeout=30), processes_mentioning(
            str(big_project)
        )
        assert app_pids and children  # both were there, and both are gone
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
