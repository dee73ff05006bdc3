"""The demo on a local Apache Spark: its raw tables loaded into Spark's catalog and its profile
pointed at dbt-spark's `session` method.

`dbt-workbench demo --spark` writes the demo project as usual (with its DuckDB file), then calls
`use_spark`: the three raw tables are copied from that file to Parquet and created as tables of
the `raw` database of a Spark session started in the project folder, whose `metastore_db/` and
`spark-warehouse/` then hold them (Spark's defaults: an embedded Derby metastore, one process at
a time). profiles.yml gets a `spark` target, which becomes the default; DuckDB stays as `dev`.
The load runs in a child process (a JVM of its own), through the one runner.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import duckdb

from tui.core.demo.warehouse import RAW_SCHEMA
from tui.core.errors import WorkbenchError
from tui.core.files import atomic_write_bytes
from tui.core.process import run_child

MODEL_SCHEMA = "workbench_demo"
RAW_TABLES = ("reviewers", "cases", "decisions")
LOAD_TIMEOUT_S = 300
SPARK_FILES = ("metastore_db/", "spark-warehouse/", "derby.log")


def use_spark(root: Path) -> None:
    """Load the raw tables into a Spark catalog in `root` and make a `spark` target the default."""
    try:
        import pyspark  # noqa: F401 - only to say clearly that it is missing
    except ImportError:
        raise WorkbenchError("The Spark demo needs dbt-spark with pyspark: install the `spark` extra.") from None
    if shutil.which("java") is None and not _java_home():
        raise WorkbenchError("The Spark demo needs Java 17 or newer (java on PATH or $JAVA_HOME).")
    with tempfile.TemporaryDirectory(prefix="workbench-spark-") as folder:
        script = _export_raw_tables(root / "demo.duckdb", Path(folder))
        result = run_child([sys.executable, "-m", "tui.core.warehouse.spark_session", str(script)], cwd=root, merge_stderr=True, timeout=LOAD_TIMEOUT_S)
    if result.returncode != 0:
        said = [line for line in result.tail if line.strip() and not line.startswith(("\tat ", "WARNING"))]
        raise WorkbenchError("Loading the demo's raw tables into Spark failed:\n" + "\n".join(said[-8:]))
    atomic_write_bytes(root / "profiles.yml", spark_profile().encode())
    _ignore_spark_files(root)


def _java_home() -> bool:
    import os

    return bool(os.environ.get("JAVA_HOME"))


def _export_raw_tables(database: Path, folder: Path) -> Path:
    """Each raw table as Parquet in `folder`, and the SQL that makes Spark tables of them."""
    lines = [f"create database if not exists {RAW_SCHEMA};", f"create database if not exists {MODEL_SCHEMA};"]
    con = duckdb.connect(str(database), read_only=True)
    try:
        for table in RAW_TABLES:
            parquet = folder / f"{table}.parquet"
            con.execute(f"copy {RAW_SCHEMA}.{table} to '{parquet}' (format parquet)")
            lines += [f"drop table if exists {RAW_SCHEMA}.{table};", f"create table {RAW_SCHEMA}.{table} using parquet as select * from parquet.`{parquet}`;"]
    finally:
        con.close()
    script = folder / "load.sql"
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return script


def spark_profile() -> str:
    """profiles.yml for the demo with the `spark` target first and DuckDB kept as `dev`."""
    return (
        "# Used because dbt-workbench runs dbt with DBT_PROFILES_DIR set to this folder.\n"
        "workbench_demo:\n"
        "  target: spark\n"
        "  outputs:\n"
        "    spark:\n"
        "      type: spark\n"
        "      method: session\n"
        "      host: NA\n"
        f"      schema: {MODEL_SCHEMA}\n"
        "      threads: 1\n"
        "      server_side_parameters:\n"
        "        spark.app.name: dbt-workbench\n"
        '        spark.sql.shuffle.partitions: "4"\n'
        '        spark.sql.session.timeZone: "UTC"\n'
        "    dev:\n"
        "      type: duckdb\n"
        "      path: demo.duckdb\n"
        "      schema: main\n"
        "      threads: 1\n"
    )


def _ignore_spark_files(root: Path) -> None:
    """Spark's catalog and data are the warehouse, not the project: git ignores them."""
    ignore = root / ".gitignore"
    text = ignore.read_text(encoding="utf-8") if ignore.is_file() else ""
    missing = [name for name in SPARK_FILES if name not in text.splitlines()]
    if missing:
        body = text if not text or text.endswith("\n") else text + "\n"
        atomic_write_bytes(ignore, (body + "\n".join(missing) + "\n").encode())
