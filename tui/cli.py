"""The `dbt-workbench` command: open the app, create the demo, or print the scan for scripts.

Textual and dbt are imported only by the sub-commands that need them, so `models --json`
starts fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Sequence

from tui.core.errors import WorkbenchError

COMMANDS = ("open", "demo", "models", "lint", "dupes", "run", "preview", "compile", "status", "check")
DESCRIPTION = """\
A keyboard-driven terminal workbench for authoring dbt models in a layered project.

  dbt-workbench [PROJECT_DIR]            open the workbench (default: the current folder)
  dbt-workbench demo [DIR]               create and build the demo project, then open it (without a
                                         terminal it only builds it, says so and exits 0)
  dbt-workbench models [PROJECT_DIR]     list models with layer, docs and tests (--json for scripts)
  dbt-workbench lint [PROJECT_DIR]       check hard-coded relations, layer rules, naming, docs and
                                         primary-key tests (--select MODEL ..., --json, --strict);
                                         exit code 1 when any finding is an error (--strict: also a
                                         model the guard could not check)
  dbt-workbench dupes [PROJECT_DIR]      likely duplicate models: --all for every pair in the project,
                                         or --name NAME [--layer L] [--sql FILE] for one draft (--json)
  dbt-workbench run [PROJECT_DIR] --select MODEL
                                         dbt run, then dbt test, of one model; per node its status,
                                         time and rows, per failing test its rows (--json); exit 0
                                         all passed, 1 something failed, 2 bad input
  dbt-workbench preview [PROJECT_DIR] MODEL [--limit N]
                                         the model's first rows, from its file as it is now (--json)
  dbt-workbench compile [PROJECT_DIR] MODEL
                                         the model's compiled SQL, from its file as it is now
  dbt-workbench status [PROJECT_DIR] [MODEL]
                                         the four workflow steps of each model in the workflow
                                         (--json); approving happens only in the app
  dbt-workbench check [PROJECT_DIR]      exit 1, listing them, when a model in the workflow has a
                                         step stale or not approved (0 when none is in it)

