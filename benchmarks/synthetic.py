"""Generate a synthetic layered dbt project of any size, to benchmark the scan and the model tree.

The project looks like a real one at scale: sources declared in YAML, `stg_` models that clean one
source each, `int_` models that join staging models, `fct_`/`dim_` marts on top, 20-60 line SQL
bodies with CTEs, and a shared `_models.yml` per domain folder holding many documented and tested
entries (about 70 files and 5 MB of YAML at 5,000 models). Lineage only points down the layers, so
it is acyclic and `dbt ls` parses it. The same (models, seed) always gives byte-identical files.

    python benchmarks/synthetic.py DIR --models 5000
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from synthetic_text import (
    Column,
    Model,
    SourceTable,
    derived_sql,
    fact_sql,
    models_yaml,
    sources_yaml,
    staging_sql,
)

MODELS_PER_DOMAIN = 217  # 23 domains, hence 69 `_models.yml` + 1 sources file, at 5,000 models
SOURCE_SHARE = 0.02
LAYER_SHARES = {"stg_": 0.40, "int_": 0.30}  # marts take the rest, half fct_ and half dim_

DOMAINS = (
    "billing", "crm", "finance", "marketing", "sales", "support", "inventory", "logistics",
    "hr", "payroll", "product", "web", "mobile", "ads", "risk", "compliance", "procurement",
    "legal", "partners", "search", "growth", "catalog", "shipping", "returns", "loyalty",
    "pricing", "fraud", "identity", "messaging", "surveys",
)
ENTITIES = (
    "customer", "order", "invoice", "payment", "account", "contact", "ticket", "product",
    "shipment", "refund", "subscription", "campaign", "lead", "session", "event", "employee",
    "vendor", "contract", "claim", "review", "coupon", "warehouse", "address", "device",
)
# (snake name, SQL type, description template); {e} is the entity the column belongs to.
ATTRIBUTES = (
    ("status", "varchar", "Current lifecycle status of the {e}, as reported by the source."),
    ("created_at", "timestamp", "When the {e} was first recorded in the source system (UTC)."),
    ("updated_at", "timestamp", "When the {e} was last changed in the source system (UTC)."),
    ("amount", "decimal(18, 2)", "Gross amount of the {e} in its original currency."),
    ("currency_code", "varchar", "ISO 4217 code of the currency the {e} is expressed in."),
    ("country_code", "varchar", "ISO 3166 two-letter country of the {e}."),
    ("is_active", "boolean", "True while the {e} is live and counted in reporting."),
    ("channel", "varchar", "Channel through which the {e} arrived (web, app, partner, phone)."),
    ("quantity", "integer", "Number of units attached to the {e}."),
    ("priority", "integer", "Priority of the {e}; 1 is the most urgent."),
    ("region", "varchar", "Sales region the {e} is attributed to."),
    ("email", "varchar", "Contact e-mail address stored on the {e}; personal data."),
    ("display_name", "varchar", "Human-readable name of the {e} shown in the back office."),
    ("category", "varchar", "Business category of the {e}, from the product taxonomy."),
    ("score", "double", "Model score between 0 and 1 computed for the {e}."),
    ("notes", "varchar", "Free-text notes typed by operators about the {e}."),
    ("closed_at", "timestamp", "When the {e} was closed; null while it is open."),
    ("due_date", "date", "Date by which the {e} is due."),
    ("discount_amount", "decimal(18, 2)", "Discount granted on the {e}, in its currency."),
    ("tax_amount", "decimal(18, 2)", "Tax charged on the {e}, in its currency."),
    ("source_system", "varchar", "Name of the upstream system the {e} was loaded from."),
    ("external_ref", "varchar", "Identifier of the {e} in the partner's system."),
    ("owner_name", "varchar", "Name of the employee who owns the {e}."),
    ("record_version", "integer", "Version counter of the {e}, incremented on every change."),
    ("is_deleted", "boolean", "True when the {e} was soft-deleted upstream."),
    ("loaded_at", "timestamp", "When the loader last wrote this {e} row into the warehouse."),
    ("segment", "varchar", "Customer segment the {e} belongs to (smb, mid, enterprise)."),
    ("language_code", "varchar", "Language of the {e}, as an IETF tag."),
)
INT_VERBS = ("enriched", "joined", "deduplicated", "aggregated", "windowed", "unioned", "pivoted")
FCT_NOUNS = ("events", "daily", "transactions", "snapshots", "activity", "lines")


def layer_counts(models: int) -> dict[str, int]:
    """How many models of each prefix a project of this size gets (the tests check it)."""
    stg = round(models * LAYER_SHARES["stg_"])
    inter = round(models * LAYER_SHARES["int_"])
    marts = models - stg - inter
    return {"stg_": stg, "int_": inter, "fct_": marts - marts // 2, "dim_": marts // 2}


def source_count(models: int) -> int:
    return max(1, round(models * SOURCE_SHARE))


def domain_names(models: int) -> list[str]:
    """Enough domain folders to keep each `_models.yml` at a couple of hundred entries."""
    count = max(3, round(models / MODELS_PER_DOMAIN))
    names = []
    for i in range(count):
        base = DOMAINS[i % len(DOMAINS)]
        names.append(base if i < len(DOMAINS) else f"{base}_{i // len(DOMAINS) + 1}")
    return names


def _pick_domain(index: int, domains: list[str]) -> str:
    return domains[index % len(domains)]


def _unique(base: str, taken: set[str]) -> str:
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    taken.add(name)
    return name


def _attr(rng: random.Random, entity: str, count: int) -> list[Column]:
    picked = rng.sample(ATTRIBUTES, count)
    return [Column(n, t, d.format(e=entity)) for n, t, d in picked]


def build_sources(rng: random.Random, models: int, domains: list[str]) -> dict[str, list[SourceTable]]:
    """Source tables spread over the domains; each has a key, a few foreign keys and attributes."""
    tables: dict[str, list[SourceTable]] = {d: [] for d in domains}
    for i in range(source_count(models)):
        domain = _pick_domain(i, domains)
        taken = {t.entity for t in tables[domain]}
        entity = next((e for e in rng.sample(ENTITIES, len(ENTITIES)) if e not in taken), f"entity{i}")
        tables[domain].append(SourceTable(f"raw_{domain}", _plural(entity), entity, [], []))
    for domain_tables in tables.values():
        for table in domain_tables:
            _fill_source_columns(rng, table, domain_tables)
    return tables


def _fill_source_columns(rng: random.Random, table: SourceTable, siblings: list[SourceTable]) -> None:
    others = [t.entity for t in siblings if t is not table]
    table.fks = [f"{e}_id" for e in rng.sample(others, min(len(others), rng.randint(1, 3)))]
    key = Column(f"{table.entity}_id", "integer", f"Primary key of the {table.entity}.")
    fks = [Column(fk, "integer", f"The {fk[:-3]} this {table.entity} belongs to.") for fk in table.fks]
    table.columns = [key, *fks, *_attr(rng, table.entity, rng.randint(8, 24))]


def _plural(entity: str) -> str:
    return entity + ("es" if entity.endswith(("s", "x", "ch")) else "s")



def build_staging(rng: random.Random, count: int, domains: list[str],
                  sources: dict[str, list[SourceTable]], taken: set[str]) -> list[Model]:
    """Each staging model cleans one source table: cast, rename, filter."""
    models = []
    for i in range(count):
        domain = _pick_domain(i, [d for d in domains if sources[d]])
        table = rng.choice(sources[domain])
        name = _unique(f"stg_{domain}__{table.table}", taken)
        keep = table.columns[: 1 + len(table.fks)]
        extra = table.columns[len(keep):]
        keep = keep + rng.sample(extra, rng.randint(min(6, len(extra)), len(extra)))
        model = Model(name, "stg_", domain, keep, keep[0].name)
        model.sql = staging_sql(table, keep)
        models.append(model)
    return models



def _by_domain(models: list[Model]) -> dict[str, list[Model]]:
    grouped: dict[str, list[Model]] = {}
    for model in models:
        grouped.setdefault(model.domain, []).append(model)
    return grouped


def _choose_inputs(rng: random.Random, pool: list[Model], most: int) -> list[Model]:
    """A base model plus, preferably, models it can join to through one of its foreign keys."""
    base = rng.choice(pool)
    names = {c.name for c in base.columns}
    joinable = [m for m in pool if m.pk in names and m.pk != base.pk]
    picked = [base]
    for other in rng.sample(joinable, min(len(joinable), rng.randint(0, most - 1))):
        if other.pk not in {p.pk for p in picked}:
            picked.append(other)
    return picked


def _merge_columns(rng: random.Random, inputs: list[Model]) -> list[tuple[str, Column]]:
    """(cte alias, column) pairs for the select list: no duplicate names, at most ~30 columns."""
    limit = rng.randint(8, 36 - 5 * len(inputs))  # keeps every body within 20-60 lines
    seen: set[str] = set()
    out = []
    for n, model in enumerate(inputs):
        for column in model.columns[: limit if n == 0 else 2 + rng.randint(0, 8)]:
            if column.name not in seen and len(out) < limit:
                seen.add(column.name)
                out.append((f"input_{n}", column))
    return out


def build_derived(rng: random.Random, prefix: str, count: int, domains: list[str],
                  upstream: list[Model], taken: set[str]) -> list[Model]:
    """Intermediate or mart models that join models of the layers below, mostly in their domain."""
    grouped = _by_domain(upstream)
    usable = [d for d in domains if d in grouped]
    models = []
    for i in range(count):
        domain = _pick_domain(i, usable)
        pool = grouped[domain]
        if rng.random() < 0.1:  # some cross-domain lineage, as in real projects
            pool = pool + grouped[rng.choice(usable)]
        inputs = _choose_inputs(rng, pool, 3 if prefix == "int_" else 4)
        models.append(_derived_model(rng, prefix, domain, inputs, taken))
    return models


def _derived_model(rng: random.Random, prefix: str, domain: str, inputs: list[Model],
                   taken: set[str]) -> Model:
    entity = inputs[0].pk[:-3]
    word = rng.choice(INT_VERBS if prefix == "int_" else FCT_NOUNS)
    noun = _plural(entity)
    base = f"{prefix}{domain}__{noun}_{word}" if prefix != "dim_" else f"dim_{domain}__{noun}"
    name = _unique(base, taken)
    pairs = _merge_columns(rng, inputs)
    columns = [c for _, c in pairs]
    model = Model(name, prefix, domain, columns, inputs[0].pk, [m.name for m in inputs])
    model.sql = derived_sql(inputs, pairs)
    if prefix == "fct_":
        model.columns = columns + [Column("row_count", "bigint", f"Number of source rows for the {entity}.")]
        model.sql = fact_sql(inputs, pairs)
    return model


# ---------------------------------------------------------------- files


PROJECT_YML = """name: synthetic
version: "1.0.0"
config-version: 2
profile: synthetic

