"""The workbench's own settings, typed and strict.

This module sits above the rooms it configures (layers, lint, keys, editor) and hands each its
part (`layer_rules()`, `lint_settings()`, `keys`); no room imports it.

Read in this order, later files overriding earlier ones key by key:
1. the user's file: $XDG_CONFIG_HOME/dbt-workbench/config.yml (default ~/.config/dbt-workbench/config.yml)
2. the project's file: dbt-workbench.yml beside dbt_project.yml
Nothing is read from the environment at import time; `load_config` is called with the project root.

    layers:
      prefixes: {prep_: staging, mart_: marts}   # name prefix -> layer
      folders: {sources: staging, workspaces: other}  # folder name -> layer
      base_prefixes: [base_]       # staging's base sub-layer (in Staging)
      base_counts_as_staging: false  # false: stg_ reading base_ is fine (as dbt-project-evaluator)
    keys:
      filter: ctrl+f                               # binding id -> key(s), comma separated
                                                   # (ids: tui.core.commands.COMMAND_IDS)
    editor:
      new_entry_file: folder   # a model without a YAML entry gets one in its folder's schema
                               # file when there is one (else <model>.yml); `model`: always <model>.yml
    terminal:
      escape_delay_ms: 250     # how long a lone Esc waits for the rest of a key's sequence
                               # (default 250 over SSH, else 100; $ESCDELAY, when set, wins)
      clipboard: both          # copies go by osc52 (the terminal, also over SSH), local
                               # (tmux's buffer, wl-copy, xclip, xsel, pbcopy), or both
    lint:
      severity:                # rule id -> error | warning | off (ids: tui.core.lint.rules.RULES)
        fct_root_models: off
        fct_undocumented_models: error
      ignore:                  # one model exempt from one rule; the reason is required
        - {model: stg_legacy, rule: hard_coded_relation, reason: "reads the vendor's view until Q3"}

Lint severities merge key by key (the project's file wins); ignores from both files add up.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

from tui.core.commands import COMMAND_IDS
from tui.core.errors import ConfigError
from tui.core.files import SaveFailed, atomic_write_bytes
from tui.core.lint.rules import RULES, SEVERITY_CHOICES
from tui.core.lint.settings import LintIgnore, LintSettings
from tui.core.project.layers import Layer, LayerRules, parse_layer
from tui.core.project.yaml_load import load_yaml, problem_from

PROJECT_CONFIG_FILE = "dbt-workbench.yml"
_SECTIONS = {"layers", "keys", "editor", "lint", "terminal"}
_TERMINAL_KEYS = {"escape_delay_ms", "clipboard"}
CLIPBOARD_CHOICES = ("both", "osc52", "local")
ESCAPE_DELAY_MS = 100
"""Textual's own wait for the rest of an escape sequence; over SSH SSH_ESCAPE_DELAY_MS."""
SSH_ESCAPE_DELAY_MS = 250
_LINT_KEYS = {"severity", "ignore"}
_IGNORE_KEYS = {"model", "rule", "reason"}
_LAYER_KEYS = {"prefixes", "folders", "base_prefixes", "base_counts_as_staging"}
_EDITOR_KEYS = {"new_entry_file"}
NEW_ENTRY_POLICIES = ("folder", "model")


@dataclass(frozen=True, slots=True)
class WorkbenchConfig:
    """Everything configurable; defaults apply where no file says otherwise."""

    layer_prefixes: Mapping[str, Layer] = field(default_factory=dict)
    layer_folders: Mapping[str, Layer] = field(default_factory=dict)
    base_prefixes: tuple[str, ...] | None = None
    """Prefixes of staging's base sub-layer (None: the default, base_)."""
    base_counts_as_staging: bool = False
    keys: Mapping[str, str] = field(default_factory=dict)
    new_entry_file: str = "folder"
    lint_severity: Mapping[str, str] = field(default_factory=dict)
    """Rule id -> 'error', 'warning' or 'off'; rules not named keep their default severity."""
    lint_ignores: tuple[LintIgnore, ...] = ()
    escape_delay_ms: int | None = None
    """None: SSH_ESCAPE_DELAY_MS over SSH, else ESCAPE_DELAY_MS (see `escape_delay`)."""
    clipboard: str = "both"
    sources: tuple[Path, ...] = ()

    def escape_delay(self, environ: Mapping[str, str]) -> int:
        """Milliseconds a lone Esc waits: $ESCDELAY, else the setting, else by where we run.

        Over a slow link an arrow key's `Esc [ A` can arrive split; waiting a little longer
        reads it as the arrow it is, not as Esc followed by typed text."""
        if environ.get("ESCDELAY", "").strip().isdigit():
            return int(environ["ESCDELAY"])
        if self.escape_delay_ms is not None:
            return self.escape_delay_ms
        over_ssh = bool(environ.get("SSH_CONNECTION") or environ.get("SSH_TTY"))
        return SSH_ESCAPE_DELAY_MS if over_ssh else ESCAPE_DELAY_MS

    def layer_rules(self) -> LayerRules:
        return LayerRules.with_overrides(
            self.layer_prefixes, self.layer_folders, self.base_prefixes, self.base_counts_as_staging
        )

    def lint_settings(self) -> LintSettings:
        return LintSettings(self.layer_rules(), self.lint_severity, self.lint_ignores)


