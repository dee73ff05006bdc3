"""The Spark of a `method: session` target: one local JVM for the whole app session, held by the
warm dbt worker.

dbt-spark's session method runs Spark inside the dbt process. Started per job, every job would
pay a JVM start and a Hive metastore boot (about 10 s on 2 cores), and two at once would fight
over the embedded Derby metastore's lock. So the worker calls `warm_up` once, before its first
parse, and each job it forks calls `after_fork`: the job keeps the worker's session (dbt-spark's
`SparkSession.builder.getOrCreate()` finds it) but talks to the JVM over connections of its own,
so a job that is killed mid-call leaves the worker's connections as they were.

    python -m tui.core.warehouse.spark_session FILE.sql

runs the `;`-separated statements of FILE in a session of its own, with the working directory as
the place of `metastore_db/` and `spark-warehouse/` (the demo loads its raw tables this way).
"""

from __future__ import annotations

import collections
import sys
import threading
from pathlib import Path

QUIET = {"spark.ui.showConsoleProgress": "false"}
"""No progress bars: they would land between dbt's JSON lines."""

_inherited: list[object] = []
"""The worker's gateway connections as a forked job inherited them, kept referenced so that
they are never closed (or shut down, which would cut the worker's copy too) from the job."""


SERVER_SIDE = "server_side_parameters."


def _session(parameters: dict[str, str] | None = None):
    """`parameters`: the target's server_side_parameters, which only a new session takes (once it
    runs, dbt-spark's getOrCreate would apply the runtime ones alone)."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.enableHiveSupport()
    for key, value in {**QUIET, **(parameters or {})}.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def warm_up(root: Path) -> None:
    """Start the JVM and boot the metastore now, so that the first job does not wait for them;
    with the project's target's server_side_parameters, as dbt-spark would start it."""
    _session(target_parameters(root)).sql("show databases").collect()


def target_parameters(root: Path) -> dict[str, str]:
    from tui.core.project.dbt_project import load_project

    settings = dict(load_project(root).connection.settings)
    return {key.removeprefix(SERVER_SIDE): value for key, value in settings.items() if key.startswith(SERVER_SIDE)}


def after_fork() -> None:
    """In a forked job: its own connections to the worker's JVM from now on."""
    from pyspark import SparkContext

    gateway = SparkContext._gateway
    if gateway is None:
        return
    client = gateway._gateway_client
    _inherited.append((getattr(client, "thread_connection", None), list(client.deque)))
    if hasattr(client, "thread_connection"):
        client.thread_connection = threading.local()
    client.deque = collections.deque()


def statements(text: str) -> list[str]:
    """The statements of a script: split on `;` at line ends (the demo's scripts hold no `;` in
    a literal), blank ones dropped."""
    return [part.strip() for part in text.split(";\n") if part.strip().rstrip(";").strip()]


def run_script(path: Path) -> None:
    session = _session()
    for statement in statements(path.read_text(encoding="utf-8")):
        session.sql(statement.rstrip(";")).collect()


if __name__ == "__main__":
    run_script(Path(sys.argv[1]))
