"""Render dbt_project.yml the way dbt does before reading it: `env_var()` and `var()` in values.

dbt renders every string of dbt_project.yml through Jinja (except hooks and `vars:`, rendered
later, at use), so `model-paths: ["{{ env_var('MODELS_DIR', 'models') }}"]` is a real setting.
An unset variable without a default is an error that names it, as dbt's is: a project that
dbt cannot parse must not look like an empty one. No Textual here.
"""

from __future__ import annotations

from typing import Any, Mapping

import jinja2
import jinja2.sandbox

from tui.core.errors import ProjectFileError
from tui.core.project.jinja_extras import DBT_FILTERS

UNRENDERED_KEYS = frozenset({"vars", "on-run-start", "on-run-end", "pre-hook", "post-hook", "+pre-hook", "+post-hook", "query-comment"})
"""Keys whose values dbt keeps as Jinja text: hooks run later, vars are rendered where used."""

_ENV = jinja2.sandbox.SandboxedEnvironment(undefined=jinja2.StrictUndefined, keep_trailing_newline=False)
_ENV.filters.update(DBT_FILTERS)


class _Unset(Exception):
    """An env_var() or var() with no value and no default."""


def render_project_settings(settings: dict[str, Any], environ: Mapping[str, str], file_label: str) -> dict[str, Any]:
    """`settings` with every string rendered; raises ProjectFileError naming the variable and key."""
    return {key: _render_value(value, environ, file_label, key) for key, value in settings.items()}


def _render_value(value: Any, environ: Mapping[str, str], file_label: str, key_path: str) -> Any:
    leaf = key_path.rsplit(".", 1)[-1]
    if leaf in UNRENDERED_KEYS:
        return value
    if isinstance(value, dict):
        return {k: _render_value(v, environ, file_label, f"{key_path}.{k}") for k, v in value.items()}
    if isinstance(value, list):
        return [_render_value(item, environ, file_label, key_path) for item in value]
    if isinstance(value, str) and ("{{" in value or "{%" in value):
        return _render_text(value, environ, file_label, key_path)
    return value


def _render_text(text: str, environ: Mapping[str, str], file_label: str, key_path: str) -> str:
    try:
        return _ENV.from_string(text).render(env_var=_env_var_reader(environ), var=_var_default)
    except _Unset as unset:
        raise ProjectFileError(f"{file_label}: {unset} (in `{key_path}`); dbt cannot parse this project either.") from unset
    except jinja2.TemplateError as error:
        raise ProjectFileError(f"{file_label}: `{key_path}` does not render: {error}") from error


def _env_var_reader(environ: Mapping[str, str]):
    def env_var(name: str, default: Any = None) -> str:
        """dbt's env_var(): the environment's value, else the default, else an error."""
        if name in environ:
            return environ[name]
        if default is None:
            raise _Unset(f"env_var('{name}') is not set and has no default")
        return str(default)

    return env_var


def _var_default(name: str, default: Any = None) -> Any:
    """var() in dbt_project.yml sees only --vars, which the workbench never passes: the default."""
    if default is None:
        raise _Unset(f"var('{name}') has no value and no default")
    return default
