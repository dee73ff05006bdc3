"""The project lint in a child process: `dbt-workbench lint --json`, so the app's UI thread keeps the
GIL while the other core parses every model.

The child is started through tui.core.process, which reads its output while it runs: the JSON
of a real project is megabytes, far past the 64 KiB a pipe holds.
"""

from __future__ import annotations

import sys
from typing import Callable

import msgspec

from tui.core.errors import WorkbenchError
from tui.core.lint.rules import Finding, Severity
from tui.core.lint.settings import LintSettings
from tui.core.process import run_child
from tui.core.project.dbt_project import DbtProject
from tui.core.project.records import ProjectScan

ProjectLinter = Callable[[DbtProject, ProjectScan, LintSettings, Callable[[], bool]], "list[Finding] | None"]
"""How the app lints the whole project: (project, scan, settings, cancelled) -> findings, or None
when it was cancelled; raises WorkbenchError when the lint could not run. Tests inject one."""


class _Row(msgspec.Struct):
    rule: str
    severity: Severity
    model: str
    message: str
    path: str
    line: int | None = None


def lint_project_in_child(
    project: DbtProject, _scan: ProjectScan, _settings: LintSettings, cancelled: Callable[[], bool]
) -> list[Finding] | None:
    """Run `python -m tui lint ROOT --json`; the child scans and reads the configuration itself."""
    argv = [sys.executable, "-m", "tui", "lint", str(project.root), "--json"]
    result = run_child(argv, keep_stdout=True, cancelled=cancelled, grace=(1.0, 1.0))
    if result.stopped is not None:
        return None
    try:
        rows = msgspec.json.decode(result.stdout, type=list[_Row])
    except (msgspec.DecodeError, msgspec.ValidationError) as error:
        why = "\n".join(result.tail[-5:]) or str(error)
        raise WorkbenchError(f"The project lint did not run (exit code {result.returncode}): {why}") from None
    return [Finding(r.rule, r.severity, r.model, r.message, r.path, r.line) for r in rows]
