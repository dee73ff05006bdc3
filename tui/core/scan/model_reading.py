"""What the project says about a model beyond its ref() calls: folder configs, config(enabled=...),
and the refs its macros hide.

The text regexes stay the fast path (5,000 models in well under a second). A model is rendered,
with the project's macros and vars, only when its text needs it: it calls a macro that reaches
ref()/source() (`{{ simple_cte([('orders', 'stg_orders')]) }}`), or its `config(enabled=...)` is not
a plain literal (`var('x', False) | as_bool`). No Textual here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Mapping

from tui.core.project.dbt_project import DbtProject
from tui.core.project.folder_config import FolderConfigs, ModelConfig
from tui.core.project.jinja_extras import truthy
from tui.core.sql.macros import MacroLibrary, load_macro_library
from tui.core.sql.neutral import RenderResult, render_neutral

_ENABLED_LITERAL = re.compile(r"""\bconfig\s*\((?:[^()]|\([^()]*\))*?\benabled\s*=\s*(True|False|true|false)\b""")
_ENABLED_ANY = re.compile(r"""\bconfig\s*\((?:[^()]|\([^()]*\))*?\benabled\s*=""", re.S)


@dataclass(frozen=True, slots=True)
class ModelVerdict:
    """A model's resolved config and any lineage its render added."""

    config: ModelConfig
    refs: tuple[str, ...] = ()
    sources: tuple[tuple[str, str], ...] = ()


@dataclass
class ProjectReading:
    """The project-wide inputs of reading models; the macro library is loaded on first need."""

    folder_configs: FolderConfigs = field(default_factory=lambda: FolderConfigs({}, ""))
    project_vars: Mapping[str, Any] = field(default_factory=dict)
    adapter_type: str = "default"
    project: DbtProject | None = None

    @classmethod
    def of(cls, project: DbtProject) -> "ProjectReading":
        return cls(project.folder_configs, project.vars, project.sql_dialect_source or "default", project)

    @cached_property
    def library(self) -> MacroLibrary:
        return load_macro_library(self.project) if self.project is not None else MacroLibrary()

    @cached_property
    def _lineage_call(self) -> re.Pattern[str] | None:
        names = sorted(self.library.lineage_macros, key=len, reverse=True)
        if not names:
            return None
        return re.compile(r"\b(?:" + "|".join(re.escape(name) for name in names) + r")\s*\(")

    def calls_lineage_macro(self, text: str) -> bool:
        if "(" not in text or self.project is None:
            return False
        pattern = self._lineage_call
        return pattern is not None and pattern.search(text) is not None

    def render(self, text: str) -> RenderResult:
        return render_neutral(text, self.adapter_type, self.library, self.project_vars)

    def verdict(self, folders: tuple[str, ...], name: str, text: str) -> ModelVerdict:
        """Folder configs, then the model's own config(enabled=...), then rendered lineage."""
        config = self.folder_configs.for_model(folders, name) if not self.folder_configs.empty else ModelConfig()
        rendered: RenderResult | None = None
        if "enabled" in text and _ENABLED_ANY.search(text):
            literal = _ENABLED_LITERAL.search(text)
            if literal is not None:
                enabled: Any = literal.group(1).lower() == "true"
            else:
                rendered = self.render(text)
                enabled = rendered.config.get("enabled", True) if rendered.sql is not None else True
            config = _with_enabled(config, truthy(enabled) if isinstance(enabled, str) else bool(enabled))
        if self.calls_lineage_macro(text):
            rendered = rendered or self.render(text)
            return ModelVerdict(config, rendered.refs, rendered.sources)
        return ModelVerdict(config)


def _with_enabled(config: ModelConfig, enabled: bool) -> ModelConfig:
    """The model's own config() wins over its folders', as in dbt."""
    disabled_by = None if enabled else "config(enabled=...) in the model"
    return ModelConfig(enabled, config.materialized, config.tags, config.schema, disabled_by)