def user_config_path(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME") or Path.home()) / ".config")
    return Path(base) / "dbt-workbench" / "config.yml"


def load_config(project_root: Path | None, environ: Mapping[str, str] | None = None) -> WorkbenchConfig:
    """Merge the user's and the project's files; raises ConfigError naming the file and key."""
    config = WorkbenchConfig()
    paths = [user_config_path(environ)]
    if project_root is not None:
        paths.append(project_root / PROJECT_CONFIG_FILE)
    for path in paths:
        if path.is_file():
            config = _merge(config, _parse_file(path), path)
    return config


def _parse_file(path: Path) -> dict[str, Any]:
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"Cannot read {path}: {error}") from error
    except yaml.YAMLError as error:
        raise ConfigError(f"{path} is not valid YAML: {problem_from(error).describe()}") from error
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path} must hold a mapping with the sections: {', '.join(sorted(_SECTIONS))}.")
    return data


def _merge(config: WorkbenchConfig, data: dict[str, Any], path: Path) -> WorkbenchConfig:
    _reject_unknown(data, _SECTIONS, path, "")
    layers = _mapping(data.get("layers"), path, "layers")
    _reject_unknown(layers, _LAYER_KEYS, path, "layers.")
    prefixes = _layer_map(_mapping(layers.get("prefixes"), path, "layers.prefixes"), path, "layers.prefixes")
    folders = _layer_map(_mapping(layers.get("folders"), path, "layers.folders"), path, "layers.folders")
    base_prefixes = _base_prefixes(layers.get("base_prefixes", config.base_prefixes), path)
    base_counts = layers.get("base_counts_as_staging", config.base_counts_as_staging)
    if not isinstance(base_counts, bool):
        raise ConfigError(f"{path}: layers.base_counts_as_staging must be true or false.")
    keys = _keys(_mapping(data.get("keys"), path, "keys"), path)
    editor = _mapping(data.get("editor"), path, "editor")
    _reject_unknown(editor, _EDITOR_KEYS, path, "editor.")
    policy = editor.get("new_entry_file", config.new_entry_file)
    if policy not in NEW_ENTRY_POLICIES:
        raise ConfigError(f"{path}: editor.new_entry_file must be one of: {', '.join(NEW_ENTRY_POLICIES)}.")
    terminal = _mapping(data.get("terminal"), path, "terminal")
    _reject_unknown(terminal, _TERMINAL_KEYS, path, "terminal.")
    delay = terminal.get("escape_delay_ms", config.escape_delay_ms)
    if delay is not None and (isinstance(delay, bool) or not isinstance(delay, int) or not 1 <= delay <= 2000):
        raise ConfigError(f"{path}: terminal.escape_delay_ms must be a whole number of milliseconds from 1 to 2000.")
    clipboard = terminal.get("clipboard", config.clipboard)
    if clipboard not in CLIPBOARD_CHOICES:
        raise ConfigError(f"{path}: terminal.clipboard must be one of: {', '.join(CLIPBOARD_CHOICES)}.")
    lint = _mapping(data.get("lint"), path, "lint")
    _reject_unknown(lint, _LINT_KEYS, path, "lint.")
    severity = _lint_severity(_mapping(lint.get("severity"), path, "lint.severity"), path)
    ignores = _lint_ignores(lint.get("ignore"), path)
    return WorkbenchConfig(
        layer_prefixes={**config.layer_prefixes, **prefixes},
        layer_folders={**config.layer_folders, **folders},
        base_prefixes=base_prefixes,
        base_counts_as_staging=base_counts,
        keys={**config.keys, **keys},
        new_entry_file=policy,
        lint_severity={**config.lint_severity, **severity},
        lint_ignores=(*config.lint_ignores, *ignores),
        escape_delay_ms=delay,
        clipboard=clipboard,
        sources=(*config.sources, path),
    )


def _reject_unknown(data: dict[str, Any], allowed: set[str], path: Path, where: str) -> None:
    unknown = sorted(str(key) for key in data if key not in allowed)
    if unknown:
        raise ConfigError(
            f"{path}: unknown setting '{where}{unknown[0]}' (known: {', '.join(sorted(allowed))})."
        )


