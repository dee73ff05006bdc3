"""The `dbt-workbench` commands that run dbt jobs: `run --select MODEL`, `preview MODEL` and
`compile MODEL`, through the same job machinery as the app (tui.core.jobs). Imports are lazy,
as in tui.cli, so `--help` stays fast."""

from __future__ import annotations

import argparse
import sys

from tui.cli import json_text
from tui.core.errors import WorkbenchError


def run_model(args: argparse.Namespace) -> int:
    """Exit 0 all passed, 1 something failed, 2 bad input (not a model name, no such model)."""
    from tui.core.config import load_config
    from tui.core.jobs.one_model import exit_code, jobs_as_json, jobs_text, run_and_test
    from tui.core.jobs.spec import checked_model_name
    from tui.core.project.dbt_project import load_project
    from tui.core.scan.cache import SchemaCache
    from tui.core.scan.scanner import ProjectScanner

    project = load_project(args.project_dir)
    try:
        name = checked_model_name(args.select)
    except WorkbenchError as error:
        print(f"dbt-workbench: --select: {error}", file=sys.stderr)
        return 2
    scanner = ProjectScanner(project, load_config(project.root).layer_rules(), SchemaCache(project.root))
    scan = scanner.scan_models()
    if scan.model_named(name) is None:
        print(f"dbt-workbench: --select: the project has no model named {name}.", file=sys.stderr)
        return 2
    refusal = _workflow_refusal(project, scanner, name)
    if refusal:
        print(f"dbt-workbench: {name} is in the workflow and step 4 is locked: {refusal}.", file=sys.stderr)
        return 1
    jobs = run_and_test(project, name)
    print(json_text(jobs_as_json(jobs)) if args.json else jobs_text(jobs))
    if refusal is not None:  # in the workflow, step 4 open
        print("dbt-workbench: step 4 is recorded only for a run started in the app (x), by the person at the keyboard.", file=sys.stderr)
    return exit_code(jobs)


def _workflow_refusal(project, scanner, name: str) -> str | None:  # noqa: ANN001 (imported lazily)
    """Why the workflow refuses to run the model now ("" when step 4 is open); None outside the workflow."""
    from tui.core.project.records import ModelFile
    from tui.core.workflow.flow import flow_of
    from tui.core.workflow.steps import Step
    from tui.core.workflow.store import WorkflowStore

    store = WorkflowStore(project.root)
    if name not in store.managed():
        return None
    scan = scanner.scan()
    model = scan.model_named(name)
    flow = flow_of(store, scan, model) if isinstance(model, ModelFile) else None
    if flow is None:
        return "the model's files cannot be read"
    if flow.problem is not None:
        return f"its workflow file cannot be read ({flow.problem.reason}); open the model in the app"
    return flow.locked_reason(Step.RUN) or ""


def _compiled_model(args: argparse.Namespace):
    """The project and the model's compiled SQL; exit 2 (as a WorkbenchError) for bad input."""
    from tui.core.jobs.preview import compiled_from
    from tui.core.jobs.run import run_job
    from tui.core.jobs.spec import JobKind, JobSpec, checked_model_name
    from tui.core.project.dbt_project import load_project

    project = load_project(args.project_dir)
    name = checked_model_name(args.model)
    compiled = compiled_from(run_job(JobSpec(JobKind.COMPILE, name), project.root, target_path=project.target_path), name)
    return project, compiled


def _bad_model_name(name: str) -> bool:
    """Said on stderr when the name is not one model's (the caller exits 2)."""
    from tui.core.jobs.spec import checked_model_name

    try:
        checked_model_name(name)
    except WorkbenchError as error:
        print(f"dbt-workbench: {error}", file=sys.stderr)
        return True
    return False


def run_compile(args: argparse.Namespace) -> int:
    """Exit 0 with the SQL on stdout; 1 when it does not compile (the reason on stderr); 2 for a
    name that is not one model's."""
    if _bad_model_name(args.model):
        return 2
    _project, compiled = _compiled_model(args)
    if compiled.sql is None:
        print(f"dbt-workbench: {compiled.problem}", file=sys.stderr)
        return 1
    print(compiled.sql)
    return 0


def run_preview(args: argparse.Namespace) -> int:
    """Exit 0 with the rows; 1 when the model does not compile or its query fails."""
    from tui.core.jobs.preview import preview_page

    if not 1 <= args.limit <= 10_000:
        print("dbt-workbench: --limit is from 1 to 10,000 rows.", file=sys.stderr)
        return 2
    if _bad_model_name(args.model):
        return 2
    from tui.core.project.dbt_project import load_project
    from tui.core.warehouse.reader import read_through_dbt

    project = load_project(args.project_dir)
    if read_through_dbt(project.connection):
        return _preview_through_worker(args, project)
    project, compiled = _compiled_model(args)
    if compiled.sql is None:
        print(f"dbt-workbench: {compiled.problem}", file=sys.stderr)
        return 1
    _print_rows(args, preview_page(project, compiled.sql, 0, args.limit))
    return 0


def _preview_through_worker(args: argparse.Namespace, project) -> int:  # noqa: ANN001 (imported lazily)
    """A target the workbench does not read directly (Spark): one warm dbt worker compiles the
    model and runs the reads, so the warehouse starts once (Spark's session method holds a JVM)."""
    from tui.core.jobs.preview import compiled_from, preview_page
    from tui.core.jobs.spec import JobKind, JobSpec, checked_model_name
    from tui.core.jobs.warm_client import WarmJobs
    from tui.core.warehouse.reader import worker_warm_up
    from tui.core.warehouse.through_dbt import offer_dbt_reads, withdraw_dbt_reads

    name = checked_model_name(args.model)
    print(f"dbt-workbench: starting dbt for the {project.connection.describe()} target…", file=sys.stderr)
    warm = WarmJobs(project.root, project.target_path, warm_up=worker_warm_up(project.connection))
    if not warm.start():
        print(f"dbt-workbench: {warm.problem}", file=sys.stderr)
        return 1
    offer_dbt_reads(warm.read)
    try:
        compiled = compiled_from(warm.run(JobSpec(JobKind.COMPILE, name), project.root, target_path=project.target_path), name)
        if compiled.sql is None:
            print(f"dbt-workbench: {compiled.problem}", file=sys.stderr)
            return 1
        _print_rows(args, preview_page(project, compiled.sql, 0, args.limit))
        return 0
    finally:
        withdraw_dbt_reads(warm.read)
        warm.stop()


def _print_rows(args: argparse.Namespace, rows) -> None:  # noqa: ANN001 (imported lazily)
    if args.json:
        import msgspec

        data = {"model": args.model, "columns": list(rows.columns), "types": list(rows.types), "total": rows.total,
                "rows": [[v if v is None or isinstance(v, (bool, int, float, str)) else str(v) for v in row] for row in rows.rows]}
        print(msgspec.json.format(msgspec.json.encode(data), indent=2).decode())
    else:
        print(" | ".join(rows.columns))
        for row in rows.rows:
            print(" | ".join("∅" if v is None else str(v) for v in row))
        print(f"{len(rows.rows)} of {rows.total} rows")
