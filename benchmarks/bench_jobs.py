"""Benchmark dbt jobs: the workbench's warm worker side by side with the dbt CLI, in one run.

1. The demo project (built first): run+test of one model, from the request to the result the app
   shows (WarmJobs.run for `run`, then for `test`, then the read-only reads of row counts and
   failing rows: what `x` does), next to `dbt run -s m` then `dbt test -s m`; and a preview
   (compile, then the first page of rows) next to `dbt show -s m`.
2. A synthetic project (5,000 models by default) where dbt's own parse dominates: a probe model
   with a test is added, then run+test with nothing changed, and again after a one-file edit,
   next to the CLI doing the same (its partial-parse file warm, as a user's would be).
The warm worker's start-up (import + first parse) and its memory are reported too.
3. With --spark, the demo on a local Spark (dbt-spark's session method; the `spark` extra and
   Java 17): the same run+test and preview, where each CLI command starts a JVM of its own and
   the warm worker starts one for the session (reads go through it: there is no direct reader).

    .venv/bin/python benchmarks/bench_jobs.py [--models 5000] [--skip-large] [--spark]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scan import project_for  # noqa: E402

from tui.core.demo import build_demo_project, write_demo_project  # noqa: E402
from tui.core.jobs.after import after_job  # noqa: E402
from tui.core.jobs.preview import compiled_from, preview_page  # noqa: E402
from tui.core.jobs.spec import JobKind, JobSpec  # noqa: E402
from tui.core.jobs.warm_client import WarmJobs  # noqa: E402
from tui.core.project.dbt_project import load_project  # noqa: E402
from tui.core.warehouse.reader import worker_warm_up  # noqa: E402
from tui.core.warehouse.through_dbt import offer_dbt_reads, withdraw_dbt_reads  # noqa: E402

DBT = str(Path(sys.executable).parent / "dbt")


def cli(root: Path, *args: str) -> float:
    """Wall seconds of one dbt CLI command in the project folder."""
    env = {**os.environ, "DBT_PROFILES_DIR": str(root), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    started = time.perf_counter()
    done = subprocess.run([DBT, *args, "--no-use-colors", "-q"], cwd=root, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"dbt {' '.join(args)} failed ({done.returncode}): {done.stdout[-2000:]}{done.stderr[-2000:]}")
    return seconds


def run_and_test(warm: WarmJobs, root: Path, model: str) -> float:
    """What `x` does, timed from the request to the result shown."""
    project = load_project(root)
    started = time.perf_counter()
    for kind in (JobKind.RUN, JobKind.TEST):
        outcome = warm.run(JobSpec(kind, model), root)
        assert outcome.warm, warm.problem
        after_job(outcome, project.connection)
        if not outcome.ok:
            raise SystemExit(f"{outcome.spec.describe()} failed: {outcome.problem}")
    return time.perf_counter() - started


def preview(warm: WarmJobs, root: Path, model: str) -> float:
    project = load_project(root)
    started = time.perf_counter()
    compiled = compiled_from(warm.run(JobSpec(JobKind.COMPILE, model), root), model)
    assert compiled.sql is not None, compiled.problem
    preview_page(project, compiled.sql)
    return time.perf_counter() - started


def started_warm(root: Path) -> tuple[WarmJobs, float]:
    project = load_project(root)
    warm = WarmJobs(root, project.target_path, warm_up=worker_warm_up(project.connection))
    started = time.perf_counter()
    if not warm.start():
        raise SystemExit(f"the warm worker did not start: {warm.problem}")
    offer_dbt_reads(warm.read)  # as the app's job runner does: a target without a direct reader reads through it
    return warm, time.perf_counter() - started


def stopped(warm: WarmJobs) -> None:
    withdraw_dbt_reads(warm.read)
    warm.stop()


def ratio(ours: float, theirs: float) -> str:
    return f"{ours:.2f} s vs {theirs:.2f} s = {ours / theirs:.3f}x"


def bench_demo(folder: Path, model: str = "stg_cases") -> None:
    root = write_demo_project(folder / "demo")
    build_demo_project(root)
    cli_run_test = min(cli(root, "run", "-s", model) + cli(root, "test", "-s", model) for _ in range(2))
    cli_show = min(cli(root, "show", "-s", model) for _ in range(2))
    warm, startup = started_warm(root)
    try:
        ours = min(run_and_test(warm, root, model) for _ in range(3))
        shown = min(preview(warm, root, model) for _ in range(3))
        memory = warm.memory_kib() or 0
    finally:
        stopped(warm)
    print(f"\n== demo project, model {model}")
    print(f"warm worker start (import + parse): {startup:.2f} s, memory {memory / 1024:.0f} MiB")
    print(f"run+test: workbench {ratio(ours, cli_run_test)} (CLI: dbt run -s, then dbt test -s)")
    print(f"preview:  workbench {ratio(shown, cli_show)} (CLI: dbt show -s)")


def bench_spark(folder: Path, model: str = "stg_cases") -> None:
    """The CLI first: Spark's embedded metastore admits one process, so the worker waits its turn."""
    from tui.core.demo.spark import use_spark

    root = write_demo_project(folder / "spark-demo")
    use_spark(root)
    build_demo_project(root)
    cli_run_test = cli(root, "run", "-s", model) + cli(root, "test", "-s", model)
    cli_show = cli(root, "show", "-s", model)
    warm, startup = started_warm(root)
    try:
        ours = min(run_and_test(warm, root, model) for _ in range(2))
        shown = min(preview(warm, root, model) for _ in range(2))
    finally:
        stopped(warm)
    print(f"\n== demo project on Spark (session method), model {model}")
    print(f"warm worker start (import + parse + the Spark session): {startup:.2f} s")
    print(f"run+test: workbench {ratio(ours, cli_run_test)} (CLI: dbt run -s, then dbt test -s)")
    print(f"preview:  workbench {ratio(shown, cli_show)} (CLI: dbt show -s)")


