"""Benchmark the project scan and the model tree against dbt itself, on synthetic projects.

A real-shaped project (macro-built CTEs, dispatch, a package, ~2.8 declared sources per model in a
big shared file, deep marts folders, a disabled folder) runs beside the synthetic ones.
For each size it prints, side by side: `dbt-workbench models DIR --json`, the first frame of the
tree (headless, measured from process spawn), and `dbt ls` on the same project; app figures are
cold (empty cache dir) and warm (second run, same cache dir). Every figure is a child process, timed
from spawn to exit, with its peak RSS from `os.wait4`. Ends with a markdown table for the README.

    .venv/bin/python benchmarks/bench_scan.py [--sizes 5000,20000] [--real-sizes 5000] [--skip-dbt] [--dbt-20k]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from real_shapes import make_real_shaped_project  # noqa: E402
from synthetic import make_project  # noqa: E402

PROJECTS = HERE / ".projects"
BIN = Path(sys.executable).parent  # the virtualenv's bin: dbt-workbench and dbt live beside python
READY_MARKER = ".bench-ready"
APP_TIMEOUT_S = 600
DBT_TIMEOUT_S = 3600
TARGET_S = 1.0
TARGET_MIB = 300
MODEL_NAME = re.compile(r"^(stg|int|fct|dim)_\w+$")


@dataclass
class Child:
    wall_s: float
    peak_mib: float
    returncode: int
    stdout: str
    stderr: str


@dataclass
class Result:
    """One cell pair of the table: a timed run and whether it saw every model."""

    wall_s: float
    peak_mib: float
    found: int | None
    error: str = ""

    def ok(self, expected: int) -> bool:
        return not self.error and self.found == expected


# ---------------------------------------------------------------- projects


def project_for(models: int, real_shaped: bool = False) -> Path:
    """Reuse the generated project of this size; generating into a temp folder first means an
    interrupted run never leaves a half-written project that looks finished. `real_shaped` dresses
    it in real projects' shapes (benchmarks/real_shapes.py)."""
    root = PROJECTS / (f"real-{models}" if real_shaped else f"models-{models}")
    if (root / READY_MARKER).is_file():
        return root
    PROJECTS.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(root, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=f"models-{models}-", dir=PROJECTS))
    (make_real_shaped_project if real_shaped else make_project)(staging / "p", models)
    (staging / "p" / READY_MARKER).write_text(f"{models}\n", encoding="utf-8")
    (staging / "p").rename(root)
    staging.rmdir()
    return root


def clean_dbt_state(root: Path) -> None:
    """dbt's target/ (a fresh manifest, partial-parse state) would change what is measured."""
    for name in ("target", "logs"):
        shutil.rmtree(root / name, ignore_errors=True)


def describe_project(root: Path) -> str:
    yml = [p for p in (root / "models").rglob("*.yml")]
    size = sum(p.stat().st_size for p in yml) / 1e6
    sql = sum(1 for _ in (root / "models").rglob("*.sql"))
    return f"{sql:,} model files, {len(yml)} schema YAML files ({size:.1f} MB)"


