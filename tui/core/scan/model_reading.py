"""What the project says about a model beyond its ref() calls: folder configs, config(enabled=...),
and the refs its macros hide.

The text regexes stay the fast path (5,000 models in well under a second). A model is rendered,
with the project's macros and vars, only when its text needs it: it calls a macro that reaches
ref()/source() (`{{ simple_cte([('orders', 'stg_orders')]) }}`), or its `config(enabled=...)` is not
a plain literal (`var('x', False) | as_bool`). No Textual here.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Mapping

from tui.core.project.dbt_project import DbtProject
from tui.core.project.folder_config import FolderConfigs, ModelConfig
from tui.core.project.jinja_extras import truthy
from tui.core.scan.render_cache import RenderCache, RenderedFacts, text_key
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
    pending: bool = False
    """A render was needed and left for later (see ProjectReading.defer_misses)."""


@dataclass
class ProjectReading:
    """The project-wide inputs of reading models; the macro library is loaded on first need."""

    folder_configs: FolderConfigs = field(default_factory=lambda: FolderConfigs({}, ""))
    project_vars: Mapping[str, Any] = field(default_factory=dict)
    adapter_type: str = "default"
    project: DbtProject | None = None
    cache_dir: Path | None = None
    """Where rendered facts are kept between runs (None: not kept)."""
    defer_misses: bool = False
    """Renders the cache does not hold are left pending instead of done now (the first frame)."""

    @classmethod
    def of(cls, project: DbtProject, cache_dir: Path | None = None, defer_misses: bool = False) -> "ProjectReading":
        dialect = project.sql_dialect_source or "default"
        return cls(project.folder_configs, project.vars, dialect, project, cache_dir, defer_misses)

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

    @cached_property
    def _render_cache(self) -> RenderCache | None:
        if self.cache_dir is None or self.project is None:
            return None
        inputs = hashlib.blake2b(digest_size=16)
        inputs.update(self.library.fingerprint().encode())
        inputs.update(repr(sorted(self.project_vars.items(), key=lambda item: str(item[0]))).encode())
        inputs.update(self.adapter_type.encode())
        return RenderCache(self.project.root, self.cache_dir, inputs.hexdigest())

    def rendered_facts(self, text: str) -> RenderedFacts | None:
        """Render once per distinct text and project inputs; later runs read the cache. None when
        the cache misses and renders are deferred."""
        cache = self._render_cache
        key = text_key(text) if cache is not None else ""
        facts = cache.get(key) if cache is not None else None
        if facts is None and self.defer_misses:
            return None
        if facts is None:
            facts = _facts_of(self.render(text))
            if cache is not None:
                cache.put(key, facts)
        return facts

    def save_cache(self) -> None:
        if self.cache_dir is not None and "_render_cache" in self.__dict__ and self._render_cache is not None:
            self._render_cache.save()

    def verdict(self, folders: tuple[str, ...], name: str, text: str) -> ModelVerdict:
        """Folder configs, then the model's own config(enabled=...), then rendered lineage."""
        config = self.folder_configs.for_model(folders, name) if not self.folder_configs.empty else ModelConfig()
        needs_enabled = "enabled" in text and _ENABLED_ANY.search(text) is not None
        literal = _ENABLED_LITERAL.search(text) if needs_enabled else None
        if literal is not None:
            config = _with_enabled(config, literal.group(1).lower() == "true")
        hides_lineage = self.calls_lineage_macro(text)
        if not hides_lineage and (literal is not None or not needs_enabled):
            return ModelVerdict(config)
        facts = self.rendered_facts(text)
        if facts is None:
            return ModelVerdict(config, pending=True)
        if needs_enabled and literal is None:
            config = _with_enabled(config, True if facts.enabled is None else facts.enabled)
        if hides_lineage:
            return ModelVerdict(config, facts.refs, facts.sources)
        return ModelVerdict(config)


def _facts_of(rendered: RenderResult) -> RenderedFacts:
    """The enabled flag as dbt reads it (a string through as_bool's rules) and the render's lineage."""
    enabled: Any = rendered.config.get("enabled") if rendered.sql is not None else None
    if isinstance(enabled, str):
        enabled = truthy(enabled)
    return RenderedFacts(None if enabled is None else bool(enabled), tuple(rendered.refs), tuple(rendered.sources))


def _with_enabled(config: ModelConfig, enabled: bool) -> ModelConfig:
    """The model's own config() wins over its folders', as in dbt."""
    disabled_by = None if enabled else "config(enabled=...) in the model"
    return ModelConfig(enabled, config.materialized, config.tags, config.schema, disabled_by)
