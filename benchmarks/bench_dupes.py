"""Benchmark the duplicate finder on synthetic projects, side by side with the plain approach.

1. Index build: every model's profile (one read and one sqlglot parse each) and the inverted index.
2. Candidate refresh per keystroke of a new model's name (the wizard): the finder, next to one
   rapidfuzz `extract` of the name against every model name (the floor for any name search).
3. Re-score after a SQL change (the side panel): the finder with the draft's SQL, next to
   `token_set_ratio` of the body against every model's body (what an index-less finder does).
4. `dbt-workbench dupes DIR --all --json` as a child process, twice on one cache folder (cold, then
   warm: the app shares that cache): wall time and peak memory.

Targets at 5,000 models: keystroke under 10 ms, SQL re-score under 50 ms, report under 5 s and
300 MB.

    .venv/bin/python benchmarks/bench_dupes.py [--models 5000 20000] [--repeats 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_lint import run_child  # noqa: E402
from bench_scan import BIN, project_for  # noqa: E402
from rapidfuzz import fuzz, process  # noqa: E402

from tui.core.discover.profiles import draft_profile  # noqa: E402
from tui.core.discover.report import project_index  # noqa: E402
from tui.core.project.dbt_project import load_project  # noqa: E402
from tui.core.project.layers import Layer, LayerRules  # noqa: E402
from tui.core.scan.scanner import scan_project  # noqa: E402


def ms(seconds: list[float]) -> str:
    return f"median {statistics.median(seconds) * 1000:.1f} ms, max {max(seconds) * 1000:.1f} ms"


def timed(action, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def bench(models: int, repeats: int) -> None:
    root = project_for(models)
    rules = LayerRules.with_overrides()
    project = load_project(root)
    scan = scan_project(project, rules)
    started = time.perf_counter()
    index = project_index(project, scan, rules)
    print(f"\n== {len(index)} models ({root})")
    print(f"index build (profiles + inverted index): {time.perf_counter() - started:.2f} s")

    sample = next(m for m in scan.models if m.name.startswith("int_"))
    body = (root / sample.path).read_text()
    names = [m.name for m in scan.models]
    typed = "int_" + sample.name[4:]
    prefixes = [typed[: n] for n in range(5, len(typed) + 1)]
    finder_keys = timed(lambda: [index.candidates(draft_profile(rules, Layer.INTERMEDIATE, p)) for p in prefixes], repeats)
    plain_keys = timed(lambda: [process.extract(p, names, scorer=fuzz.WRatio, limit=10) for p in prefixes], repeats)
    per_key = [t / len(prefixes) for t in finder_keys]
    per_plain = [t / len(prefixes) for t in plain_keys]
    print(f"name keystroke, finder: {ms(per_key)}   | plain rapidfuzz WRatio over all names: {ms(per_plain)}")

    edited = body.replace("select", "select 1 as added_column,", 1)
    sql_draft = lambda: index.candidates(draft_profile(rules, Layer.INTERMEDIATE, "int_draft", edited))  # noqa: E731
    bodies = [(root / m.path).read_text() for m in scan.models]
    finder_sql = timed(sql_draft, max(5, repeats // 3))
    plain_sql = timed(lambda: process.extract(edited, bodies, scorer=fuzz.token_set_ratio, limit=10), 3)
    print(f"SQL re-score, finder: {ms(finder_sql)}   | plain token_set_ratio over all bodies: {ms(plain_sql)}")

    with tempfile.TemporaryDirectory(prefix="bench-dupes-cache-") as cache:
        env = {**os.environ, "XDG_CACHE_HOME": cache}
        argv = [str(BIN / "dbt-workbench"), "dupes", str(root), "--all", "--json"]
        for when in ("cold cache", "warm cache (the app or an earlier run parsed the SQL)"):
            wall, peak, code, stdout = run_child(argv, env)
            pairs = stdout.count(b'"models"')
            print(f"dupes --all --json (child), {when}: {wall:.2f} s, peak {peak:.0f} MiB, exit {code}, {pairs} pairs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", type=int, nargs="+", default=[5000, 20000])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores")
    for models in args.models:
        bench(models, args.repeats)


if __name__ == "__main__":
    main()