# ---------------------------------------------------------------- child processes


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def run_child(cmd: list[str], *, env: dict[str, str], cwd: Path | None = None, timeout: float) -> Child:
    """Run cmd in its own process group; output goes to files so a large JSON cannot block the
    pipe while we sit in wait4 (which, unlike Popen.wait, also returns the child's rusage)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                start_new_session=True)
        killer = threading.Timer(timeout, _kill_group, (proc.pid,))
        killer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:
            _kill_group(proc.pid)
            proc.wait()
            raise
        finally:
            killer.cancel()
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    return Child(wall, usage.ru_maxrss / 1024, proc.returncode, *text)


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra)
    return env


def _failure(child: Child) -> str:
    lines = (child.stderr.strip() or child.stdout.strip() or "no output").splitlines()
    return f"exit {child.returncode}: {lines[-1][:120]}"


# ---------------------------------------------------------------- measurements


def bench_models_json(root: Path, cache: Path) -> Result:
    child = run_child([str(BIN / "dbt-workbench"), "models", str(root), "--json"],
                      env=child_env(XDG_CACHE_HOME=str(cache)), timeout=APP_TIMEOUT_S)
    if child.returncode != 0:
        return Result(child.wall_s, child.peak_mib, None, _failure(child))
    try:
        found = len(json.loads(child.stdout)["models"])
    except (ValueError, KeyError, TypeError) as error:
        return Result(child.wall_s, child.peak_mib, None, f"unreadable JSON: {error}")
    return Result(child.wall_s, child.peak_mib, found)


def bench_first_frame(root: Path, cache: Path) -> Result:
    """Spawn to the paint of the first frame holding the tree: the child reports that moment
    (against the spawn time we pass it), since its exit can lag behind the background YAML index."""
    env = child_env(XDG_CACHE_HOME=str(cache), BENCH_SPAWNED_AT=repr(time.time()))
    child = run_child([sys.executable, str(HERE / "first_frame.py"), str(root)], env=env, timeout=APP_TIMEOUT_S)
    values = dict(line.split("=", 1) for line in child.stdout.splitlines() if "=" in line)
    if child.returncode != 0 or "models_in_tree" not in values:
        return Result(child.wall_s, child.peak_mib, None, _failure(child))
    frame_s = float(values.get("frame_since_spawn_s", child.wall_s))
    return Result(frame_s, child.peak_mib, int(values["models_in_tree"]))


def bench_dbt_ls(root: Path) -> Result:
    env = child_env(DBT_PROFILES_DIR=str(root), DO_NOT_TRACK="1", DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    cmd = [str(BIN / "dbt"), "ls", "--resource-type", "model", "--output", "name", "--quiet"]
    child = run_child(cmd, env=env, cwd=root, timeout=DBT_TIMEOUT_S)
    if child.returncode != 0:
        return Result(child.wall_s, child.peak_mib, None, _failure(child))
    found = sum(1 for line in child.stdout.splitlines() if MODEL_NAME.match(line.strip()))
    return Result(child.wall_s, child.peak_mib, found)


def cold_and_warm(bench, root: Path) -> tuple[Result, Result]:  # noqa: ANN001
    """First run on an empty cache dir, second run on the cache the first one left."""
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as cache:
        return bench(root, Path(cache)), bench(root, Path(cache))


def dbt_cold_and_warm(root: Path) -> tuple[Result, Result]:
    """Cold is a full parse (no target/); warm is dbt's partial parse with nothing changed."""
    clean_dbt_state(root)
    return bench_dbt_ls(root), bench_dbt_ls(root)


