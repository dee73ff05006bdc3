"""What the warehouse holds, asked through information_schema (which DuckDB and Postgres share):
the columns of one relation, the schema a model was built in, every built relation's columns."""

from __future__ import annotations

from tui.core.warehouse.reader import Reader

_SYSTEM_SCHEMAS = "('information_schema', 'pg_catalog', 'pg_toast')"


def relation_columns(reader: Reader, schema: str, table: str) -> list[tuple[str, str]]:
    """(name, type) in column order; [] when the relation is not there."""
    with reader.session(f"Cannot read the columns of {schema}.{table} from {reader.label}") as session:
        _, rows = session.fetch(
            "select column_name, data_type from information_schema.columns "
            "where lower(table_schema) = lower(?) and lower(table_name) = lower(?) order by ordinal_position",
            [schema, table],
        )
    return [(str(name), str(data_type).lower()) for name, data_type in rows]


def built_relation(reader: Reader, name: str) -> str | None:
    """The quoted schema.table of a built model (None: not built)."""
    with reader.session(f"Cannot look {name} up in {reader.label}") as session:
        _, rows = session.fetch(
            "select table_schema from information_schema.tables where lower(table_name) = lower(?) "
            f"and table_schema not in {_SYSTEM_SCHEMAS} order by table_schema",
            [name],
        )
    if not rows:
        return None
    schema = str(rows[0][0]).replace('"', '""')
    return f'"{schema}"."{name}"'


def all_columns(reader: Reader) -> list[tuple[str, str, str]]:
    """(schema, table, column) of every relation in the current database, in column order."""
    with reader.session(f"Cannot read the catalog of {reader.label}") as session:
        _, rows = session.fetch(
            "select table_schema, table_name, column_name from information_schema.columns "
            f"where table_catalog = current_database() and table_schema not in {_SYSTEM_SCHEMAS} "
            "order by table_schema, table_name, ordinal_position"
        )
    return [(str(schema), str(table), str(column)) for schema, table, column in rows]
