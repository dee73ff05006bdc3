"""The one door to the warehouse for the app's own reads: previews, failing rows, row counts,
columns, profiles.

`reader_for(connection)` picks the reader of the profile target's adapter (DuckDB and Postgres
are read directly; any other adapter through the app's warm dbt worker, tui.core.warehouse.
through_dbt); everything outside this package asks a `Reader` and never names an adapter. Every reader is read-only and opens a
connection for one moment (`session`), closing it at once. Queries are written with `?`
placeholders and portable SQL; what differs between warehouses (listing a column's distinct
values, the type names) is the reader's to say.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol, Sequence

from tui.core.errors import WorkbenchError
from tui.core.project.profiles import Connection

READ_ADAPTERS = ("duckdb", "postgres")


class Session(Protocol):
    def fetch(self, sql: str, parameters: Sequence[object] = ()) -> tuple[list[tuple[str, str]], list[tuple]]:
        """(column name, type name) of each output column, and the rows."""

    def one(self, sql: str, parameters: Sequence[object] = ()) -> tuple:
        """The first row."""


class Reader(Protocol):
    label: str
    """Where the reads go, for messages: "the DuckDB file demo.duckdb", "Postgres analytics@db:5432"."""

    def session(self, failed: str) -> AbstractContextManager[Session]:
        """A read-only connection for the reads of one moment; an error inside becomes
        WorkbenchError(`failed: <reason>`)."""

    def distinct_values(self, expression: str) -> str:
        """An aggregate giving the distinct non-null values of `expression` as one list."""

    def quote(self, identifier: str) -> str:
        """`identifier` quoted as this warehouse quotes names (Spark's `"x"` is a string)."""

    catalog: str
    """How the catalog is asked: "information_schema" (DuckDB, Postgres, most warehouses) or
    "spark" (`show tables`, a relation described by an empty select)."""


def double_quoted(identifier: str) -> str:
    """The SQL standard's quoted name, which DuckDB, Postgres and most warehouses take."""
    return '"' + identifier.replace('"', '""') + '"'


def reader_for(connection: Connection) -> Reader:
    """The reader of the target's adapter; WorkbenchError saying why when there is none."""
    if connection.problem:
        raise WorkbenchError(f"The warehouse cannot be read: {connection.problem}")
    if connection.adapter_type == "duckdb":
        if connection.duckdb_path is None:
            raise WorkbenchError("The DuckDB target is in memory (or MotherDuck): there is no file to read.")
        from tui.core.warehouse.duckdb_catalog import DuckDBReader

        return DuckDBReader(connection.duckdb_path)
    if connection.adapter_type == "postgres":
        from tui.core.warehouse.postgres_reader import PostgresReader

        return PostgresReader.from_settings(dict(connection.settings))
    from tui.core.warehouse.through_dbt import ShowReader, offered_dbt_reads

    adapter = connection.adapter_type or "unknown"
    read = offered_dbt_reads()
    if read is None:
        raise WorkbenchError(
            f"A {adapter} target is read through the app's warm dbt worker, which is not running here "
            "(the workbench reads DuckDB and Postgres directly)."
        )
    return ShowReader(adapter, read)


def read_through_dbt(connection: Connection) -> bool:
    """True when the target's reads go through a dbt process (no direct reader for its adapter)."""
    return not connection.problem and connection.adapter_type not in READ_ADAPTERS


def worker_warm_up(connection: Connection) -> str | None:
    """The module whose `warm_up(root)` the warm dbt worker runs before its first job, and whose
    `after_fork()` each job runs: for a target whose warehouse lives inside the dbt process
    (Spark's session method), so that it starts once rather than once per job."""
    settings = dict(connection.settings)
    if connection.adapter_type == "spark" and settings.get("method") == "session":
        return "tui.core.warehouse.spark_session"
    return None


def maybe_reader(connection: Connection) -> tuple[Reader | None, str]:
    """The reader, or None and the reason (for features that work on without the warehouse)."""
    try:
        return reader_for(connection), ""
    except WorkbenchError as error:
        return None, str(error)
