"""Render a dbt model's Jinja the way dbt would, with nothing that touches a warehouse.

The guard needs plain SQL to hand to a parser, but it must not run dbt (too slow, and a model
being typed is often not valid for dbt yet). So the model renders in a sandbox with dbt's
builtins (tui.core.sql.dbt_context), the project's own macros and those of installed packages
as real Jinja macros (tui.core.sql.macros), `adapter.dispatch` resolved to the project's or
package's implementation, and dbt's `as_*` filters. `ref()`/`source()`/`this` become placeholder
identifiers the guard recognises afterwards, and each call is recorded so that refs hidden in a
macro still feed lineage. Only what is truly unknown is neutralised. No Textual here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Mapping

import jinja2
import jinja2.ext
import jinja2.sandbox

from tui.core.project.jinja_extras import DBT_FILTERS
from tui.core.sql.dbt_context import (
    PLACEHOLDER_PREFIX,
    UNKNOWN_CALL_SQL,
    UNKNOWN_VALUE_SQL,
    VAR_PREFIX,
    MacroReturn,
    NeutralUndefined,
    RenderState,
    cross_database_macros,
    model_globals,
)
from tui.core.sql.macros import MacroFile, MacroLibrary

__all__ = [
    "PLACEHOLDER_PREFIX",
    "VAR_PREFIX",
    "UNKNOWN_CALL_SQL",
    "UNKNOWN_VALUE_SQL",
    "RenderResult",
    "render_neutral",
]

_TEST_TAG = re.compile(r"{%(-?)\s*test\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(")
_END_TEST_TAG = re.compile(r"{%(-?)\s*endtest\s*(-?)%}")
_MATERIALIZATION = re.compile(r"{%-?\s*materialization\b.*?{%-?\s*endmaterialization\s*-?%}", re.S)
_MACRO_BLOCK = re.compile(r"{%-?\s*macro\b.*?{%-?\s*endmacro\s*-?%}", re.S)
_EMPTY_LIBRARY = MacroLibrary()


@dataclass(frozen=True)
class RenderResult:
    """Rendered SQL, or the reason it could not be rendered, and what the render saw.

    ``var_names`` maps each var marker identifier back to the variable's name; ``refs`` and
    ``sources`` are the calls made while rendering (macros included); ``config`` what
    ``config()`` was given.
    """

    sql: str | None
    var_names: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    refs: tuple[str, ...] = ()
    sources: tuple[tuple[str, str], ...] = ()
    config: dict[str, Any] = field(default_factory=dict)


class _Undefined(NeutralUndefined, jinja2.Undefined):
    """Jinja's undefined, made neutral: `is defined` and `default()` still see it as undefined."""

    __slots__ = ()


def _environment() -> jinja2.sandbox.SandboxedEnvironment:
    """A sandbox: model files are untrusted text being typed, never code to run freely."""
    environment = jinja2.sandbox.SandboxedEnvironment(
        undefined=_Undefined,
        extensions=[jinja2.ext.do, jinja2.ext.loopcontrols],
        keep_trailing_newline=True,
    )
    environment.filters.update(DBT_FILTERS)
    return environment


_ENV = _environment()


@lru_cache(maxsize=8192)
def _compile(text: str) -> jinja2.Template:
    """Compiled once per distinct text: lint renders thousands of models over the same macros."""
    return _ENV.from_string(text)


@lru_cache(maxsize=4096)
def _compile_macro_file(text: str) -> tuple[jinja2.Template, ...]:
    """A macro file as templates: whole when it compiles, else each macro on its own (bad ones left out).

    dbt's own tags are translated first: `{% test x(...) %}` defines the macro `test_x`, and
    materializations (never called by a model) are dropped.
    """
    text = _MATERIALIZATION.sub("", text)
    text = _TEST_TAG.sub(lambda m: "{%" + m.group(1) + " macro test_" + m.group(2) + "(", text)
    text = _END_TEST_TAG.sub(lambda m: "{%" + m.group(1) + " endmacro " + m.group(2) + "%}", text)
    try:
        return (_ENV.from_string(text),)
    except jinja2.TemplateSyntaxError:
        pass
    templates = []
    for block in _MACRO_BLOCK.findall(text):
        try:
            templates.append(_ENV.from_string(block))
        except jinja2.TemplateSyntaxError:
            continue
    return tuple(templates)


class _MacroCall:
    """A project or package macro as dbt calls it: `{{ return(x) }}` gives x."""

    def __init__(self, macro: Any) -> None:
        self._macro = macro

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return self._macro(*args, **kwargs)
        except MacroReturn as returned:
            return returned.value


class _Namespace:
    """`dbt_utils.star(...)`, `my_project.helper(...)`, `dbt.type_string()`: macros of one namespace."""

    def __init__(self, render: "_Render", namespace: str) -> None:
        self._render = render
        self._namespace = namespace

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        found = self._render.macro(self._namespace, name)
        if found is None and name in self._render.builtins:
            return self._render.builtins[name]
        return NeutralUndefined() if found is None else found


class _Adapter:
    """`adapter.dispatch(name, macro_namespace)` finds `<adapter>__name` or `default__name`, as dbt does."""

    def __init__(self, render: "_Render", adapter_type: str) -> None:
        self._render = render
        self.type = lambda: adapter_type
        self._adapter_type = adapter_type

    def dispatch(self, macro_name: str, macro_namespace: str | None = None, *_a: Any, **_k: Any) -> Any:
        name = str(macro_name)
        for namespace in self._render.dispatch_order(macro_namespace):
            for prefix in (self._adapter_type, "default"):
                found = self._render.macro(namespace, f"{prefix}__{name}")
                if found is not None:
                    return found
        if name in self._render.builtins:
            return self._render.builtins[name]
        return NeutralUndefined()

    def quote(self, identifier: Any) -> str:
        return f'"{identifier}"'

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return NeutralUndefined()


