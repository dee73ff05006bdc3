"""The Postgres reader: the profile target's database, read on a read-only connection.

psycopg2 comes with dbt-postgres (the `postgres` extra). Each session is one connection whose
transactions are read-only (`default_transaction_read_only`) with a statement timeout, closed at
once; Postgres needs no turn with dbt jobs (readers never block its writers). Type names come
from the server (`format_type`), so they read as `integer`, `text`, `character varying`.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator, Mapping, Sequence

from tui.core.errors import WorkbenchError
from tui.core.warehouse.reader import double_quoted

STATEMENT_TIMEOUT_MS = 60_000
CONNECT_TIMEOUT_S = 10


class PostgresSession:
    def __init__(self, connection) -> None:
        self._connection = connection
        self._type_names: dict[int, str] = {}

    def fetch(self, sql: str, parameters: Sequence[object] = ()) -> tuple[list[tuple[str, str]], list[tuple]]:
        with self._connection.cursor() as cursor:
            cursor.execute(*_placeholders(sql, parameters))
            described = list(cursor.description or [])
            rows = cursor.fetchall() if cursor.description else []
        names = self._names_of([d.type_code for d in described])
        return [(d.name, names.get(d.type_code, "unknown")) for d in described], rows

    def one(self, sql: str, parameters: Sequence[object] = ()) -> tuple:
        with self._connection.cursor() as cursor:
            cursor.execute(*_placeholders(sql, parameters))
            return cursor.fetchone()

    def _names_of(self, type_codes: list[int]) -> dict[int, str]:
        missing = sorted({code for code in type_codes if code not in self._type_names})
        if missing:
            with self._connection.cursor() as cursor:
                cursor.execute("select oid, format_type(oid, null) from pg_type where oid = any(%s)", (missing,))
                self._type_names.update({int(oid): str(name).lower() for oid, name in cursor.fetchall()})
        return self._type_names


def _placeholders(sql: str, parameters: Sequence[object]) -> tuple:
    """Our `?` placeholders as psycopg2's `%s`; without parameters the text goes as it is."""
    if not parameters:
        return (sql,)
    return (sql.replace("%", "%%").replace("?", "%s"), tuple(parameters))


class PostgresReader:
    def __init__(self, parameters: Mapping[str, object], search_path: str | None = None) -> None:
        self.parameters = dict(parameters)
        self.search_path = search_path
        self.label = f"Postgres {parameters.get('dbname')}@{parameters.get('host')}:{parameters.get('port')}"

    @classmethod
    def from_settings(cls, settings: Mapping[str, str]) -> "PostgresReader":
        """The connection a dbt-postgres target describes (host, port, user, password or pass,
        dbname or database, sslmode...), made read-only."""
        missing = [key for key in ("host", "user") if not settings.get(key)]
        if missing:
            raise WorkbenchError(f"The Postgres target gives no {' or '.join(missing)}.")
        options = f"-c default_transaction_read_only=on -c statement_timeout={STATEMENT_TIMEOUT_MS}"
        try:
            port = int(settings.get("port") or 5432)
            connect_timeout = int(settings.get("connect_timeout") or CONNECT_TIMEOUT_S)
        except ValueError:
            raise WorkbenchError(
                f"The Postgres target's port or connect_timeout is not a number as the workbench reads it "
                f"({settings.get('port')!r}, {settings.get('connect_timeout')!r}): write it plainly or as {{{{ env_var('X') }}}}."
            ) from None
        parameters: dict[str, object] = {
            "host": settings["host"],
            "port": port,
            "user": settings["user"],
            "dbname": settings.get("dbname") or settings.get("database") or settings["user"],
            "connect_timeout": connect_timeout,
            "application_name": "dbt-workbench",
            "options": options,
        }
        password = settings.get("password") or settings.get("pass")
        if password:
            parameters["password"] = password
        for key in ("sslmode", "sslcert", "sslkey", "sslrootcert"):
            if settings.get(key):
                parameters[key] = settings[key]
        return cls(parameters, settings.get("search_path") or None)

    @contextmanager
    def session(self, failed: str) -> Iterator[PostgresSession]:
        try:
            import psycopg2
        except ImportError:
            raise WorkbenchError("Reading a Postgres target needs psycopg2: install the `postgres` extra (dbt-postgres).") from None
        try:
            connection = psycopg2.connect(**self.parameters)
        except psycopg2.Error as error:
            raise WorkbenchError(f"Cannot connect to {self.label}: {_first_line(error)}") from None
        try:
            if self.search_path:
                with connection.cursor() as cursor:
                    cursor.execute("select set_config('search_path', %s, false)", (self.search_path,))
            yield PostgresSession(connection)
        except psycopg2.Error as error:
            raise WorkbenchError(f"{failed}: {_first_line(error)}") from None
        finally:
            connection.close()

    def distinct_values(self, expression: str) -> str:
        return f"array_agg(distinct {expression})"

    catalog = "information_schema"
    quote = staticmethod(double_quoted)


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
