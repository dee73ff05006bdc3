"""Rows as JSON lines between the warm dbt worker and the app, each value keeping its kind.

A read answered by the worker (tui.core.warehouse.through_dbt) crosses a pipe as JSON. Plain
JSON would turn a Decimal into a float (losing digits), a timestamp into text and a Spark array
into a list the app could not tell from a string; so those travel tagged, {"$": kind, "v": text},
and come back as the same Python values a reader of our own would have returned.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Iterable

_TAG = "$"


def encode_value(value: object) -> Any:
    """A JSON-ready form of one cell."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Decimal):
        return {_TAG: "decimal", "v": str(value)}
    if isinstance(value, dt.datetime):
        return {_TAG: "datetime", "v": value.isoformat()}
    if isinstance(value, dt.date):
        return {_TAG: "date", "v": value.isoformat()}
    if isinstance(value, dt.time):
        return {_TAG: "time", "v": value.isoformat()}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {_TAG: "bytes", "v": bytes(value).hex()}
    if isinstance(value, dict):
        return {_TAG: "map", "v": [[encode_value(k), encode_value(v)] for k, v in value.items()]}
    if isinstance(value, (list, tuple)):
        return [encode_value(item) for item in value]
    return str(value)


def decode_value(value: Any) -> object:
    """The Python value `encode_value` was given (a tuple comes back as a list)."""
    if isinstance(value, list):
        return [decode_value(item) for item in value]
    if not isinstance(value, dict):
        return value
    kind, text = value.get(_TAG), value.get("v")
    if kind == "decimal":
        return Decimal(text)
    if kind == "datetime":
        return dt.datetime.fromisoformat(text)
    if kind == "date":
        return dt.date.fromisoformat(text)
    if kind == "time":
        return dt.time.fromisoformat(text)
    if kind == "bytes":
        return bytes.fromhex(text)
    if kind == "map":
        return {_hashable(decode_value(k)): decode_value(v) for k, v in text}
    return value


def _hashable(key: object) -> object:
    """A map's key that came back as a list (Spark allows array keys) as a tuple."""
    return tuple(_hashable(item) for item in key) if isinstance(key, list) else key


def encode_rows(rows: Iterable[Iterable[object]]) -> list[list[Any]]:
    return [[encode_value(cell) for cell in row] for row in rows]


def decode_rows(rows: Iterable[Iterable[Any]]) -> list[tuple]:
    return [tuple(decode_value(cell) for cell in row) for row in rows]
