"""The DuckDB reader: the project's DuckDB file, read without holding it.

A read-only connection with external access off is opened for the reads of one moment and closed
at once, in its turn with dbt jobs (tui.core.warehouse.gate), so a job can take the file right
after. A file another process holds (dbt run, a notebook) gives a message naming that process.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

from tui.core.errors import WorkbenchError
from tui.core.warehouse.reader import double_quoted
from tui.core.warehouse.gate import reading_turn

_LOCK = re.compile(r"\(PID (\d+)\)")


class DuckDBSession:
    def __init__(self, connection) -> None:
        self._connection = connection

    def fetch(self, sql: str, parameters: Sequence[object] = ()) -> tuple[list[tuple[str, str]], list[tuple]]:
        cursor = self._connection.execute(sql, list(parameters))
        columns = [(str(d[0]), str(d[1]).lower()) for d in cursor.description or []]
        return columns, cursor.fetchall()

    def one(self, sql: str, parameters: Sequence[object] = ()) -> tuple:
        return self._connection.execute(sql, list(parameters)).fetchone()


class DuckDBReader:
    def __init__(self, database: Path) -> None:
        self.database = database
        self.label = f"the DuckDB file {database.name}"

    @contextmanager
    def session(self, failed: str) -> Iterator[DuckDBSession]:
        if not self.database.is_file():
            raise WorkbenchError(f"The DuckDB file {self.database} does not exist yet: build the project first.")
        with read_only_connection(self.database, failed) as connection:
            yield DuckDBSession(connection)

    def distinct_values(self, expression: str) -> str:
        return f"list(distinct {expression})"

    catalog = "information_schema"
    quote = staticmethod(double_quoted)


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
