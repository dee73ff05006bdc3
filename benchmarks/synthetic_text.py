"""How the generated files of the synthetic dbt project read: the SQL bodies and the YAML.

`synthetic.py` decides which models exist and how they connect; this module only turns those
choices into text. Rendering is plain string building (fast and exact), so the same inputs and
the same random stream always give byte-identical files.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

LAYER_FOLDERS = {"stg_": "staging", "int_": "intermediate", "fct_": "marts", "dim_": "marts"}
COLUMN_DOC_SHARE = 0.5
UNDOCUMENTED_EVERY = 20  # every 20th model has no YAML entry, as in real projects

STATUS_VALUES = ("active", "inactive", "pending", "closed")
PURPOSES = (
    "Used by finance for the monthly close and by the analytics team for cohort reporting.",
    "Feeds the operations dashboards; refreshed every hour by the scheduled job.",
    "Owned by the data platform team; ask in #data-help before changing the grain.",
    "Reused by several downstream marts, so keep the column names stable.",
    "Grain and keys were agreed with the business owners during the last modelling review.",
)


@dataclass
class Column:
    name: str
    sql_type: str
    description: str


@dataclass
class SourceTable:
    source: str
    table: str
    entity: str
    columns: list[Column]
    fks: list[str]  # <entity>_id columns pointing at other tables of the same domain


@dataclass
class Model:
    name: str
    prefix: str
    domain: str
    columns: list[Column]
    pk: str
    refs: list[str] = field(default_factory=list)
    sql: str = ""

    @property
    def folder(self) -> str:
        return f"models/{LAYER_FOLDERS[self.prefix]}/{self.domain}"


# ---------------------------------------------------------------- SQL bodies


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def staging_sql(table: SourceTable, columns: list[Column]) -> str:
    casts = ",\n".join(f'        cast("{_camel(c.name)}" as {c.sql_type}) as {c.name}' for c in columns)
    return f"""with source as (

    select * from {{{{ source('{table.source}', '{table.table}') }}}}

),

renamed as (

    select
{casts}
    from source

),

filtered as (

    select *
    from renamed
    where {columns[0].name} is not null

)

select * from filtered
"""


def _input_ctes(inputs: list[Model]) -> str:
    return ",\n\n".join(
        f"input_{n} as (\n    select * from {{{{ ref('{m.name}') }}}}\n)" for n, m in enumerate(inputs)
    )


def _joins(inputs: list[Model]) -> str:
    lines = ["    from input_0"]
    for n, model in enumerate(inputs[1:], start=1):
        lines.append(f"    left join input_{n}\n        on input_0.{model.pk} = input_{n}.{model.pk}")
    return "\n".join(lines)


def derived_sql(inputs: list[Model], pairs: list[tuple[str, Column]]) -> str:
    select = ",\n".join(f"        {alias}.{c.name}" for alias, c in pairs)
    return f"""with

{_input_ctes(inputs)},

joined as (

    select
{select}
{_joins(inputs)}

)

select * from joined
"""


def fact_sql(inputs: list[Model], pairs: list[tuple[str, Column]]) -> str:
    """A derived model with one more CTE that counts rows per key, as facts often do."""
    head = derived_sql(inputs, pairs).removesuffix("select * from joined\n")
    key = pairs[0][1].name
    return f"""{head.rstrip()},

final as (

    select
        joined.*,
        count(*) over (partition by {key}) as row_count
    from joined

)

select * from final
"""


# ---------------------------------------------------------------- YAML (rendered as text: fast, exact)


def _description(rng: random.Random, model: Model) -> str:
    layer = LAYER_FOLDERS[model.prefix]
    upstream = ", ".join(model.refs) if model.refs else "its source table"
    return (f"{layer.capitalize()} model of the {model.domain} domain, one row per "
            f"{model.pk[:-3]}. Built from {upstream}. {rng.choice(PURPOSES)}")


def _column_yaml(model: Model, column: Column) -> list[str]:
    lines = [f"      - name: {column.name}", f'        description: "{column.description}"']
    tests = _column_tests(model, column)
    if tests:
        lines.append("        data_tests:")
        lines.extend(tests)
    return lines


def _column_tests(model: Model, column: Column) -> list[str]:
    if column.name == model.pk:
        return ["          - unique", "          - not_null"] if model.prefix != "fct_" else ["          - not_null"]
    if column.name == "status":
        values = ", ".join(f"'{v}'" for v in STATUS_VALUES)
        return ["          - accepted_values:", "              arguments:", f"                values: [{values}]"]
    return []


def model_entry_yaml(rng: random.Random, model: Model) -> str:
    lines = [f"  - name: {model.name}", f'    description: "{_description(rng, model)}"']
    lines.append("    columns:")
    for column in model.columns:  # the key always, most other columns, as in real projects
        if column.name == model.pk or rng.random() < COLUMN_DOC_SHARE:
            lines.extend(_column_yaml(model, column))
    return "\n".join(lines) + "\n"


def models_yaml(rng: random.Random, models: list[Model]) -> str:
    entries = [model_entry_yaml(rng, m) for i, m in enumerate(models) if i % UNDOCUMENTED_EVERY != 7]
    return "version: 2\n\nmodels:\n" + "\n".join(entries)


def sources_yaml(sources: dict[str, list[SourceTable]]) -> str:
    lines = ["version: 2", "", "sources:"]
    for domain, tables in sources.items():
        if not tables:
            continue
        lines += [f"  - name: raw_{domain}", f"    schema: raw_{domain}",
                  f'    description: "Raw tables loaded from the {domain} system by the loader."',
                  "    tables:"]
        for table in tables:
            lines += [f"      - name: {table.table}",
                      f'        description: "Raw {table.entity} records, one row per change."']
    return "\n".join(lines) + "\n"
