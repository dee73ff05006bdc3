"""dbt's rendering context, as the guard needs it: builtins that behave as dbt's, nothing that runs.

`ref()`/`source()`/`this` become placeholder identifiers the guard recognises (and the calls are
recorded, so refs hidden in macros feed lineage); `var()` reads the project's defaults; `config()`
records what a model sets (`enabled=var('x') | as_bool`); `adapter.dispatch` is resolved by the
renderer; the `dbt.*` cross-database macros give SQL a parser accepts (`cast(x as {{
dbt.type_string() }})`). Anything else unknown renders harmlessly (see NeutralUndefined).
No Textual here.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

PLACEHOLDER_PREFIX = "__dbt_"
VAR_PREFIX = "__dbt_var__"
UNKNOWN_CALL_SQL = "(select null)"
UNKNOWN_VALUE_SQL = "null"

_NOT_IDENT = re.compile(r"[^A-Za-z0-9_]+")
_TABLE_LIKE = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)*$")
"""A var value that could name a relation keeps its marker, so the guard reports `var(x)`."""
_BOOLEAN_TEXTS = frozenset({"true", "false", "yes", "no", "on", "off"})


def _ident(*parts: Any) -> str:
    """Join parts into one plain identifier, so the parser sees a simple name."""
    return "__".join(_NOT_IDENT.sub("_", str(p)) for p in parts if p is not None)


@dataclass(slots=True)
class RenderState:
    """What one render saw: var markers handed out, refs and sources called, config() arguments."""

    var_names: dict[str, str] = field(default_factory=dict)
    refs: dict[str, None] = field(default_factory=dict)
    sources: dict[tuple[str, str], None] = field(default_factory=dict)
    config: dict[str, Any] = field(default_factory=dict)


class Relation:
    """Stands in for a dbt Relation: renders as a placeholder, has the usual attributes."""

    def __init__(self, kind: str, *parts: Any) -> None:
        self._text = PLACEHOLDER_PREFIX + kind + "__" + _ident(*parts)
        self.database = "db"
        self.schema = str(parts[0]) if len(parts) > 1 else "main"
        self.identifier = self.name = self.table = str(parts[-1]) if parts else kind

    def __str__(self) -> str:
        return self._text

    __html__ = __str__

    def include(self, *_a: Any, **_k: Any) -> "Relation":
        """dbt's ``this.include(schema=False)``; the placeholder stays recognisable."""
        return self

    def render(self) -> str:
        return self._text

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return NeutralUndefined()


class NeutralUndefined:
    """Stands in for anything unknown, and never fails.

    Called (an unknown macro, with or without arguments) it renders a scalar subquery, which is
    valid SQL in select lists, FROM clauses and expressions alike; used as a value it renders
    ``null``; iterated it is empty, so loops over unknown data vanish. The Jinja environment's
    ``undefined`` class subclasses it.
    """

    __slots__ = ()

    def __call__(self, *_a: Any, **_k: Any) -> "CalledUndefined":
        return CalledUndefined()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return NeutralUndefined()

    def __getitem__(self, _key: Any) -> "NeutralUndefined":
        return NeutralUndefined()

    def __str__(self) -> str:
        return UNKNOWN_VALUE_SQL

    def __iter__(self):
        return iter(())

    def __bool__(self) -> bool:
        return False

    def __len__(self) -> int:
        return 0


class CalledUndefined(str):
    """Result of calling an unknown macro: a harmless scalar expression.

    A real ``str`` because ``{% call %}`` blocks emit the result without converting it;
    otherwise as forgiving as ``NeutralUndefined`` (attributes, items, empty iteration).
    """

    __slots__ = ()

    def __new__(cls) -> "CalledUndefined":
        return super().__new__(cls, UNKNOWN_CALL_SQL)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return NeutralUndefined()

    def __getitem__(self, _key: Any) -> "NeutralUndefined":  # type: ignore[override]
        return NeutralUndefined()

    def __call__(self, *_a: Any, **_k: Any) -> "CalledUndefined":
        return CalledUndefined()

    def __iter__(self):  # type: ignore[override]
        return iter(())

    def __bool__(self) -> bool:
        return False


