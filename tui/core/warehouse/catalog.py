"""What the warehouse holds: the columns of one relation, the schema a model was built in, every
built relation's columns. Asked through information_schema where the warehouse has one (DuckDB,
Postgres and most others share it); Spark has none, so there `show tables` finds a relation and
an empty select describes it (the cursor's column types)."""

from __future__ import annotations

from tui.core.errors import WorkbenchError
from tui.core.warehouse.reader import Reader, Session

_SYSTEM_SCHEMAS = "('information_schema', 'pg_catalog', 'pg_toast')"


def relation_columns(reader: Reader, schema: str, table: str) -> list[tuple[str, str]]:
    """(name, type) in column order; [] when the relation is not there."""
    with reader.session(f"Cannot read the columns of {schema}.{table} from {reader.label}") as session:
        if reader.catalog == "spark":
            if not _spark_has_table(session, schema, table):
                return []
            columns, _ = session.fetch(f"select * from {reader.quote(schema)}.{reader.quote(table)} limit 0")
            return [(str(name), str(data_type).lower()) for name, data_type in columns]
        _, rows = session.fetch(
            "select column_name, data_type from information_schema.columns "
            "where lower(table_schema) = lower(?) and lower(table_name) = lower(?) order by ordinal_position",
            [schema, table],
        )
    return [(str(name), str(data_type).lower()) for name, data_type in rows]


def built_relation(reader: Reader, name: str) -> str | None:
    """The quoted schema.table of a built model (None: not built)."""
    with reader.session(f"Cannot look {name} up in {reader.label}") as session:
        if reader.catalog == "spark":
            schemas = [schema for schema in _spark_schemas(session) if _spark_has_table(session, schema, name)]
        else:
            _, rows = session.fetch(
                "select table_schema from information_schema.tables where lower(table_name) = lower(?) "
                f"and table_schema not in {_SYSTEM_SCHEMAS} order by table_schema",
                [name],
            )
            schemas = [str(row[0]) for row in rows]
    if not schemas:
        return None
    return f"{reader.quote(schemas[0])}.{reader.quote(name)}"


def all_columns(reader: Reader) -> list[tuple[str, str, str]]:
    """(schema, table, column) of every relation in the current database, in column order."""
    if reader.catalog != "information_schema":
        raise WorkbenchError(f"{reader.label} has no information_schema, and describing every relation one by one is not done")
    with reader.session(f"Cannot read the catalog of {reader.label}") as session:
        _, rows = session.fetch(
            "select table_schema, table_name, column_name from information_schema.columns "
            f"where table_catalog = current_database() and table_schema not in {_SYSTEM_SCHEMAS} "
            "order by table_schema, table_name, ordinal_position"
        )
    return [(str(schema), str(table), str(column)) for schema, table, column in rows]


def _spark_schemas(session: Session) -> list[str]:
    _, rows = session.fetch("show databases")
    return sorted(str(row[0]) for row in rows)


def _spark_has_table(session: Session, schema: str, table: str) -> bool:
    """Spark's `show tables` takes a pattern (`*`, `|`), so the names are compared here instead."""
    _, rows = session.fetch(f"show tables in `{schema.replace('`', '``')}`")
    return any(str(row[1]).lower() == table.lower() for row in rows)