PROBE_SQL = "select 1 as probe_id\n"
PROBE_TEST = "select * from {{ ref('bench_probe') }} where probe_id is null\n"


def bench_large(folder: Path, models: int) -> None:
    root = folder / f"models-{models}"
    shutil.copytree(project_for(models), root)
    (root / "models" / "bench_probe.sql").write_text(PROBE_SQL)
    (root / "tests").mkdir(exist_ok=True)
    (root / "tests" / "bench_probe_not_null.sql").write_text(PROBE_TEST)
    cli(root, "parse")  # the CLI's partial-parse file, as a user's project would have it
    cli_run_test = cli(root, "run", "-s", "bench_probe") + cli(root, "test", "-s", "bench_probe")
    warm, startup = started_warm(root)
    try:
        unchanged = min(run_and_test(warm, root, "bench_probe") for _ in range(3))
        edited_file = next((root / "models").rglob("stg_*.sql"))
        edited_file.write_text(edited_file.read_text() + "\n-- edited\n")
        after_edit = run_and_test(warm, root, "bench_probe")
        memory = warm.memory_kib() or 0
    finally:
        stopped(warm)
    edited_file.write_text(edited_file.read_text() + "\n-- edited again\n")
    cli_after_edit = cli(root, "run", "-s", "bench_probe") + cli(root, "test", "-s", "bench_probe")
    print(f"\n== synthetic project, {models} models")
    print(f"warm worker start (import + parse): {startup:.2f} s, memory {memory / 1024:.0f} MiB")
    print(f"run+test, nothing changed: workbench {ratio(unchanged, cli_run_test)}")
    print(f"run+test after a one-file edit: workbench {ratio(after_edit, cli_after_edit)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", type=int, default=5000)
    parser.add_argument("--skip-large", action="store_true", help="only the demo project")
    parser.add_argument("--spark", action="store_true", help="also the demo on a local Spark (the `spark` extra, Java 17)")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="bench-jobs-") as folder:
        bench_demo(Path(folder))
        if not args.skip_large:
            bench_large(Path(folder), args.models)
        if args.spark:
            bench_spark(Path(folder))


if __name__ == "__main__":
    main()
