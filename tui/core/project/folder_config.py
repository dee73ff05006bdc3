"""The `models:` tree of dbt_project.yml applied to one model: enabled, materialized, tags, schema.

dbt matches the tree against the model's path below its model-path (`models: my_project: legacy:
+enabled: false` disables everything under `models/legacy/`); deeper settings win, tags add up.
Keys with `+` are configs; a bare key is a config when it is one of dbt's config names and its
value is not a folder mapping. No Textual here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tui.core.project.jinja_extras import truthy

CONFIG_NAMES = frozenset({
    "enabled", "materialized", "tags", "schema", "database", "alias", "persist_docs", "full_refresh",
    "docs", "contract", "grants", "meta", "pre-hook", "post-hook", "sql_header", "on_schema_change",
    "unique_key", "incremental_strategy", "group", "access", "quoting", "column_types", "event_time",
})


@dataclass(frozen=True, slots=True)
class ModelConfig:
    """The folder-level configuration of one model; `disabled_by` says where `enabled: false` came from."""

    enabled: bool = True
    materialized: str | None = None
    tags: tuple[str, ...] = ()
    schema: str | None = None
    disabled_by: str | None = None


def _config_items(node: dict[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Split one level of the tree into its configs and its child folders."""
    configs: dict[str, Any] = {}
    children: dict[str, dict[str, Any]] = {}
    for key, value in node.items():
        key = str(key)
        if key.startswith("+"):
            configs[key[1:]] = value
        elif key in CONFIG_NAMES and not isinstance(value, dict):
            configs[key] = value
        elif isinstance(value, dict):
            children[key] = value
    return configs, children


def _tags(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(str(tag) for tag in value)
    return ()


class FolderConfigs:
    """Resolves the `models:` tree for models of the root project, by folder path and name."""

    def __init__(self, models_tree: Any, project_name: str) -> None:
        self._tree = models_tree if isinstance(models_tree, dict) else {}
        self._project_name = project_name

    @property
    def empty(self) -> bool:
        return not self._tree

    def for_model(self, folders: tuple[str, ...], model_name: str) -> ModelConfig:
        """Walk top-level configs, then the project's key, then each folder, then the model's own key."""
        merged: dict[str, Any] = {}
        tags: list[str] = []
        disabled_by: str | None = None
        node = self._tree
        trail = ["models"]
        for step in (None, self._project_name, *folders, model_name):
            if step is not None:
                child = _config_items(node)[1].get(step)
                if child is None:
                    break
                node = child
                trail.append(step)
            configs = _config_items(node)[0]
            tags.extend(_tags(configs.get("tags")))
            if "enabled" in configs:
                disabled_by = None if truthy(configs["enabled"]) else "dbt_project.yml " + ".".join(trail)
            merged.update(configs)
        return ModelConfig(
            enabled=disabled_by is None,
            materialized=_text(merged.get("materialized")),
            tags=tuple(dict.fromkeys(tags)),
            schema=_text(merged.get("schema")),
            disabled_by=disabled_by,
        )


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