class MacroReturn(Exception):
    """dbt's ``{{ return(x) }}``: ends the macro with a value (caught where the macro was called)."""

    def __init__(self, value: Any) -> None:
        super().__init__()
        self.value = value


def _return(value: Any = "") -> None:
    raise MacroReturn(value)


class Target:
    """The ``target`` object (``target.name``, ``target.type``...); unknown fields are neutral."""

    def __init__(self, adapter_type: str) -> None:
        self.name = "dev"
        self.schema = "main"
        self.database = "db"
        self.type = adapter_type
        self.threads = 1
        self.profile_name = "default"

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return NeutralUndefined()


class Config:
    """``config(...)`` records its arguments; ``config.get`` reads them back, as in dbt."""

    def __init__(self, state: RenderState) -> None:
        self._state = state

    def __call__(self, *args: Any, **kwargs: Any) -> str:
        for arg in args:
            if isinstance(arg, dict):
                self._state.config.update(arg)
        self._state.config.update(kwargs)
        return ""

    def get(self, name: str, default: Any = None, *_a: Any, **_k: Any) -> Any:
        return self._state.config.get(name, default)

    def require(self, name: str) -> Any:
        return self._state.config.get(name, NeutralUndefined())

    def set(self, name: str, value: Any) -> str:
        self._state.config[name] = value
        return ""


class Var:
    """``var(name, default)``: the project's value or the default; a marker when it may name a table."""

    def __init__(self, state: RenderState, values: Mapping[str, Any]) -> None:
        self._state = state
        self._values = values
        self.render_text: Callable[[str], Any] | None = None
        """Renders a value that holds Jinja (set by the renderer)."""

    def __call__(self, name: Any, *default: Any) -> Any:
        key = str(name)
        if key in self._values:
            value = self._values[key]
        elif default:
            value = default[0]
        else:
            return self._marker(key)
        if isinstance(value, str) and ("{{" in value or "{%" in value) and self.render_text is not None:
            return self.render_text(value)
        if isinstance(value, str) and _TABLE_LIKE.match(value) and value.lower() not in _BOOLEAN_TEXTS:
            return self._marker(key)
        return value

    def has_var(self, name: Any) -> bool:
        return str(name) in self._values

    def _marker(self, name: str) -> str:
        marker = f"{VAR_PREFIX}{len(self._state.var_names)}"
        self._state.var_names[marker] = name
        return marker


def _nothing(*_a: Any, **_k: Any) -> str:
    """log(), print() and friends: side effects only, render as nothing."""
    return ""


def _false(*_a: Any, **_k: Any) -> bool:
    """is_incremental() and should_full_refresh(): take the simpler full-build branch."""
    return False


def _no_result(*_a: Any, **_k: Any) -> NeutralUndefined:
    """run_query()/load_result(): no warehouse at lint time; an empty, forgiving result."""
    return NeutralUndefined()


def _env_var(_name: str, default: Any = "") -> Any:
    """env_var() in a model: never read the real environment; the default keeps the SQL shaped."""
    return default


def _sql_list(value: Any) -> list[str]:
    return [str(item) for item in value] if isinstance(value, (list, tuple)) else [str(value)]


CROSS_DATABASE_TYPES = {
    "type_string": "varchar",
    "type_timestamp": "timestamp",
    "type_int": "integer",
    "type_bigint": "bigint",
    "type_float": "float",
    "type_numeric": "numeric(28, 6)",
    "type_boolean": "boolean",
}