model-paths: ["models"]

models:
  synthetic:
    staging:
      +materialized: view
    intermediate:
      +materialized: ephemeral
    marts:
      +materialized: table
"""

PROFILES_YML = """synthetic:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: synthetic.duckdb
      threads: 2
"""


def build_models(models: int, seed: int) -> tuple[dict[str, list[SourceTable]], list[Model]]:
    """The whole project in memory, layer by layer, so refs only ever point at earlier layers."""
    rng = random.Random(seed)
    counts = layer_counts(models)
    domains = domain_names(models)
    sources = build_sources(rng, models, domains)
    taken: set[str] = set()
    stg = build_staging(rng, counts["stg_"], domains, sources, taken)
    inter = build_derived(rng, "int_", counts["int_"], domains, stg, taken)
    marts_in = inter + stg
    fct = build_derived(rng, "fct_", counts["fct_"], domains, marts_in, taken)
    dim = build_derived(rng, "dim_", counts["dim_"], domains, marts_in, taken)
    return sources, stg + inter + fct + dim


def make_project(root: Path, models: int, seed: int = 7) -> Path:
    """Write the project into root (created; must be empty) and return root."""
    root = Path(root)
    if root.exists() and any(root.iterdir()):
        raise FileExistsError(f"{root} is not empty; the generator only writes into a fresh folder.")
    sources, all_models = build_models(models, seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "dbt_project.yml").write_text(PROJECT_YML, encoding="utf-8")
    (root / "profiles.yml").write_text(PROFILES_YML, encoding="utf-8")
    (root / "models" / "staging").mkdir(parents=True)
    (root / "models" / "staging" / "_sources.yml").write_text(sources_yaml(sources), encoding="utf-8")
    _write_models(root, all_models, random.Random(seed + 1))
    return root


def _write_models(root: Path, all_models: list[Model], rng: random.Random) -> None:
    by_folder: dict[str, list[Model]] = {}
    for model in all_models:
        by_folder.setdefault(model.folder, []).append(model)
    for folder in sorted(by_folder):
        path = root / folder
        path.mkdir(parents=True, exist_ok=True)
        for model in by_folder[folder]:
            (path / f"{model.name}.sql").write_text(model.sql, encoding="utf-8")
        (path / "_models.yml").write_text(models_yaml(rng, by_folder[folder]), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic layered dbt project.")
    parser.add_argument("dir", type=Path, help="folder to create (must be empty or missing)")
    parser.add_argument("--models", type=int, default=5000, help="number of models (default 5000)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    make_project(args.dir, args.models, args.seed)
    print(f"wrote {args.models} models to {args.dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
