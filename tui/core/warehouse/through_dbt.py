"""Reads of a target no reader of ours opens (Spark; any adapter but DuckDB and Postgres), sent
to the app's warm dbt worker, which runs each one with the project's own adapter.

The worker (tui.core.jobs.warm_worker) holds dbt, the profile and, for Spark, the session: a
read there costs what the query costs, where a dbt process of its own would start a JVM first.
The app's job runner offers its worker's `read` while it runs (`offer_dbt_reads`); `reader_for`
hands out a `ShowReader` over it. Reads take their turn with jobs in the worker, one at a time.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from decimal import Decimal
from typing import Callable, Iterator, Sequence

from tui.core.errors import WorkbenchError
from tui.core.warehouse.reader import double_quoted

DbtRead = Callable[[str], tuple[list[tuple[str, str]], list[tuple]]]
"""Runs one query; (column name, type name) of each output column and the rows, or a
WorkbenchError saying why not."""

_offered: list[DbtRead] = []
_offered_lock = threading.Lock()

_DISTINCT = {
    "spark": "collect_set({})",
    "databricks": "collect_set({})",
    "bigquery": "array_agg(distinct {} ignore nulls)",
}
_BACKSLASH_ESCAPES = frozenset({"spark", "databricks", "bigquery", "snowflake"})
"""Adapters whose string literals take backslash escapes (there, '' is two literals)."""
_BACKTICKS = frozenset({"spark", "databricks", "bigquery"})
"""Adapters that quote names with backticks (there, "x" is a string)."""
_SPARK_CATALOG = frozenset({"spark"})
"""Adapters without information_schema (Databricks with Unity Catalog has one)."""


def offer_dbt_reads(read: DbtRead) -> None:
    """`read` answers reads from now on (the newest offer wins)."""
    with _offered_lock:
        _offered.append(read)


def withdraw_dbt_reads(read: DbtRead) -> None:
    with _offered_lock:
        if read in _offered:
            _offered.remove(read)


def offered_dbt_reads() -> DbtRead | None:
    with _offered_lock:
        return _offered[-1] if _offered else None


def literal(value: object, adapter: str) -> str:
    """`value` written into SQL text (a read through dbt takes no bind parameters)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    text = str(value)
    if adapter in _BACKSLASH_ESCAPES:
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return "'" + text.replace("'", "''") + "'"


def with_parameters(sql: str, parameters: Sequence[object], adapter: str) -> str:
    """Each `?` replaced by the next parameter as a literal."""
    if not parameters:
        return sql
    pieces = sql.split("?")
    if len(pieces) - 1 != len(parameters):
        raise WorkbenchError(f"The query has {len(pieces) - 1} placeholders for {len(parameters)} values.")
    written = [pieces[0]]
    for value, piece in zip(parameters, pieces[1:]):
        written += [literal(value, adapter), piece]
    return "".join(written)


class ShowSession:
    def __init__(self, read: DbtRead, adapter: str) -> None:
        self._read = read
        self._adapter = adapter

    def fetch(self, sql: str, parameters: Sequence[object] = ()) -> tuple[list[tuple[str, str]], list[tuple]]:
        return self._read(with_parameters(sql, parameters, self._adapter))

    def one(self, sql: str, parameters: Sequence[object] = ()) -> tuple:
        _, rows = self.fetch(sql, parameters)
        if not rows:
            raise WorkbenchError("the query gave no row")
        return rows[0]


class ShowReader:
    """A target's reads, run by the warm dbt worker with the target's own adapter."""

    def __init__(self, adapter: str, read: DbtRead) -> None:
        self.adapter = adapter
        self._read = read
        self.label = f"the {adapter} target (read through dbt)"

    @contextmanager
    def session(self, failed: str) -> Iterator[ShowSession]:
        try:
            yield ShowSession(self._read, self.adapter)
        except WorkbenchError as error:
            raise WorkbenchError(f"{failed}: {error}") from None

    def distinct_values(self, expression: str) -> str:
        return _DISTINCT.get(self.adapter, "array_agg(distinct {})").format(expression)

    def quote(self, identifier: str) -> str:
        if self.adapter in _BACKTICKS:
            return "`" + identifier.replace("`", "``") + "`"
        return double_quoted(identifier)

    @property
    def catalog(self) -> str:
        return "spark" if self.adapter in _SPARK_CATALOG else "information_schema"
