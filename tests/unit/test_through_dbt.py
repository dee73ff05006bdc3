"""Reads of a target the workbench has no reader of its own for (Spark): the cells' JSON form
between the worker and the app, parameters written as literals, the reader's errors and the
choice of reader (tui.core.warehouse.row_codec, through_dbt, reader)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.errors import WorkbenchError
from tui.core.project.profiles import Connection
from tui.core.warehouse.reader import read_through_dbt, reader_for, worker_warm_up
from tui.core.warehouse.row_codec import decode_rows, encode_rows
from tui.core.warehouse.through_dbt import (
    ShowReader,
    literal,
    offer_dbt_reads,
    offered_dbt_reads,
    with_parameters,
    withdraw_dbt_reads,
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.datetimes(),
    st.dates(),
    st.times(),
    st.binary(),
)
cells = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=4), inner, max_size=3)),
    max_leaves=8,
)


@given(st.lists(st.lists(cells, min_size=1, max_size=4), max_size=4))
def test_cells_cross_the_pipe_as_json_and_come_back_the_same(rows: list[list[object]]) -> None:
    sent = json.dumps(encode_rows(rows))
    assert decode_rows(json.loads(sent)) == [tuple(row) for row in rows]


def test_a_decimal_keeps_its_digits_and_a_timestamp_its_kind() -> None:
    [(amount, opened)] = decode_rows(json.loads(json.dumps(encode_rows([(Decimal("12345678901234567890.12"), dt.datetime(2026, 1, 2, 3, 4, 5))]))))
    assert amount == Decimal("12345678901234567890.12") and isinstance(opened, dt.datetime)


def spark(**settings: str) -> Connection:
    return Connection("demo", "spark", "spark", None, None, None, tuple(settings.items()))


def test_literals_follow_the_adapters_quoting() -> None:
    assert literal("it's", "postgres") == "'it''s'"
    assert literal("it's a \\ path", "spark") == "'it\\'s a \\\\ path'"
    assert [literal(v, "spark") for v in (None, True, 3, Decimal("1.50"))] == ["null", "true", "3", "1.50"]
    assert with_parameters("select ? = ?", ["a?b", 2], "spark") == "select 'a?b' = 2"
    assert with_parameters("select 1", [], "spark") == "select 1"
    with pytest.raises(WorkbenchError, match="2 placeholders for 1 values"):
        with_parameters("select ?, ?", [1], "spark")


def test_a_read_the_worker_refuses_names_what_was_being_read() -> None:
    def refused(sql: str):
        raise WorkbenchError(f"[TABLE_OR_VIEW_NOT_FOUND] in {sql}")

    reader = ShowReader("spark", refused)
    assert reader.label == "the spark target (read through dbt)"
    assert reader.distinct_values("priority") == "collect_set(priority)"
    assert ShowReader("trino", refused).distinct_values("x") == "array_agg(distinct x)"
    with pytest.raises(WorkbenchError, match=r"^Previewing: \[TABLE_OR_VIEW_NOT_FOUND\] in select 'x'$"):
        with reader.session("Previewing") as session:
            session.fetch("select ?", ["x"])


def test_a_session_with_no_row_says_so() -> None:
    reader = ShowReader("spark", lambda sql: ([("n", "int")], []))
    with pytest.raises(WorkbenchError, match="counting: the query gave no row"):
        with reader.session("counting") as session:
            session.one("select 1 where false")


def test_a_target_without_a_reader_of_ours_is_read_through_the_offered_worker() -> None:
    connection = spark(method="session", host="NA")
    assert read_through_dbt(connection) and worker_warm_up(connection) == "tui.core.warehouse.spark_session"
    assert worker_warm_up(spark(method="thrift", host="spark.example")) is None  # a server: nothing to start
    assert offered_dbt_reads() is None
    with pytest.raises(WorkbenchError, match="A spark target is read through the app's warm dbt worker, which is not running here"):
        reader_for(connection)

    def read(sql: str):
        return [("one", "int")], [(1,)]

    offer_dbt_reads(read)
    try:
        reader = reader_for(connection)
        with reader.session("reading") as session:
            assert session.one("select 1") == (1,)
    finally:
        withdraw_dbt_reads(read)
    assert offered_dbt_reads() is None


def test_duckdb_and_postgres_are_read_directly_and_a_broken_profile_by_neither() -> None:
    duck = Connection("demo", "dev", "duckdb", None, None, None)
    assert not read_through_dbt(duck) and worker_warm_up(duck) is None
    broken = Connection(None, None, None, None, None, "no profiles.yml was found")
    assert not read_through_dbt(broken)
    with pytest.raises(WorkbenchError, match="The warehouse cannot be read: no profiles.yml"):
        reader_for(broken)


def test_each_reader_quotes_names_as_its_warehouse_does() -> None:
    from tui.core.warehouse.duckdb_catalog import DuckDBReader

    def never(sql: str):
        raise AssertionError(sql)

    assert DuckDBReader(Path("x.duckdb")).quote('Opened "At"') == '"Opened ""At"""'
    assert ShowReader("spark", never).quote("opened`at") == "`opened``at`" and ShowReader("spark", never).catalog == "spark"
    assert ShowReader("snowflake", never).quote("x") == '"x"' and ShowReader("snowflake", never).catalog == "information_schema"


def test_the_finder_is_told_why_a_spark_catalog_is_not_read_whole() -> None:
    from tui.core.warehouse.catalog import all_columns

    def never(sql: str):
        raise AssertionError(sql)

    with pytest.raises(WorkbenchError, match=r"the spark target \(read through dbt\) has no information_schema"):
        all_columns(ShowReader("spark", never))


def test_a_map_with_array_keys_comes_back_with_tuple_keys() -> None:
    [(mapped,)] = decode_rows(json.loads(json.dumps(encode_rows([({(1, 2): "a", (3,): "b"},)]))))
    assert mapped == {(1, 2): "a", (3,): "b"}
