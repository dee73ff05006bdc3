"""One read-only query run with the project's own dbt adapter, in a job the warm worker forked:
how the app reads a target it has no reader of its own for (tui.core.warehouse.through_dbt).

The query goes through `dbt show --inline-direct` (no Jinja, no manifest), so dbt connects with
the profile exactly as a job would. What the adapter's cursor returned is taken as it comes, the
column types as the cursor names them and the values unconverted, where `dbt show` would turn
them into an agate table and then text.
"""

from __future__ import annotations

from typing import Any

from tui.core.jobs.problems import first_lines
from tui.core.warehouse.row_codec import encode_rows


def read_args(sql: str) -> list[str]:
    """dbt's arguments for one read (the query carries its own limit)."""
    return ["show", "--inline-direct", sql, "--limit", "-1", "--output", "json", "--log-format", "json", "--no-use-colors", "--quiet"]


def run_read(runner_class: Any, args: list[str]) -> dict:
    """{"columns": [[name, type]...], "rows": [...]} or {"problem": why}, for the answer line."""
    captured = _capture_cursor_results()
    result = runner_class().invoke(args)
    if not result.success or not captured:
        said = str(result.exception) if result.exception is not None else (
            "this adapter does not fetch through dbt's SQL connection manager, so the workbench cannot read its rows")
        return {"problem": first_lines(said, 4, skipping=frozenset({"Runtime Error"})) or said.strip()}
    described, rows = captured[-1]
    return {"columns": described, "rows": encode_rows(rows)}


def _capture_cursor_results() -> list:
    """From now on (this process only), each fetch through a dbt SQL adapter keeps the cursor's
    description and raw rows here, and hands dbt an empty table in their place."""
    from dbt.adapters.sql.connections import SQLConnectionManager
    from dbt_common.clients.agate_helper import table_from_data_flat

    captured: list = []

    def keep(cls, cursor, limit):  # noqa: ANN001 - dbt's own signature
        description = cursor.description
        rows = (cursor.fetchmany(limit) if limit else cursor.fetchall()) if description is not None else []
        described = [[str(column[0]), _type_name(column[1])] for column in description or ()]
        captured.append((described, [tuple(row) for row in rows]))
        return table_from_data_flat([], [name for name, _ in described])

    SQLConnectionManager.get_result_from_cursor = classmethod(keep)
    return captured


def _type_name(type_code: object) -> str:
    """The cursor's name for a column type when it gives one as text (Spark: `decimal(12,2)`);
    other drivers give numbers of their own, which mean nothing here."""
    return type_code.lower() if isinstance(type_code, str) else ""

