"""A new model before it exists: its name checked, its file's place, its starter SQL.

Nothing here writes until `create_model` is called (the wizard calls it only after the user
confirmed); the file is created inside the project only, never over an existing file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from tui.core.files import create_text_file, resolve_inside
from tui.core.project.dbt_project import DbtProject
from tui.core.project.layers import Layer, LayerRules
from tui.core.project.records import SourceTable

MODEL_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
MAX_NAME = 63
"""Postgres cuts identifiers at 63 bytes; a longer model name would build a relation of another name."""
LAYER_PREFIXES = {Layer.STAGING: ("stg_",), Layer.INTERMEDIATE: ("int_",), Layer.MARTS: ("fct_", "dim_")}
LAYER_FOLDERS = {Layer.STAGING: "staging", Layer.INTERMEDIATE: "intermediate", Layer.MARTS: "marts"}
_RESERVED = frozenset({"select", "from", "where", "table", "order", "group", "user", "default", "null"})


def prefixes_for(layer: Layer, rules: LayerRules) -> tuple[str, ...]:
    """The prefixes a name of this layer may start with: the project's own first, then the defaults."""
    own = [prefix for prefix, mapped in rules.prefixes.items() if mapped is layer and prefix not in rules.base_prefixes]
    return tuple(dict.fromkeys([*LAYER_PREFIXES.get(layer, ()), *own]))


def suggested_name(source: SourceTable) -> str:
    """`stg_<source>__<table>`, in the characters a model name allows."""
    return f"stg_{snake_case(source.source_name)}__{snake_case(source.table_name)}"


def name_problem(name: str, layer: Layer, rules: LayerRules, taken: Iterable[str], path_on_disk: Path | None) -> str | None:
    """Why this name cannot be used, in words; None when it can."""
    if not name:
        return "Type a name for the model."
    if name != name.strip() or " " in name:
        return "A model name has no spaces."
    if "/" in name or "\\" in name or ".." in name:
        return "A model name is a name, not a path: no / or .."
    if name != name.lower() and MODEL_NAME.match(name.lower()):
        return f"Use lower case: {name.lower()}."
    if not MODEL_NAME.match(name):
        return "Use only a-z, 0-9 and _, starting with a letter or _ (dbt and every warehouse accept those)."
    if len(name) > MAX_NAME:
        return f"Keep it to {MAX_NAME} characters (it is {len(name)}): longer relation names are cut by some warehouses."
    if name in _RESERVED:
        return f"'{name}' is an SQL keyword: the relation could not be named without quotes."
    prefixes = prefixes_for(layer, rules)
    if prefixes and not name.startswith(prefixes):
        return f"{layer.title} models start with {' or '.join(prefixes)}."
    if name in set(taken):
        return f"A model named {name} exists already: open it instead (or pick another name)."
    if path_on_disk is not None and path_on_disk.exists():
        return f"{path_on_disk.name} exists on disk already (not a model the scan knows): pick another name."
    return None


def model_folder(project: DbtProject, layer: Layer) -> Path:
    """The layer's folder inside the first model path (created on write if missing)."""
    base = project.root / (project.model_paths[0] if project.model_paths else "models")
    folder = LAYER_FOLDERS.get(layer)
    return base / folder if folder else base


def model_file(project: DbtProject, layer: Layer, name: str) -> Path:
    return model_folder(project, layer) / f"{name}.sql"


def snake_case(text: str) -> str:
    """`CaseRef` -> `case_ref`, `Opened At` -> `opened_at`, `2nd` -> `_2nd`."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", text.strip())
    snake = re.sub(r"[^a-z0-9]+", "_", spaced.lower()).strip("_")
    return snake if snake and not snake[0].isdigit() else f"_{snake}"


def _quoted(column: str) -> str:
    """A name that needs quoting is quoted by dbt, as the target's warehouse quotes names (on
    Spark a double-quoted name would be a string)."""
    return column if re.fullmatch(r"[a-z_][a-z0-9_]*", column) else "{{ adapter.quote(" + json.dumps(column) + ") }}"


def staging_sql(source: SourceTable, columns: Sequence[tuple[str, str]]) -> str:
    """Select the source's columns, cast to their declared types and renamed to snake_case."""
    head = f"with source as (\n\n    select * from {{{{ source('{source.source_name}', '{source.table_name}') }}}}\n\n),\n\n"
    if not columns:
        items = "        *  -- no columns declared in YAML or found in the warehouse: list them here"
    else:
        items = ",\n".join(_cast(name, data_type) for name, data_type in columns)
    return head + f"renamed as (\n\n    select\n{items}\n    from source\n\n)\n\nselect * from renamed\n"


def _cast(name: str, data_type: str) -> str:
    value = _quoted(name)
    expression = f"cast({value} as {data_type})" if data_type else value
    renamed = snake_case(name)
    return f"        {expression}" if expression == renamed else f"        {expression} as {renamed}"


def layered_sql(name: str, inputs: Sequence[str]) -> str:
    """Import CTEs for the models it builds on (when known), then the final select."""
    imports = "".join(f"{_cte(ref)} as (\n    select * from {{{{ ref('{ref}') }}}}\n),\n\n" for ref in inputs)
    first = _cte(inputs[0]) if inputs else None
    body = f"    select *\n    from {first}" if first else "    -- build on existing models with ref('...'); never a raw table\n    select 1 as todo"
    return f"with\n\n{imports}final as (\n\n{body}\n\n)\n\nselect * from final\n"


def _cte(ref: str) -> str:
    for prefix in ("stg_", "int_", "fct_", "dim_"):
        if ref.startswith(prefix):
            ref = ref[len(prefix) :]
    return ref.split("__", 1)[-1] or "input"


@dataclass(frozen=True, slots=True)
class NewModel:
    """What the user confirmed: where the file goes and what it starts with."""

    name: str
    layer: Layer
    path: Path
    sql: str

    def relative_to(self, root: Path) -> str:
        return self.path.relative_to(root).as_posix()


def create_model(project: DbtProject, new: NewModel) -> Path:
    """Write the model file (its folder created when missing); refuses a path outside the project
    and an existing file (WorkbenchError, nothing written)."""
    resolve_inside(new.path.parent, project.root)
    create_text_file(new.path, new.sql, project.root)
    return new.path


def source_columns(project: DbtProject, source: SourceTable) -> tuple[list[tuple[str, str]], str]:
    """The source table's columns for starter SQL, and where they came from (said to the user).

    The YAML's columns first; else the warehouse's catalog (the source's schema is taken to be
    its name, dbt's default); a warehouse problem is said, not raised."""
    if source.columns:
        return list(source.columns), f"columns from {source.path}"
    from tui.core.errors import WorkbenchError
    from tui.core.warehouse.catalog import relation_columns
    from tui.core.warehouse.reader import maybe_reader

    reader, why_not = maybe_reader(project.connection)
    if reader is None:
        return [], f"no columns in the YAML, and {why_not[0].lower()}{why_not[1:]}"
    try:
        columns = relation_columns(reader, source.source_name, source.table_name)
    except WorkbenchError as error:
        return [], str(error)
    if not columns:
        return [], f"{source.qualified} is not in the warehouse ({reader.label}) and the YAML lists no columns"
    return columns, f"columns from the warehouse ({reader.label})"