class _Globals(dict):
    """What a template of one namespace sees: dbt's context, then namespaces, then macros.

    Looked up lazily (Jinja asks the parent context for each free name at call time), so a
    macro file is only turned into a module when one of its macros is actually used.
    """

    def __init__(self, render: "_Render", namespace: str) -> None:
        super().__init__(render.base)
        self._render = render
        self._namespace = namespace

    def _lookup(self, key: str) -> Any:
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        if key in self._render.namespaces:
            return self._render.namespaces[key]
        for namespace in (self._namespace, self._render.library.root_namespace):
            found = self._render.macro(namespace, key)
            if found is not None:
                return found
        return self._render.builtins.get(key, _MISSING)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._lookup(key) is not _MISSING

    def __getitem__(self, key: str) -> Any:
        value = self._lookup(key)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def get(self, key: str, default: Any = None) -> Any:
        value = self._lookup(key)
        return default if value is _MISSING else value


_MISSING = object()


class _Render:
    """One model's render: its state, context, and the macro modules made so far."""

    def __init__(self, library: MacroLibrary, adapter_type: str, project_vars: Mapping[str, Any]) -> None:
        self.library = library
        self.state = RenderState()
        self.builtins = cross_database_macros()
        self.base = model_globals(self.state, adapter_type, project_vars)
        self.base["adapter"] = _Adapter(self, adapter_type)
        self.base["var"].render_text = self.render_value
        self.base["builtins"] = dict(self.base)
        self.namespaces: dict[str, _Namespace] = {"dbt": _BuiltinNamespace(self)}
        for name in library.by_namespace:
            if name:
                self.namespaces[name] = _Namespace(self, name)
        self._modules: dict[tuple[str, int], dict[str, Any]] = {}
        self._globals: dict[str, _Globals] = {}

    def render_value(self, text: str) -> str:
        """A var's value that holds Jinja (`"{{ source('twilio', 'calls') }}"`, as packages set
        them), rendered in the model's context when var() returns it, as dbt does."""
        template = _compile(text)
        context = template.new_context(self.globals_for(self.library.root_namespace), shared=True)
        return _ENV.concat(template.root_render_func(context))  # type: ignore[attr-defined]

    def globals_for(self, namespace: str) -> _Globals:
        if namespace not in self._globals:
            self._globals[namespace] = _Globals(self, namespace)
        return self._globals[namespace]

    def macro(self, namespace: str, name: str) -> _MacroCall | None:
        index = self.library.by_namespace.get(namespace, {}).get(name)
        if index is None:
            return None
        macros = self._module(namespace, index)
        found = macros.get(name)
        return None if found is None else _MacroCall(found)

    def _module(self, namespace: str, index: int) -> dict[str, Any]:
        """The macros one file defines, bound to this render's context (made on first use)."""
        key = (namespace, index)
        if key not in self._modules:
            self._modules[key] = {}
            macro_file: MacroFile = self.library.files[index]
            for template in _compile_macro_file(macro_file.text):
                module = template.make_module(vars=self.globals_for(namespace), shared=True)
                self._modules[key].update(
                    {name: getattr(module, name) for name in dir(module) if not name.startswith("_")}
                )
        return self._modules[key]

    def dispatch_order(self, macro_namespace: str | None) -> list[str]:
        """Root project first (it may override), then the named package, then every other."""
        order = [self.library.root_namespace]
        if macro_namespace:
            order.append(str(macro_namespace))
        order.extend(self.library.package_names)
        return list(dict.fromkeys(order))


class _BuiltinNamespace(_Namespace):
    """The `dbt` namespace: dbt's cross-database macros, unless the project dispatches its own."""

    def __init__(self, render: _Render) -> None:
        super().__init__(render, "dbt")

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        adapter = self._render.base["adapter"]
        return adapter.dispatch(name)


def render_neutral(
    sql_text: str,
    adapter_type: str = "duckdb",
    library: MacroLibrary | None = None,
    project_vars: Mapping[str, Any] | None = None,
) -> RenderResult:
    """Render ``sql_text``; syntax and runtime errors come back as ``error`` with a line."""
    try:
        template = _compile(sql_text)
    except jinja2.TemplateSyntaxError as exc:
        return RenderResult(None, {}, f"Jinja syntax error on line {exc.lineno}: {exc.message}")
    render = _Render(library or _EMPTY_LIBRARY, adapter_type, project_vars or {})
    try:
        context = template.new_context(render.globals_for(render.library.root_namespace), shared=True)
        rendered = _ENV.concat(template.root_render_func(context))  # type: ignore[attr-defined]
    except MacroReturn as returned:
        rendered = str(returned.value)
    except Exception as exc:  # any failure of arbitrary template code is "not rendered"
        line = _error_line(exc)
        where = f" on line {line}" if line else ""
        return RenderResult(None, {}, f"Jinja does not render{where}: {type(exc).__name__}: {exc}")
    state = render.state
    return RenderResult(rendered, state.var_names, None, tuple(state.refs), tuple(state.sources), state.config)


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