def prime_imports() -> None:
    """Compile and page in the app's modules once, untimed, so 'cold' means an empty app cache,
    not the first import after an edit."""
    subprocess.run([sys.executable, "-c", "import tui.app, tui.cli"], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# ---------------------------------------------------------------- report


@dataclass
class Row:
    """One line of the table: what ran on which project, and how many models it should see."""

    models: int
    shape: str
    what: str
    cold: Result | None
    warm: Result | None
    note: str
    expected: int


def _cell(result: Result | None) -> tuple[str, str]:
    if result is None:
        return "-", "-"
    wall = f"{result.wall_s:.2f} s" if result.wall_s < 10 else f"{result.wall_s:.0f} s"
    return wall, f"{result.peak_mib:.0f} MiB"


def _check(expected: int, results: list[Result | None]) -> str:
    done = [r for r in results if r is not None]
    errors = [r.error for r in done if r.error]
    if errors:
        return f"FAILED: {errors[0]}"
    wrong = [r.found for r in done if r.found != expected]
    return f"saw {wrong[0]:,} of {expected:,} models" if wrong else f"all {expected:,} models"


def markdown_table(rows: list[Row]) -> str:
    lines = ["| models | project | what | cold | cold peak RSS | warm | warm peak RSS | check |",
             "|---:|---|---|---:|---:|---:|---:|---|"]
    for row in rows:
        check = row.note or _check(row.expected, [row.cold, row.warm])
        lines.append(f"| {row.models:,} | {row.shape} | {row.what} | {' | '.join(_cell(row.cold))} | "
                     f"{' | '.join(_cell(row.warm))} | {check} |")
    return "\n".join(lines)


def target_lines(rows: list[Row]) -> list[str]:
    """The issue's targets, judged on the 5,000-model rows."""
    at_5k = {row.what: (row.cold, row.warm) for row in rows if row.models == 5000 and row.shape == SYNTHETIC}
    if not at_5k:
        return []
    tree_cold, tree_warm = at_5k[TREE]
    _, json_warm = at_5k[MODELS_JSON]
    app = [r for pair in (at_5k[TREE], at_5k[MODELS_JSON]) for r in pair if r is not None]
    peak = max(r.peak_mib for r in app)

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "FAIL"

    return [
        f"- tree with all 5,000 models within {TARGET_S:.0f} s of starting: cold {tree_cold.wall_s:.2f} s, "
        f"warm {tree_warm.wall_s:.2f} s -> {verdict(max(tree_cold.wall_s, tree_warm.wall_s) < TARGET_S and tree_cold.ok(5000))}",
        f"- `models --json` warm within {TARGET_S:.0f} s: {json_warm.wall_s:.2f} s -> "
        f"{verdict(json_warm.wall_s < TARGET_S and json_warm.ok(5000))}",
        f"- peak memory under {TARGET_MIB} MB (app runs at 5,000): {peak:.0f} MiB -> {verdict(peak < TARGET_MIB)}",
    ]


MODELS_JSON = "`dbt-workbench models --json`"
TREE = "tree, start to first frame (headless)"
DBT_LS = "`dbt ls --resource-type model`"


SYNTHETIC = "synthetic"
REAL_SHAPED = "real-shaped"


def _disabled_model_files(root: Path) -> int:
    """The real-shaped project's legacy folder is `+enabled: false`: dbt ls does not list it."""
    legacy = root / "models" / "legacy"
    return sum(1 for _ in legacy.glob("*.sql")) if legacy.is_dir() else 0


def bench_size(models: int, run_dbt: bool, why_not: str, real_shaped: bool = False) -> list[Row]:
    root = project_for(models, real_shaped)
    shape = REAL_SHAPED if real_shaped else SYNTHETIC
    clean_dbt_state(root)
    files = sum(1 for _ in (root / "models").rglob("*.sql"))
    print(f"\n{models:,} models, {shape}: {root} ({describe_project(root)})", flush=True)
    rows: list[Row] = []
    for what, bench in ((MODELS_JSON, bench_models_json), (TREE, bench_first_frame)):
        cold, warm = cold_and_warm(bench, root)
        rows.append(Row(models, shape, what, cold, warm, "", files))
        print(f"  {what}: cold {cold.wall_s:.2f} s, warm {warm.wall_s:.2f} s", flush=True)
    enabled = files - _disabled_model_files(root)
    if run_dbt:
        print(f"  {DBT_LS}: running (cold = no target/, warm = partial parse)...", flush=True)
        cold, warm = dbt_cold_and_warm(root)
        rows.append(Row(models, shape, DBT_LS, cold, warm, "", enabled))
        print(f"  {DBT_LS}: cold {cold.wall_s:.1f} s, warm {warm.wall_s:.1f} s", flush=True)
    else:
        rows.append(Row(models, shape, DBT_LS, None, None, f"not run ({why_not})", enabled))
    return rows


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5000,20000", help="comma-separated model counts (default 5000,20000)")
    parser.add_argument("--real-sizes", default="5000",
                        help="model counts of real-shaped projects (benchmarks/real_shapes.py; default 5000)")
    parser.add_argument("--skip-dbt", action="store_true", help="do not run `dbt ls` at all")
    parser.add_argument("--dbt-20k", action="store_true", help="also run `dbt ls` above 5,000 models (minutes)")
    return parser.parse_args(argv)


def _exit_on_sigterm(signum: int, frame: object) -> None:
    """Turn SIGTERM into SystemExit so run_child kills the child's process group on the way out."""
    sys.exit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    print(f"machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}")
    prime_imports()
    rows: list[Row] = []
    why_not = "--skip-dbt" if args.skip_dbt else "add --dbt-20k; takes minutes"
    for models in sizes:
        rows += bench_size(models, not args.skip_dbt and (models <= 5000 or args.dbt_20k), why_not)
    for models in [int(s.replace("_", "")) for s in args.real_sizes.split(",") if s.strip()]:
        rows += bench_size(models, not args.skip_dbt and (models <= 5000 or args.dbt_20k), why_not, real_shaped=True)
    print(f"\nMeasured on {os.cpu_count()} cores; wall time from spawn to exit (the tree: to its first painted frame); peak RSS from wait4.\n")
    print(markdown_table(rows))
    targets = target_lines(rows)
    if targets:
        print("\nTargets (5,000 models):")
        print("\n".join(targets))
    failed = any(r is not None and r.error for row in rows for r in (row.cold, row.warm))
    return 1 if failed or any(line.endswith("FAIL") for line in targets) else 0


if __name__ == "__main__":
    sys.exit(main())
