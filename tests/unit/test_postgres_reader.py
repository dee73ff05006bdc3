"""The Postgres reader's connection, made from a dbt-postgres target (no server needed here)."""

from __future__ import annotations

import pytest

from tui.core.errors import WorkbenchError
from tui.core.warehouse.postgres_reader import PostgresReader


def test_the_connection_is_read_only_and_takes_the_targets_settings() -> None:
    reader = PostgresReader.from_settings({"host": "db", "port": "6543", "user": "me", "pass": "s3cret", "dbname": "analytics", "sslmode": "require"})
    options = reader.parameters.pop("options")
    assert "default_transaction_read_only=on" in options and "statement_timeout=" in options
    assert reader.parameters == {"host": "db", "port": 6543, "user": "me", "dbname": "analytics", "connect_timeout": 10,
                                 "application_name": "dbt-workbench", "password": "s3cret", "sslmode": "require"}
    assert reader.label == "Postgres analytics@db:6543"


def test_a_port_the_workbench_cannot_read_is_said_not_raised_as_a_crash() -> None:
    with pytest.raises(WorkbenchError, match="port or connect_timeout is not a number"):
        PostgresReader.from_settings({"host": "db", "user": "me", "port": "{{ env_var('PGPORT') | int }}"})
    with pytest.raises(WorkbenchError, match="gives no host"):
        PostgresReader.from_settings({"user": "me"})