Opening the workbench needs a terminal (stdin, stdout and stderr, as the controlling terminal);
without one it exits with code 2 at once. models, lint and demo --no-open need none.
Inside the app press ? (or F1) for every key, ctrl+p for the command palette.
"""


def default_demo_dir() -> Path:
    """Where `demo` puts its project unless told otherwise."""
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "dbt-workbench" / "demo"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dbt-workbench", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    open_cmd = commands.add_parser("open", help="open the workbench on a dbt project (the default)")
    open_cmd.add_argument("project_dir", nargs="?", type=Path, default=Path("."), help="a folder in the dbt project")
    demo = commands.add_parser("demo", help="create the demo project (DuckDB, built with dbt) and open it")
    demo.add_argument("directory", nargs="?", type=Path, help=f"where to create it (default: {default_demo_dir()})")
    demo.add_argument(
        "--no-open", action="store_true", help="only create and build it (without a terminal: the same, exit 0)"
    )
    demo.add_argument("--overwrite", action="store_true", help="re-create the demo's files if the folder has them")
    demo.add_argument(
        "--postgres", metavar="DSN",
        help='build it on a Postgres server instead: a libpq string such as "host=localhost user=me dbname=analytics" '
        "(raw tables go to its raw schema, models to workbench_demo; the password comes from $PGPASSWORD)",
    )
    demo.add_argument(
        "--spark", action="store_true",
        help="build it on a local Apache Spark instead (dbt-spark's session method; needs the `spark` extra and "
        "Java 17): the raw tables go to a Spark catalog in the demo folder (metastore_db/, spark-warehouse/)",
    )
    models = commands.add_parser("models", help="list the project's models with layer, docs and tests")
    models.add_argument("project_dir", nargs="?", type=Path, default=Path("."), help="a folder in the dbt project")
    models.add_argument("--json", action="store_true", help="print JSON (name, layer, path, yml file, ...)")
    lint = commands.add_parser("lint", help="check models for hard-coded relations and layer, docs and test rules")
    lint.add_argument("project_dir", nargs="?", type=Path, default=Path("."), help="a folder in the dbt project")
    lint.add_argument("--select", nargs="+", action="extend", metavar="MODEL", help="lint only these models")
    lint.add_argument("--json", action="store_true", help="print a JSON list of findings")
    lint.add_argument(
        "--strict", action="store_true", help="a model the guard could not check (not_checked) is an error, for CI"
    )
    dupes = commands.add_parser("dupes", help="find models that duplicate each other, or a draft")
    dupes.add_argument("project_dir", nargs="?", type=Path, default=Path("."), help="a folder in the dbt project")
    which = dupes.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true", help="every likely duplicate pair in the project")
    which.add_argument("--name", help="the draft model's name (it need not exist)")
    dupes.add_argument("--layer", help="the draft's layer (default: from its name's prefix)")
    dupes.add_argument("--sql", type=Path, metavar="FILE", help="the draft's SQL, to compare what it does")
    dupes.add_argument("--json", action="store_true", help="print JSON: candidates (name, score, reasons) best first")
    run = commands.add_parser("run", help="dbt run --select MODEL, then dbt test --select MODEL if the run passed")
    run.add_argument("project_dir", nargs="?", type=Path, default=Path("."), help="a folder in the dbt project")
    run.add_argument("--select", required=True, metavar="MODEL", help="one model's name (no selector syntax)")
    run.add_argument("--json", action="store_true", help="print JSON: per job its nodes (status, seconds, rows, failing rows)")
    preview = commands.add_parser("preview", help="a model's first rows, from its file as it is now (any target: DuckDB and Postgres read directly, others through dbt)")
    preview.add_argument("project_dir", nargs="?", type=Path, default=Path("."), help="a folder in the dbt project")
    preview.add_argument("model", help="one model's name")
    preview.add_argument("--limit", type=int, default=20, help="rows to show (default 20, at most 10,000)")
    preview.add_argument("--json", action="store_true", help="print JSON: columns, types, rows, total")
    compile_cmd = commands.add_parser("compile", help="a model's compiled SQL, from its file as it is now")
    compile_cmd.add_argument("project_dir", nargs="?", type=Path, default=Path("."), help="a folder in the dbt project")
    compile_cmd.add_argument("model", help="one model's name")
    status = commands.add_parser("status", help="the workflow steps of each model in the workflow (read-only)")
    status.add_argument("project_dir", nargs="?", type=Path, default=Path("."), help="a folder in the dbt project")
    status.add_argument("model", nargs="?", help="only this model")
    status.add_argument("--json", action="store_true", help="print JSON: per model its steps (status, reason) and the next one")
    check = commands.add_parser("check", help="exit 1 when a model in the workflow has a step stale or not approved")
    check.add_argument("project_dir", nargs="?", type=Path, default=Path("."), help="a folder in the dbt project")
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("dbt-workbench")
    except PackageNotFoundError:
        return "unknown"


def _with_default_command(argv: list[str]) -> list[str]:
    """`dbt-workbench [PROJECT_DIR]` means `dbt-workbench open [PROJECT_DIR]`."""
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version")):
        return ["open", *argv]
    return argv


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(_with_default_command(list(sys.argv[1:] if argv is None else argv)))
    from tui.cli_jobs import run_compile, run_model, run_preview
    from tui.cli_workflow import run_check, run_status

    handlers = {
        "open": run_open, "demo": run_demo, "models": run_models, "lint": run_lint, "dupes": run_dupes,
        "run": run_model, "preview": run_preview, "compile": run_compile, "status": run_status, "check": run_check,
    }
    try:
        return handlers[args.command](args)
    except WorkbenchError as error:
        print(f"dbt-workbench: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("dbt-workbench: interrupted", file=sys.stderr)
        return 130


def run_models(args: argparse.Namespace) -> int:
    import msgspec

    from tui.core.config import load_config
    from tui.core.scan.as_json import scan_as_data
    from tui.core.project.dbt_project import load_project
    from tui.core.scan.scanner import ProjectScanner
    from tui.core.scan.cache import SchemaCache

    project = load_project(args.project_dir)
    rules = load_config(project.root).layer_rules()
    scan = ProjectScanner(project, rules, SchemaCache(project.root)).scan()
    data = scan_as_data(scan)
    if args.json:
        sys.stdout.buffer.write(msgspec.json.format(msgspec.json.encode(data), indent=2) + b"\n")
    else:
        _print_models_table(data)
    return 0


PAIRS_IN_WORKERS_FROM = 500
"""Below this many models the whole report takes well under a second: forking is not worth it."""


def run_dupes(args: argparse.Namespace) -> int:
    from tui.core.config import load_config
    from tui.core.discover.profiles import draft_profile
    from tui.core.discover.report import (
        candidates_text,
        pairs_as_json,
        pairs_text,
        project_index,
        read_sql_file,
        sql_dialect,
        usable_cores,
    )
    from tui.core.discover.shape_cache import ShapeCache
    from tui.core.project.dbt_project import load_project
    from tui.core.project.layers import parse_layer
    from tui.core.scan.cache import SchemaCache
    from tui.core.scan.scanner import ProjectScanner

    project = load_project(args.project_dir)
    rules = load_config(project.root).layer_rules()
    scan = ProjectScanner(project, rules, SchemaCache(project.root)).scan()
    cores = min(usable_cores(), 8)  # a process of its own, without threads: it may fork
    index = project_index(project, scan, rules, ShapeCache(project.root), workers=cores)
    if args.all:
        pairs = index.pairs(workers=cores if len(index) >= PAIRS_IN_WORKERS_FROM else 1)
        print(json_text(pairs_as_json(pairs)) if args.json else pairs_text(pairs, len(index)))
        return 0
    try:
        layer = parse_layer(args.layer) if args.layer else rules.classify(args.name, ())
    except ValueError as error:
        raise WorkbenchError(f"--layer: {error}") from None
    sql = read_sql_file(args.sql) if args.sql else None
    draft = draft_profile(rules, layer, args.name, sql, dialect=sql_dialect(project))
    candidates = index.candidates(draft)
    print(json_text([c.as_json() for c in candidates]) if args.json else candidates_text(candidates))
    return 0


def json_text(data: list[dict]) -> str:
    """Indented JSON, by msgspec: a project's pairs run to megabytes, which the standard library's
    indenting encoder builds slowly, from a list of small pieces several times their size."""
    import msgspec

    return msgspec.json.format(msgspec.json.encode(data), indent=2).decode()


def _print_models_table(data: dict) -> None:
    """One line per model, by layer then name: layer, name, docs/tests markers, path."""
    models = sorted(data["models"], key=lambda m: (m["layer"], m["name"]))
    name_width = max((len(m["name"]) for m in models), default=4)
    for model in models:
        marks = ("doc " if model["documented"] else "-   ") + ("test" if model["tested"] else "-   ")
        print(f"{model['layer']:<13}{model['name']:<{name_width + 2}}{marks}  {model['path']}")
    print(f"{len(models)} models in {data['project']}")
    for problem in data["problems"]:
        where = f"{problem['path']}:{problem['line']}" if problem["line"] else problem["path"]
        print(f"problem: {where}: {problem['message']}", file=sys.stderr)


def run_lint(args: argparse.Namespace) -> int:
    """Print the findings; 1 when any is an error, 2 when --select names an unknown model."""
    import msgspec

    from tui.core.config import load_config
    from tui.core.lint.rules import NOT_CHECKED
    from tui.core.lint.run import lint_project
    from tui.core.project.dbt_project import load_project
    from tui.core.scan.scanner import ProjectScanner
    from tui.core.scan.cache import SchemaCache

    project = load_project(args.project_dir)
    config = load_config(project.root)
    scan = ProjectScanner(project, config.layer_rules(), SchemaCache(project.root)).scan()
    if args.select:
        known = {model.name for model in scan.models}
        unknown = [name for name in args.select if name not in known]
        if unknown:
            print(f"dbt-workbench: no model named {', '.join(unknown)} in {project.name}", file=sys.stderr)
            return 2
    findings = lint_project(project, scan, config.lint_settings(), select=args.select)
    if args.strict:
        findings = [_as_error(finding) if finding.rule == NOT_CHECKED else finding for finding in findings]
    if args.json:
        data = [finding.as_data() for finding in findings]
        sys.stdout.buffer.write(msgspec.json.format(msgspec.json.encode(data), indent=2) + b"\n")
    else:
        _print_findings(findings, len(args.select) if args.select else sum(m.enabled for m in scan.models))
    return 1 if any(finding.severity == "error" for finding in findings) else 0


def _as_error(finding):
    """`--strict`: the same finding, as an error."""
    from dataclasses import replace

    from tui.core.lint.rules import Severity

    return replace(finding, severity=Severity.ERROR)


def _print_findings(findings: list, models_checked: int) -> None:
    """`path:line: severity rule: message` lines, then a one-line summary."""
    for finding in findings:
        where = f"{finding.path}:{finding.line}" if finding.line else finding.path
        print(f"{where}: {finding.severity} {finding.rule}: {finding.message}")
    errors = sum(finding.severity == "error" for finding in findings)
    print(f"{len(findings)} findings ({errors} errors, {len(findings) - errors} warnings) in {models_checked} models")


def run_demo(args: argparse.Namespace) -> int:
    from tui.core.demo import DemoExistsError, build_demo_project, write_demo_project
    from tui.core.process import guard_children

    # Before anything starts: a dropped connection (SIGHUP) or a kill (SIGTERM) during the build
    # must not leave dbt holding demo.duckdb; dbt's own process group gets no SIGHUP from the tty.
    guard_children()

    if args.postgres and args.spark:
        raise WorkbenchError("Pick one warehouse for the demo: --postgres or --spark, not both.")
    target = (args.directory or default_demo_dir()).expanduser()
    try:
        root = write_demo_project(target, overwrite=args.overwrite)
    except DemoExistsError:
        if args.no_open or not (target / "dbt_project.yml").is_file():
            raise
        print(f"The demo project is already in {target}; using it as it is (--overwrite re-creates it).")
        return _open_demo(target)
    print(f"Created the demo project in {root}")
    if args.postgres:
        from tui.core.demo.postgres import parse_dsn, use_postgres

        use_postgres(root, parse_dsn(args.postgres))
        print("Loaded the raw tables into Postgres; profiles.yml now targets it (the DuckDB target stays as dev).")
    elif args.spark:
        from tui.core.demo.spark import use_spark

        print("Loading the raw tables into a local Spark (starting a JVM takes a few seconds)...", flush=True)
        use_spark(root)
        print("Loaded the raw tables into Spark; profiles.yml now targets it (the DuckDB target stays as dev).")
    print("Building it with dbt (dbt build: seeds the views and tables, runs the tests)...", flush=True)
    build_demo_project(root, on_line=lambda line: print(f"  {line}", flush=True))
    print("Demo project built.")
    return 0 if args.no_open else _open_demo(root)


def _open_demo(root: Path) -> int:
    from tui.cli_open import open_demo

    return open_demo(root)


def run_open(args: argparse.Namespace) -> int:
    from tui.cli_open import open_app

    return open_app(args.project_dir)
