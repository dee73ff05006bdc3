"""Benchmark step 3's profile: one aggregate query per model against one query per column.

A DuckDB file with a 1,000,000-row model-like table (an id, foreign keys, low-cardinality text,
free text with nulls, amounts, timestamps) is profiled the way the workbench does it (the
model's query as a subquery on a read-only connection: one query for the counts, one for the few
values of low-cardinality text, one per `*_id` column against its parent), next to the plain
approach of one `count`/`count(distinct)` query per column. Target: under 2 s at 1,000,000 rows.

    .venv/bin/python benchmarks/bench_workflow.py [--rows 1000000] [--repeats 3]
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
sys.path.insert(0, str(HERE.parent))

import duckdb  # noqa: E402

from tui.core.warehouse.duckdb_catalog import DuckDBReader, read_only  # noqa: E402
from tui.core.workflow.suggest import profile_model, suggestions, unmatched_count  # noqa: E402

MODEL_SQL = (
    "select o.*, c.segment from main.orders o join main.dim_customers c using (customer_id)"
    " where o.status <> 'test'"
)
"""A model as models are: a join and a filter, so its query costs something each time it runs."""
COLUMNS = [
    ("order_id", "bigint"), ("customer_id", "bigint"), ("shop_id", "bigint"), ("status", "varchar"),
    ("channel", "varchar"), ("note", "varchar"), ("amount", "decimal(12,2)"), ("ordered_at", "timestamp"),
    ("segment", "varchar"),
]


def build(database: Path, rows: int) -> None:
    connection = duckdb.connect(str(database))
    connection.execute(f"""
        create table orders as select
            i as order_id, i % 50000 as customer_id, i % 300 as shop_id,
            (['placed', 'shipped', 'returned', 'cancelled'])[1 + i % 4] as status,
            (['web', 'store', 'phone'])[1 + i % 3] as channel,
            case when i % 7 = 0 then null else 'note ' || (i % 100000) end as note,
            (i % 10000) / 100.0 as amount,
            timestamp '2026-01-01' + to_seconds(i) as ordered_at
        from range({rows}) t(i)
    """)
    connection.execute(
        "create table dim_customers as select i as customer_id, (['retail', 'trade'])[1 + i % 2] as segment from range(50000) t(i)"
    )
    connection.close()


def per_column(database: Path) -> None:
    """The plain approach: a query per column (and the same value and parent queries)."""
    for name, _ in COLUMNS:
        read_only(database, f'select count(*), count("{name}"), count(distinct "{name}") from ({MODEL_SQL}) m')
    for name in ("status", "channel", "segment"):
        read_only(database, f'select distinct "{name}" from ({MODEL_SQL}) m')
    read_only(database, f"select count(*) from ({MODEL_SQL}) m where customer_id not in (select customer_id from main.dim_customers)")


def workbench(database: Path) -> int:
    profile = profile_model(DuckDBReader(database), MODEL_SQL, COLUMNS)
    found = suggestions(profile, {}, dbt_utils=False)
    unmatched_count(DuckDBReader(database), MODEL_SQL, "customer_id", "main.dim_customers", "customer_id")
    return len(found)


def timed(function, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; {args.rows:,} rows, {len(COLUMNS)} columns; median of {args.repeats}")
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "bench.duckdb"
        build(database, args.rows)
        count = workbench(database)
        ours = timed(lambda: workbench(database), args.repeats)
        plain = timed(lambda: per_column(database), args.repeats)
        print(f"profile + suggestions ({count} found) + one relationship check: {ours:.2f} s (target 2 s)")
        print(f"plain: a query per column, per value list, the same check:    {plain:.2f} s")
        print(f"ratio: {ours / plain:.2f}x")


if __name__ == "__main__":
    main()
