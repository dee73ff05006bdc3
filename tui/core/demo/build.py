"""Run `dbt build` on the demo project in a child process, streaming its output.

dbt is never imported here: its import alone takes seconds and an in-process DuckDB adapter can
keep the database file locked. The child runs through tui.core.process, so it is stopped as a
whole on timeout or Ctrl-C and never outlives the caller.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from tui.core.errors import WorkbenchError
from tui.core.jobs.dbt_command import find_dbt
from tui.core.process import run_child


def dbt_env(root: Path) -> dict[str, str]:
    """Point dbt at the demo's own profiles.yml and keep it from sending usage statistics."""
    env = dict(os.environ)
    env.update(DBT_PROFILES_DIR=str(root), DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    return env


def build_demo_project(root: Path, on_line: Callable[[str], None] | None = None,
                       timeout: float = 600) -> None:
    """Run `dbt build` in `root`; raise WorkbenchError with the output's tail if it fails."""
    root = Path(root).resolve()
    result = run_child([find_dbt(), "build", "--no-use-colors"], cwd=root, env=dbt_env(root),
                       on_line=on_line, merge_stderr=True, timeout=timeout)
    if result.stopped == "timeout":
        # The tail would be the child's own interrupt traceback: noise, not a reason.
        raise WorkbenchError(f"dbt build did not finish within {timeout:g} s and was stopped.")
    if result.returncode != 0:
        raise WorkbenchError(f"dbt build failed (exit code {result.returncode}). Last lines of its output:\n"
                             + "\n".join(result.tail))
