"""Keyword search over model SQL and schema YAML: lines as the editor numbers them, smart case,
YAML lines mapped to the model whose entry holds them, the cap said, unreadable files named."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.discover.grep import GrepResult, ModelSearch, entry_owners, shown_line
from tui.core.project.dbt_project import load_project
from tui.core.scan.scanner import scan_project

SCHEMA = """\
version: 2

models:
  - name: stg_orders
    description: Orders, one row per order.
    columns:
      # the key
      - name: order_id

  - name: stg_customers
    description: Customers; the Order count is in marts.

sources:
  - name: shop
    tables:
      - name: orders
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "dbt_project.yml").write_text("name: shop\nmodel-paths: ['models']\n")
    staging = tmp_path / "models" / "staging"
    staging.mkdir(parents=True)
    (staging / "stg_orders.sql").write_text("select\n    order_id,\n    ORDER_DATE\nfrom {{ source('shop', 'orders') }}\n")
    (staging / "stg_customers.sql").write_text("select customer_id\r\nfrom raw.customers\r\n")
    (staging / "_staging.yml").write_text(SCHEMA)
    return tmp_path


def search(root: Path, query: str, limit: int = 500) -> GrepResult:
    result = ModelSearch(root, scan_project(load_project(root))).search(query, limit)
    assert result is not None
    return result


def places(result: GrepResult) -> list[tuple[str, int]]:
    return [(hit.path, hit.line) for hit in result.hits]


def test_hits_name_the_file_and_line_in_path_order(project: Path) -> None:
    result = search(project, "customer")
    assert places(result) == [
        ("models/staging/_staging.yml", 10),
        ("models/staging/_staging.yml", 11),
        ("models/staging/stg_customers.sql", 1),
        ("models/staging/stg_customers.sql", 2),  # CRLF counted as one break
    ]
    first_sql = result.hits[2]
    assert first_sql.column == 8 and first_sql.text == "select customer_id"
    assert first_sql.text[slice(*first_sql.match)] == "customer"
    assert first_sql.model == "stg_customers" and first_sql.kind == "sql"
    assert result.summary() == "4 matching line(s) in 2 file(s)"


def test_lower_case_ignores_case_and_upper_case_does_not(project: Path) -> None:
    assert ("models/staging/stg_orders.sql", 3) in places(search(project, "order_date"))
    assert places(search(project, "ORDER")) == [("models/staging/stg_orders.sql", 3)]
    lowered = places(search(project, "order"))
    assert ("models/staging/_staging.yml", 11) in lowered  # "Order count"


def test_a_phrase_is_literal(project: Path) -> None:
    assert places(search(project, "{{ source(")) == [("models/staging/stg_orders.sql", 4)]
    assert search(project, "order id").total == 0
    assert search(project, "order id").summary() == "No match for 'order id' in 3 file(s)"


def test_yaml_lines_belong_to_the_entry_that_holds_them(project: Path) -> None:
    owners = {hit.line: hit.model for hit in search(project, "e").hits if hit.kind == "yaml"}
    assert owners[4] == "stg_orders"  # - name: stg_orders
    assert owners[7] == "stg_orders"  # a comment inside the entry
    assert owners[10] == owners[11] == "stg_customers"
    assert owners[1] is None and owners[13] is None  # version: and sources: are no model's
    assert owners[16] is None  # nor are a source table's lines


def test_trailing_comments_stay_outside_the_entry() -> None:
    lines = ["models:", "  - name: a", "    description: x", "", "  # about b", "  - name: b", "sources:"]
    assert entry_owners(lines, {2: "a", 6: "b"}) == (None, "a", "a", None, None, "b", None)


def test_the_cap_is_said_with_the_real_count(project: Path) -> None:
    result = search(project, "o", limit=3)
    assert len(result.hits) == 3
    assert result.total > 3
    assert result.summary().startswith(f"first 3 of {result.total} matching lines")


def test_an_undecodable_file_is_reported_as_skipped(project: Path) -> None:
    (project / "models" / "staging" / "stg_latin.sql").write_bytes("select 'café' as customer".encode("latin-1"))
    result = search(project, "customer")
    assert [skipped.path for skipped in result.skipped] == ["models/staging/stg_latin.sql"]
    assert "not UTF-8: byte 0xE9" in result.skipped[0].reason
    assert "skipped models/staging/stg_latin.sql (not UTF-8" in result.summary()
    assert "models/staging/stg_latin.sql" not in {hit.path for hit in result.hits}


def test_an_empty_query_finds_nothing_but_counts_the_files(project: Path) -> None:
    result = search(project, "  ")
    assert result.hits == () and result.summary() == "3 file(s) to search"


def test_a_cancelled_search_gives_none(project: Path) -> None:
    assert ModelSearch(project, scan_project(load_project(project))).search("o", cancelled=lambda: True) is None


def test_long_lines_are_cut_around_the_match() -> None:
    line = "    " + "x" * 300 + "needle" + "y" * 300
    text, (start, end) = shown_line(line, 304, 310, width=60)
    assert text[start:end] == "needle"
    assert text.startswith("…") and text.endswith("…") and len(text) == 62
