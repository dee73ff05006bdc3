"""Render a dbt model's Jinja with everything dbt-specific neutralised.

The guard needs plain SQL to hand to a parser, but it must not run dbt (too slow, and a
model being typed is often not valid for dbt yet). So ``ref()``/``source()``/``this``
become placeholder identifiers the guard recognises afterwards, ``var()`` becomes a
marker that maps back to ``var(name)``, and any macro we do not know renders to a
harmless scalar expression instead of failing. No Textual here (tui/core rule).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import jinja2
import jinja2.ext
import jinja2.sandbox

PLACEHOLDER_PREFIX = "__dbt_"
VAR_PREFIX = "__dbt_var__"
UNKNOWN_CALL_SQL = "(select null)"
UNKNOWN_VALUE_SQL = "null"

_NOT_IDENT = re.compile(r"[^A-Za-z0-9_]+")


@dataclass(frozen=True)
class RenderResult:
    """Rendered SQL, or the reason it could not be rendered.

    ``var_names`` maps each var marker identifier back to the variable's name.
    """

    sql: str | None
    var_names: dict[str, str] = field(default_factory=dict)
    error: str | None = None


def _ident(*parts: Any) -> str:
    """Join parts into one plain identifier, so the parser sees a simple name."""
    return "__".join(_NOT_IDENT.sub("_", str(p)) for p in parts if p is not None)


class _Relation:
    """Stands in for a dbt Relation: renders as a placeholder, has the usual attributes."""

    def __init__(self, kind: str, *parts: Any) -> None:
        self._text = PLACEHOLDER_PREFIX + kind + "__" + _ident(*parts)
        self.database = "db"
        self.schema = str(parts[0]) if len(parts) > 1 else "main"
        self.identifier = self.name = self.table = str(parts[-1]) if parts else kind

    def __str__(self) -> str:
        return self._text

    __html__ = __str__

    def include(self, *_a: Any, **_k: Any) -> "_Relation":
        """dbt's ``this.include(schema=False)``; the placeholder stays recognisable."""
        return self


class NeutralUndefined(jinja2.Undefined):
    """An undefined name that never fails.

    Called (an unknown macro, with or without arguments) it renders a scalar subquery,
    which is valid SQL in select lists, FROM clauses and expressions alike; used as a
    value it renders ``null``; iterated it is empty, so loops over unknown data vanish.
    """

    __slots__ = ()

    def __call__(self, *_a: Any, **_k: Any) -> "_CalledUndefined":
        return _CalledUndefined()

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


class _CalledUndefined(str):
    """Result of calling an unknown macro: a harmless scalar expression.

    A real ``str`` because ``{% call %}`` blocks emit the result without converting it;
    otherwise as forgiving as ``NeutralUndefined`` (attributes, items, empty iteration).
    """

    __slots__ = ()

    def __new__(cls) -> "_CalledUndefined":
        return super().__new__(cls, UNKNOWN_CALL_SQL)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return NeutralUndefined()

    def __getitem__(self, _key: Any) -> "NeutralUndefined":  # type: ignore[override]
        return NeutralUndefined()

    def __call__(self, *_a: Any, **_k: Any) -> "_CalledUndefined":
        return _CalledUndefined()

    def __iter__(self):  # type: ignore[override]
        return iter(())

    def __bool__(self) -> bool:
        return False


class _Target:
    """The ``target`` object a model may read (``target.name``, ``target.schema``...)."""

    def __init__(self, adapter_type: str) -> None:
        self.name = "dev"
        self.schema = "main"
        self.database = "db"
        self.type = adapter_type
        self.threads = 1
        self.profile_name = "default"


def _nothing(*_a: Any, **_k: Any) -> str:
    """config(), log(), print() and friends: side effects only, render as nothing."""
    return ""


def _false(*_a: Any, **_k: Any) -> bool:
    """is_incremental() and should_full_refresh(): take the simpler full-build branch."""
    return False


def _no_result(*_a: Any, **_k: Any) -> NeutralUndefined:
    """run_query()/load_result(): no warehouse at lint time; an empty, forgiving result."""
    return NeutralUndefined()


def _env_var(_name: str, default: Any = "") -> Any:
    """env_var(): never read the real environment; the default keeps the SQL shaped."""
    return default


def _make_globals(var_names: dict[str, str], adapter_type: str) -> dict[str, Any]:
    """The dbt context, neutralised; ``var_names`` collects the var markers handed out."""

    def ref(*args: Any, **kwargs: Any) -> _Relation:
        parts = [a for a in args] or [kwargs.get("name", "model")]
        return _Relation("ref", *parts)

    def source(source_name: Any, table_name: Any = "table", *_a: Any, **_k: Any) -> _Relation:
        return _Relation("source", source_name, table_name)

    def var(name: Any, *_default: Any) -> str:
        marker = f"{VAR_PREFIX}{len(var_names)}"
        var_names[marker] = str(name)
        return marker

    return {
        "ref": ref,
        "source": source,
        "var": var,
        "this": _Relation("this", "this"),
        "config": _nothing,
        "log": _nothing,
        "print": _nothing,
        "return": _nothing,
        "statement": _nothing,
        "run_query": _no_result,
        "load_result": _no_result,
        "is_incremental": _false,
        "should_full_refresh": _false,
        "env_var": _env_var,
        "target": _Target(adapter_type),
        "execute": False,
        "flags": NeutralUndefined(),
    }


def _environment() -> jinja2.sandbox.SandboxedEnvironment:
    """A sandbox: model files are untrusted text being typed, never code to run freely."""
    return jinja2.sandbox.SandboxedEnvironment(
        undefined=NeutralUndefined,
        extensions=[jinja2.ext.do, jinja2.ext.loopcontrols],
        keep_trailing_newline=True,
    )


_ENV = _environment()


def render_neutral(sql_text: str, adapter_type: str = "duckdb") -> RenderResult:
    """Render ``sql_text``; syntax and runtime errors come back as ``error`` with a line."""
    var_names: dict[str, str] = {}
    try:
        template = _ENV.from_string(sql_text)
    except jinja2.TemplateSyntaxError as exc:
        return RenderResult(None, {}, f"Jinja syntax error on line {exc.lineno}: {exc.message}")
    try:
        rendered = template.render(_make_globals(var_names, adapter_type))
    except Exception as exc:  # any failure of arbitrary template code is "not rendered"
        line = _error_line(exc)
        where = f" on line {line}" if line else ""
        return RenderResult(None, {}, f"Jinja does not render{where}: {type(exc).__name__}: {exc}")
    return RenderResult(rendered, var_names)


def _error_line(exc: BaseException) -> int | None:
    """Best-effort template line of a runtime error, from the traceback jinja rewrites."""
    lineno = getattr(exc, "lineno", None)
    if lineno:
        return int(lineno)
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
