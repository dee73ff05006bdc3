"""Column names and types of a relation in the project's DuckDB file, read without holding it.

A read-only connection with external access off is opened for the one query and closed at once,
so a dbt job can take the file right after. A file another process holds (dbt run, a notebook)
gives a message naming that process.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from tui.core.errors import WorkbenchError
from tui.core.warehouse.gate import reading_turn

_LOCK = re.compile(r"\(PID (\d+)\)")


def relation_columns(database: Path, schema: str, table: str) -> list[tuple[str, str]]:
    """(name, type) in column order; [] when the relation is not in the file."""
    if not database.is_file():
        raise WorkbenchError(f"The DuckDB file {database} does not exist yet (build the project first).")
    rows = read_only(
        database,
        "select column_name, data_type from information_schema.columns "
        "where lower(table_schema) = lower(?) and lower(table_name) = lower(?) order by ordinal_position",
        [schema, table],
    )
    return [(str(name), str(data_type).lower()) for name, data_type in rows]


@contextmanager
def read_only_connection(database: Path, failed: str) -> Iterator:
    """A read-only connection with external access off, for the reads of one moment: taken in
    its turn with jobs, closed on leaving; a DuckDB error inside becomes `failed: <reason>`."""
    import duckdb

    with reading_turn():
        try:
            connection = duckdb.connect(str(database), read_only=True, config={"enable_external_access": False})
        except duckdb.Error as error:
            raise WorkbenchError(open_problem(database, str(error))) from None
        try:
            yield connection
        except duckdb.Error as error:
            raise WorkbenchError(f"{failed}: {str(error).splitlines()[0]}") from None
        finally:
            connection.close()


def read_only(database: Path, query: str, parameters: list | None = None) -> list[tuple]:
    """The rows of one query, on a connection opened for it and closed at once."""
    with read_only_connection(database, f"Cannot read the DuckDB file {database.name}") as connection:
        return connection.execute(query, parameters or []).fetchall()


def open_problem(database: Path, message: str) -> str:
    found = _LOCK.search(message)
    if found:
        pid = found.group(1)
        return f"The DuckDB file {database.name} is locked by PID {pid} ({_program(pid)}); try again when it is done."
    return f"Cannot open the DuckDB file {database.name}: {message.splitlines()[0]}"


def _program(pid: str) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()[:80] or "?"
    except OSError:
        return "program unknown"
