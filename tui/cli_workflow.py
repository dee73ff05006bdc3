"""The `dbt-workbench` commands that read the four-step workflow: `status` and `check`.

Both only read (approving happens in the app, by the person at the keyboard), and both scan the
project as `lint` does, so a step stale since an edit in any editor shows as stale."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.cli import json_text


def _statuses(args: argparse.Namespace, only: str | None):
    from tui.core.config import load_config
    from tui.core.project.dbt_project import load_project
    from tui.core.scan.cache import SchemaCache
    from tui.core.scan.scanner import scan_project
    from tui.core.workflow.report import workflow_statuses
    from tui.core.workflow.store import WorkflowStore

    project = load_project(args.project_dir)
    scan = scan_project(project, load_config(project.root).layer_rules(), SchemaCache(project.root))
    return workflow_statuses(WorkflowStore(project.root), scan, only)


def run_status(args: argparse.Namespace) -> int:
    """Exit 0: it reports (a model not in the workflow is said to be so)."""
    if args.model is None and not args.project_dir.is_dir():
        args.model, args.project_dir = str(args.project_dir), Path(".")  # `status MODEL` in the project
    statuses = _statuses(args, args.model)
    if args.model and statuses[0].state == "unmanaged":
        print(f"{args.model}: not in the workflow (start a change on it in the app: w)")
        return 0
    if args.json:
        print(json_text([status.as_json() for status in statuses]))
    elif not statuses:
        print("No model is in the workflow yet: models created with the wizard, or started with w in the app, are.")
    else:
        print("\n".join(status.text() for status in statuses))
    return 0


def run_check(args: argparse.Namespace) -> int:
    """Exit 1 listing the managed models with a step that is stale or not approved; 0 otherwise."""
    statuses = _statuses(args, None)
    unfinished = [status for status in statuses if not status.passes_check]
    if not statuses:
        print("No model is in the workflow: nothing to check.")
        return 0
    if not unfinished:
        print(f"All {len(statuses)} model(s) in the workflow have every step approved.")
        return 0
    print(f"{len(unfinished)} of {len(statuses)} model(s) in the workflow are not through every step:", file=sys.stderr)
    for status in unfinished:
        print("  " + status.text().replace("\n", "\n  "), file=sys.stderr)
    return 1
