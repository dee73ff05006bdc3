"""The demo on a Postgres server: its raw tables loaded there and its profile pointed there.

`dbt-workbench demo --postgres "host=... port=... user=... dbname=..."` writes the demo project as
usual, then calls `use_postgres`: the three raw tables are (re)created in the `raw` schema of that
database (only those three; nothing else there is touched) and profiles.yml gets a `postgres`
target, which becomes the default. The password is never written: the profile reads $PGPASSWORD.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

from tui.core.demo import data
from tui.core.demo.warehouse import RAW_SCHEMA
from tui.core.errors import WorkbenchError
from tui.core.files import atomic_write_bytes

MODEL_SCHEMA = "workbench_demo"
_PG_TYPES = {"bigint": "bigint", "varchar": "text"}


def parse_dsn(dsn: str) -> dict[str, str]:
    """A libpq connection string ("host=db port=5432 user=me dbname=analytics") as its keywords."""
    try:
        from psycopg2.extensions import parse_dsn as libpq_parse
    except ImportError:
        raise WorkbenchError("The Postgres demo needs dbt-postgres: install the `postgres` extra.") from None
    try:
        keywords = dict(libpq_parse(dsn))
    except Exception as error:  # psycopg2.ProgrammingError; the message is libpq's own
        raise WorkbenchError(f"Not a Postgres connection string ({error}). Example: \"host=localhost port=5432 user=me dbname=analytics\"") from None
    if not keywords.get("host") or not keywords.get("user"):
        raise WorkbenchError("The Postgres connection string needs at least host= and user=.")
    return keywords


def use_postgres(root: Path, keywords: Mapping[str, str]) -> None:
    """Load the raw tables into the server and make a `postgres` target the demo's default."""
    load_raw_tables(keywords)
    atomic_write_bytes(root / "profiles.yml", postgres_profile(keywords).encode())


def load_raw_tables(keywords: Mapping[str, str]) -> None:
    import psycopg2
    from psycopg2.extras import execute_values

    tables = data.generate()
    try:
        connection = psycopg2.connect(**keywords, application_name="dbt-workbench demo")
    except psycopg2.Error as error:
        raise WorkbenchError(f"Cannot connect to Postgres: {str(error).strip().splitlines()[0]}") from None
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute(f"create schema if not exists {RAW_SCHEMA}")
            for table, columns, rows in (
                ("reviewers", data.REVIEWER_COLUMNS, tables.reviewers),
                ("cases", data.CASE_COLUMNS, tables.cases),
                ("decisions", data.DECISION_COLUMNS, tables.decisions),
            ):
                ddl = ", ".join(f"{name} {_PG_TYPES[kind]}" for name, kind in columns.items())
                cursor.execute(f"drop table if exists {RAW_SCHEMA}.{table}")
                cursor.execute(f"create table {RAW_SCHEMA}.{table} ({ddl})")
                execute_values(cursor, f"insert into {RAW_SCHEMA}.{table} values %s", rows, page_size=1000)
    except psycopg2.Error as error:
        raise WorkbenchError(f"Loading the demo's raw tables into Postgres failed: {str(error).strip().splitlines()[0]}") from None
    finally:
        connection.close()


def postgres_profile(keywords: Mapping[str, str]) -> str:
    """profiles.yml for the demo with the `postgres` target first and DuckDB kept as `dev`."""
    def quoted(value: object) -> str:
        return "'" + str(value).replace("'", "''") + "'"

    return (
        "# Used because dbt-workbench runs dbt with DBT_PROFILES_DIR set to this folder.\n"
        "workbench_demo:\n"
        "  target: postgres\n"
        "  outputs:\n"
        "    postgres:\n"
        "      type: postgres\n"
        f"      host: {quoted(keywords['host'])}\n"
        f"      port: {int(keywords.get('port') or 5432)}\n"
        f"      user: {quoted(keywords['user'])}\n"
        "      password: \"{{ env_var('PGPASSWORD', '') }}\"\n"
        f"      dbname: {quoted(keywords.get('dbname') or keywords['user'])}\n"
        f"      schema: {MODEL_SCHEMA}\n"
        "      threads: 1\n"
        "    dev:\n"
        "      type: duckdb\n"
        "      path: demo.duckdb\n"
        "      schema: main\n"
        "      threads: 1\n"
    )
