"""Dress a synthetic project in the shapes real projects have, so benchmarks meet them too.

Real projects are not the tidy synthetic one: models build their CTEs with a project macro from
`(name, model)` tuples, call dispatched macros and an installed package's, cast with
`dbt.type_string()`, read `var()`s with defaults from dbt_project.yml, carry a disabled legacy
folder, mix in warehouse syntax (Snowflake `:` paths) and, now and then, read a raw table. They
also declare far more sources than they have staging models (one 235-model project had 655), in big
shared YAML files, and nest marts folders deep. This rewrites a freshly generated project in place, seeded, so the same input gives the same files.

    python benchmarks/real_shapes.py DIR --models 2000
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import make_project  # noqa: E402

MACROS = {
    "macros/simple_cte.sql": """\
{% macro simple_cte(pairs) -%}
with
{%- for cte_name, model_name in pairs %}
{{ cte_name }} as (
    select * from {{ ref(model_name) }}
){{ "," if not loop.last }}
{%- endfor %}
{%- endmacro %}
""",
    "macros/money.sql": """\
{% macro cents_to_dollars(column_name, scale=2) -%}
    {{ return(adapter.dispatch('cents_to_dollars', 'synthetic')(column_name, scale)) }}
{%- endmacro %}

{% macro default__cents_to_dollars(column_name, scale) -%}
    round(cast({{ column_name }} as numeric(16, {{ scale }})) / 100, {{ scale }})
{%- endmacro %}
""",
    "dbt_packages/tiny_utils/dbt_project.yml": "name: tiny_utils\nversion: '0.1.0'\n",
    "dbt_packages/tiny_utils/macros/keys.sql": """\
{% macro surrogate_key(fields) -%}
    md5({% for field in fields %}coalesce(cast({{ field }} as {{ dbt.type_string() }}), ''){{ " || '-' || " if not loop.last }}{% endfor %})
{%- endmacro %}
""",
}

PROJECT_VARS = """
vars:
  lookback_days: 3
  use_legacy: "false"