def _mapping(value: Any, path: Path, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: '{where}' must be a mapping.")
    return value


def _layer_map(data: dict[str, Any], path: Path, where: str) -> dict[str, Layer]:
    result = {}
    for key, value in data.items():
        try:
            result[str(key)] = parse_layer(str(value))
        except ValueError as error:
            raise ConfigError(f"{path}: {where}.{key}: {error}.") from None
    return result


def _base_prefixes(value: Any, path: Path) -> tuple[str, ...] | None:
    if value is None or isinstance(value, tuple):
        return value
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise ConfigError(f"{path}: layers.base_prefixes must be a list of name prefixes such as [base_].")
    return tuple(item.strip().lower() for item in value)


def _keys(data: dict[str, Any], path: Path) -> dict[str, str]:
    """`keys:` items: a known binding id, then one or more key names, comma separated."""
    result = {}
    for binding_id, key in data.items():
        if str(binding_id) not in COMMAND_IDS:
            raise ConfigError(
                f"{path}: keys: unknown binding id '{binding_id}' (known: {', '.join(sorted(COMMAND_IDS))})."
            )
        if not isinstance(key, str) or not key.strip():
            raise ConfigError(f"{path}: keys.{binding_id} must be a key name such as 'ctrl+f'.")
        result[str(binding_id)] = key
    return result


def _known_rule(rule: Any, path: Path, where: str) -> str:
    """A rule id from the file, or a ConfigError naming the unknown id."""
    if str(rule) not in RULES:
        raise ConfigError(f"{path}: {where}: unknown lint rule '{rule}' (known: {', '.join(sorted(RULES))}).")
    return str(rule)


def _lint_severity(data: dict[str, Any], path: Path) -> dict[str, str]:
    result = {}
    for rule, value in data.items():
        _known_rule(rule, path, "lint.severity")
        # YAML 1.1 reads a bare `off` as False: accept it as the word the user wrote.
        text = "off" if value is False else str(value).strip().lower()
        if text not in SEVERITY_CHOICES:
            raise ConfigError(f"{path}: lint.severity.{rule} must be one of: {', '.join(SEVERITY_CHOICES)}.")
        result[str(rule)] = text
    return result


def _lint_ignores(value: Any, path: Path) -> list[LintIgnore]:
    """`ignore:` items; each needs a model, a known rule and a non-empty reason."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise ConfigError(f"{path}: 'lint.ignore' must be a list of {{model, rule, reason}} items.")
    ignores = []
    for number, item in enumerate(value, start=1):
        where = f"lint.ignore item {number}"
        if not isinstance(item, dict):
            raise ConfigError(f"{path}: {where} must be a mapping with model, rule and reason.")
        _reject_unknown(item, _IGNORE_KEYS, path, f"{where}: ")
        for key in sorted(_IGNORE_KEYS):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise ConfigError(f"{path}: {where} needs '{key}' (text).")
        rule = _known_rule(item["rule"], path, where)
        ignores.append(LintIgnore(item["model"].strip(), rule, item["reason"].strip()))
    return ignores


def save_layer_mapping(project_root: Path, prefixes: Mapping[str, Layer], folders: Mapping[str, Layer]) -> Path:
    """Add prefixes and folders to the project's `layers:` section, touching no other line.

    A missing file is created; a file without `layers:` gets the section appended; an existing
    section is rewritten with the new keys merged in (its other settings kept). The result is
    checked as a configuration before it is written; raises ConfigError, and writes nothing, when
    the file cannot be read or the result would not load.
    """
    path = project_root / PROJECT_CONFIG_FILE
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"Cannot read {path}: {error}") from error
    data = _parse_file(path) if text.strip() else {}
    layers = dict(_mapping(data.get("layers"), path, "layers"))
    for key, added in (("prefixes", prefixes), ("folders", folders)):
        merged = {**_mapping(layers.get(key), path, f"layers.{key}"), **{k: v.value for k, v in added.items()}}
        if merged:
            layers[key] = merged
    block = yaml.safe_dump({"layers": layers}, sort_keys=False, default_flow_style=False)
    new_text = _with_top_level_block(text, "layers", block)
    _merge(WorkbenchConfig(), _parsed_text(new_text, path), path)
    try:
        atomic_write_bytes(path, new_text.encode("utf-8"))
    except (OSError, SaveFailed) as error:
        raise ConfigError(f"Cannot write {path}: {error}") from error
    return path


def _parsed_text(text: str, path: Path) -> dict[str, Any]:
    try:
        data = load_yaml(text)
    except yaml.YAMLError as error:
        raise ConfigError(f"{path} would not be valid YAML: {problem_from(error).describe()}") from error
    return data if isinstance(data, dict) else {}


def _with_top_level_block(text: str, key: str, block: str) -> str:
    """Replace the lines of a top-level key (key line to the end of its value), or append the block."""
    root = yaml.compose(text) if text.strip() else None
    lines = text.splitlines(keepends=True)
    if isinstance(root, yaml.MappingNode):
        for key_node, value_node in root.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                start = key_node.start_mark.line
                end_mark = value_node.end_mark
                end = end_mark.line if end_mark.column == 0 else end_mark.line + 1
                return "".join([*lines[:start], block, *lines[end:]])
    separator = "" if not text or text.endswith("\n") else "\n"
    return text + separator + ("\n" if text.strip() else "") + block