def cross_database_macros() -> dict[str, Any]:
    """dbt's cross-database macros (the `dbt` namespace): SQL every dialect parses."""
    macros: dict[str, Any] = {name: (lambda sql=sql, *_a, **_k: sql) for name, sql in CROSS_DATABASE_TYPES.items()}
    macros.update({
        "current_timestamp": lambda *_a, **_k: "current_timestamp",
        "current_timestamp_backcompat": lambda *_a, **_k: "current_timestamp",
        "current_timestamp_in_utc_backcompat": lambda *_a, **_k: "current_timestamp",
        "safe_cast": lambda field_sql, type_sql="varchar", *_a, **_k: f"cast({field_sql} as {type_sql})",
        "cast": lambda field_sql, type_sql="varchar", *_a, **_k: f"cast({field_sql} as {type_sql})",
        "concat": lambda fields, *_a, **_k: "(" + " || ".join(_sql_list(fields)) + ")",
        "hash": lambda field_sql, *_a, **_k: f"md5(cast({field_sql} as varchar))",
        "string_literal": lambda value, *_a, **_k: "'" + str(value).replace("'", "''") + "'",
        "escape_single_quotes": lambda value, *_a, **_k: str(value).replace("'", "''"),
        "date_trunc": lambda part, date_sql, *_a, **_k: f"date_trunc('{part}', {date_sql})",
        "dateadd": lambda part, amount, date_sql, *_a, **_k: f"({date_sql} + interval '{amount} {part}')",
        "datediff": lambda first, second, part="day", *_a, **_k: f"(cast({second} as date) - cast({first} as date))",
        "length": lambda expression, *_a, **_k: f"length({expression})",
        "replace": lambda field_sql, old, new, *_a, **_k: f"replace({field_sql}, {old}, {new})",
        "position": lambda needle, haystack, *_a, **_k: f"strpos({haystack}, {needle})",
        "split_part": lambda text, delimiter, part, *_a, **_k: f"split_part({text}, {delimiter}, {part})",
        "any_value": lambda expression, *_a, **_k: f"max({expression})",
        "bool_or": lambda expression, *_a, **_k: f"max({expression})",
        "listagg": lambda measure, *_a, **_k: f"max({measure})",
    })
    return macros


class Modules:
    """``modules.datetime``, ``modules.re``, ``modules.itertools``: pure-Python helpers dbt offers."""

    datetime = datetime
    re = re
    itertools = itertools

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return NeutralUndefined()


def _local_md5(text: Any) -> str:
    return hashlib.md5(str(text).encode()).hexdigest()


def _fromjson(text: Any, default: Any = None) -> Any:
    try:
        return json.loads(str(text))
    except ValueError:
        return default


def model_globals(state: RenderState, adapter_type: str, project_vars: Mapping[str, Any]) -> dict[str, Any]:
    """The dbt context of one render (without macros and `adapter`, which the renderer adds)."""

    def ref(*args: Any, **kwargs: Any) -> Relation:
        parts = [a for a in args] or [kwargs.get("name", "model")]
        state.refs[str(parts[-1])] = None
        return Relation("ref", *parts)

    def source(source_name: Any, table_name: Any = "table", *_a: Any, **_k: Any) -> Relation:
        state.sources[(str(source_name), str(table_name))] = None
        return Relation("source", source_name, table_name)

    return {
        "ref": ref,
        "source": source,
        "var": Var(state, project_vars),
        "this": Relation("this", "this"),
        "config": Config(state),
        "log": _nothing,
        "print": _nothing,
        "return": _return,
        "statement": _nothing,
        "run_query": _no_result,
        "load_result": _no_result,
        "is_incremental": _false,
        "should_full_refresh": _false,
        "env_var": _env_var,
        "target": Target(adapter_type),
        "execute": False,
        "flags": NeutralUndefined(),
        "modules": Modules(),
        "zip": zip,
        "set": set,
        "tojson": lambda value, *_a, **_k: json.dumps(value, default=str),
        "fromjson": _fromjson,
        "local_md5": _local_md5,
        "run_started_at": datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc),
        "invocation_id": "00000000-0000-0000-0000-000000000000",
    }