"""
LEGACY_FOLDER = "    legacy:\n      +enabled: false\n"

_INPUT_CTE = re.compile(r"input_(\d+) as \(\n    select \* from \{\{ ref\('([a-z0-9_]+)'\) \}\}\n\)")
_WITH_INPUTS = re.compile(r"\Awith\n\n((?:input_\d+ as \(\n    select \* from \{\{ ref\('[a-z0-9_]+'\) \}\}\n\),?\n*)+)", re.M)


def _macro_ctes(sql: str) -> str:
    """`with input_0 as (select * from ref(...)), ...` becomes `{{ simple_cte([...]) }},`."""
    match = _WITH_INPUTS.match(sql)
    if match is None:
        return sql
    pairs = ", ".join(f"('input_{n}', '{model}')" for n, model in _INPUT_CTE.findall(match.group(1)))
    return "{{ simple_cte([" + pairs + "]) }},\n\n" + sql[match.end():]


def _cross_database_casts(sql: str) -> str:
    sql = sql.replace(" as varchar)", " as {{ dbt.type_string() }})")
    return sql.replace(" as timestamp)", " as {{ dbt.type_timestamp() }})")


def _snowflake_path(sql: str) -> str:
    return sql.replace("    from source\n", "        , _loaded:meta.origin::string as origin\n    from source\n", 1)


def _vars_filter(sql: str) -> str:
    return sql.replace("where ", "where {{ var('lookback_days') + 1 }} > 0 and ", 1)


def _hard_coded(sql: str) -> str:
    return sql.replace("select * from final\n", "select * from final\njoin raw.audit_log using (row_count)\n", 1)


def dress(root: Path, seed: int = 11) -> dict[str, int]:
    """Rewrite the project at root; returns how many models got each shape."""
    rng = random.Random(seed)
    for rel, text in MACROS.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    settings = (root / "dbt_project.yml").read_text(encoding="utf-8")
    settings = settings.replace("models:\n  synthetic:\n", "models:\n  synthetic:\n" + LEGACY_FOLDER, 1)
    (root / "dbt_project.yml").write_text(settings + PROJECT_VARS, encoding="utf-8")
    counts = {"macro_ctes": 0, "type_macros": 0, "snowflake_paths": 0, "vars": 0, "hard_coded": 0, "legacy": 0}
    for path in sorted((root / "models").rglob("*.sql")):
        sql = path.read_text(encoding="utf-8")
        roll = rng.random()
        if path.name.startswith("stg_"):
            if roll < 0.3:
                sql, counts["type_macros"] = _cross_database_casts(sql), counts["type_macros"] + 1
            elif roll < 0.4:
                sql, counts["snowflake_paths"] = _snowflake_path(sql), counts["snowflake_paths"] + 1
            elif roll < 0.5:
                sql, counts["vars"] = _vars_filter(sql), counts["vars"] + 1
        elif roll < 0.4:
            sql, counts["macro_ctes"] = _macro_ctes(sql), counts["macro_ctes"] + 1
        elif roll < 0.42 and path.name.startswith("fct_"):
            sql, counts["hard_coded"] = _hard_coded(sql), counts["hard_coded"] + 1
        path.write_text(sql, encoding="utf-8")
    legacy = root / "models" / "legacy"
    legacy.mkdir()
    for index in range(max(1, len(list((root / "models").rglob("*.sql"))) // 100)):
        (legacy / f"legacy_report_{index}.sql").write_text(f"select * from raw.old_report_{index}\n", encoding="utf-8")
        counts["legacy"] += 1
    return counts


SOURCES_PER_MODEL = 2.8
DEEP_FOLDERS = ("finance/reporting/daily", "finance/reporting/monthly", "product/usage/sessions", "ops/support/queues")


def _extra_sources_yaml(rng: random.Random, tables: int) -> str:
    """One big shared sources file: many schemas, many tables, every table with columns."""
    lines = ["version: 2", "", "sources:"]
    per_schema = 40
    for schema in range(0, tables, per_schema):
        lines += [f"  - name: ext_{schema // per_schema:03d}", f"    schema: landing_{schema // per_schema:03d}",
                  "    description: Landing tables loaded by the replication tool.", "    tables:"]
        for index in range(schema, min(tables, schema + per_schema)):
            lines += [f"      - name: feed_{index:05d}", f"        description: Feed number {index}.", "        columns:"]
            for column in range(rng.randint(8, 30)):
                lines += [f"          - name: field_{column:02d}", f"            description: Field {column} of feed {index}."]
    return "\n".join(lines) + "\n"


def _nest_marts(root: Path, rng: random.Random) -> int:
    """Move a third of the marts models (SQL only; their YAML stays shared) into deep folders."""
    moved = 0
    for path in sorted((root / "models").rglob("*.sql")):
        if path.name.startswith(("fct_", "dim_")) and rng.random() < 0.33:
            target = path.parent / rng.choice(DEEP_FOLDERS) / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            path.rename(target)
            moved += 1
    return moved


def add_many_sources_and_deep_folders(root: Path, seed: int = 13) -> dict[str, int]:
    rng = random.Random(seed)
    models = sum(1 for _ in (root / "models").rglob("*.sql"))
    tables = int(models * SOURCES_PER_MODEL)
    folder = root / "models" / "sources"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "_landing_sources.yml").write_text(_extra_sources_yaml(rng, tables), encoding="utf-8")
    return {"extra_source_tables": tables, "nested_marts": _nest_marts(root, rng)}


def make_real_shaped_project(root: Path, models: int, seed: int = 7) -> dict[str, int]:
    make_project(root, models, seed)
    return {**dress(root), **add_many_sources_and_deep_folders(root)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic project dressed in real projects' shapes.")
    parser.add_argument("dir", type=Path, help="folder to create (must be empty or missing)")
    parser.add_argument("--models", type=int, default=2000)
    args = parser.parse_args(argv)
    counts = make_real_shaped_project(args.dir, args.models)
    print(f"wrote {args.models} models to {args.dir}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
