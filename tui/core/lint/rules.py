"""The lint rules: ids, default severities, and the checks that need no SQL parser.

The layer, naming, docs and test rules carry the names and meaning of dbt-project-evaluator's rules,
so a team that knows one knows the other. Two rules are ours: `hard_coded_relation` (the guard found
a table read without ref()/source()) and `not_checked` (the guard could not decide). This module
imports no SQL parser, so the configuration can check rule ids without paying for one.

Simplifications, on purpose:
- A model's folder layer is the innermost folder that names a layer (config `layers.folders`),
  else `other`; its prefix layer is its longest configured prefix, if any.
- `fct_model_directories` compares those two only; it does not ask that a staging model sit in a
  subfolder named after its source.
- A ref() to a model this project does not have (a package's) has no layer and is not judged by the
  layer rules; it still counts as "a model" for `fct_direct_join_to_source` and `fct_root_models`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Iterator, Mapping, NamedTuple

from tui.core.project.records import FileProblem, ModelFile, SchemaEntry
from tui.core.project.layers import Layer, LayerRules


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


SEVERITY_OFF = "off"
SEVERITY_CHOICES = (Severity.ERROR.value, Severity.WARNING.value, SEVERITY_OFF)
OTHER_PREFIXES = ("rpt_",)
"""dbt-project-evaluator's default prefix for models outside the layer folders."""


class RuleInfo(NamedTuple):
    title: str
    severity: Severity
    meaning: str


@dataclass(frozen=True)
class Finding:
    """One thing a rule found in one model; `line` is 1-based in `path`, None when unknown."""

    rule: str
    severity: Severity
    model: str
    message: str
    path: str
    line: int | None

    def as_data(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "model": self.model,
            "message": self.message,
            "path": self.path,
            "line": self.line,
        }


HARD_CODED = "hard_coded_relation"
NOT_CHECKED = "not_checked"
STAGING_ON_STAGING = "fct_staging_dependent_on_staging"
STAGING_ON_DOWNSTREAM = "fct_staging_dependent_on_marts_or_intermediate"
DOWNSTREAM_ON_SOURCE = "fct_marts_or_intermediate_dependent_on_source"
DIRECT_JOIN = "fct_direct_join_to_source"
MULTIPLE_SOURCES = "fct_multiple_sources_joined"
NAMING = "fct_model_naming_conventions"
DIRECTORIES = "fct_model_directories"
UNDOCUMENTED = "fct_undocumented_models"
MISSING_KEY_TESTS = "fct_missing_primary_key_tests"
ROOT_MODELS = "fct_root_models"
INVALID_SCHEMA_YAML = "invalid_schema_yaml"

_W, _E = Severity.WARNING, Severity.ERROR
RULES: Mapping[str, RuleInfo] = {
    HARD_CODED: RuleInfo(
        "Hard-coded relation", _E, "The model reads a table directly instead of via ref() or source()."
    ),
    NOT_CHECKED: RuleInfo("Not checked", _W, "The guard could not decide whether the model reads tables directly."),
    STAGING_ON_STAGING: RuleInfo(
        "Staging depends on staging", _W, "A staging model reads another staging model; staging reads sources only."
    ),
    STAGING_ON_DOWNSTREAM: RuleInfo(
        "Staging depends on marts or intermediate", _W, "A staging model reads a model of a later layer."
    ),
    DOWNSTREAM_ON_SOURCE: RuleInfo(
        "Marts or intermediate depend on a source", _W, "Only staging models should read sources."
    ),
    DIRECT_JOIN: RuleInfo(
        "Direct join to source", _W, "A model reads both a source and a model; give the source a staging model."
    ),
    MULTIPLE_SOURCES: RuleInfo(
        "Multiple sources joined", _W, "A model reads more than one source; a staging model cleans one source."
    ),
    NAMING: RuleInfo(
        "Model naming conventions", _W, "A model's name lacks the prefix of the layer folder it lives in."
    ),
    DIRECTORIES: RuleInfo(
        "Model directories", _W, "A model's prefix names a layer other than the one of its folder."
    ),
    UNDOCUMENTED: RuleInfo("Undocumented models", _W, "The model has no description."),
    MISSING_KEY_TESTS: RuleInfo(
        "Missing primary key tests",
        _W,
        "No column has both unique and not_null tests, and no dbt_utils.unique_combination_of_columns test.",
    ),
    ROOT_MODELS: RuleInfo("Root models", _W, "The model reads no source and no model."),
    INVALID_SCHEMA_YAML: RuleInfo(
        "Invalid schema YAML", _E, "A schema file dbt would refuse to parse: invalid YAML, a tab, a duplicate key."
    ),
}


@dataclass(frozen=True)
class ModelFacts:
    """What the rules look at for one model: its lineage, its text (for lines) and its YAML entry."""

    model: ModelFile
    refs: tuple[str, ...]
    sources: tuple[tuple[str, str], ...]
    text: str
    entry: SchemaEntry | None
    rejected_entry: FileProblem | None = None
    """The schema file dbt would refuse that mentions this model (its entry is there, unreadable)."""


@dataclass(frozen=True)
class LayerView:
    """The project's layers as the rules need them: each model's layer, and the prefix/folder rules."""

    rules: LayerRules
    layer_of: Mapping[str, Layer]

    def folder_layer(self, model: ModelFile) -> Layer:
        for folder in reversed(model.folders):
            layer = self.rules.folders.get(folder.lower())
            if layer is not None:
                return layer
        return Layer.OTHER

    def prefix_layer(self, name: str) -> Layer | None:
        lowered = name.lower()
        for prefix in sorted(self.rules.prefixes, key=len, reverse=True):
            if lowered.startswith(prefix):
                return self.rules.prefixes[prefix]
        return Layer.OTHER if lowered.startswith(OTHER_PREFIXES) else None

    def staging_on_staging(self, child: str, parent: str) -> bool:
        """Two staging models; one of the base sub-layer counts only if the team says so."""
        if self.rules.base_counts_as_staging:
            return True
        return not (self.rules.is_base(child) or self.rules.is_base(parent))

    def prefixes_for(self, layer: Layer) -> list[str]:
        prefixes = sorted(prefix for prefix, named in self.rules.prefixes.items() if named is layer)
        return [*prefixes, *OTHER_PREFIXES] if layer is Layer.OTHER else prefixes


def _finding(rule: str, facts: ModelFacts, message: str, line: int | None) -> Finding:
    return Finding(rule, RULES[rule].severity, facts.model.name, message, facts.model.path, line)


def ref_line(text: str, name: str) -> int | None:
    """The line of the first ref('name') or ref('package', 'name') call, so a finding can point at it."""
    pattern = rf"""\bref\(\s*(?:['"][^'"]+['"]\s*,\s*)?['"]{re.escape(name)}['"]"""
    return _line_of(text, pattern)


def source_line(text: str, source: tuple[str, str]) -> int | None:
    pattern = rf"""\bsource\(\s*['"]{re.escape(source[0])}['"]\s*,\s*['"]{re.escape(source[1])}['"]"""
    return _line_of(text, pattern)


def _line_of(text: str, pattern: str) -> int | None:
    match = re.search(pattern, text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def layer_findings(facts: ModelFacts, view: LayerView) -> Iterator[Finding]:
    """The lineage rules: which layers (and sources) this model may read."""
    layer = facts.model.layer
    name = facts.model.name
    for ref in facts.refs:
        parent = view.layer_of.get(ref)
        if layer is Layer.STAGING and parent is Layer.STAGING and view.staging_on_staging(name, ref):
            message = f"staging model {name} reads staging model {ref}; staging models read sources only"
            yield _finding(STAGING_ON_STAGING, facts, message, ref_line(facts.text, ref))
        elif layer is Layer.STAGING and parent in (Layer.INTERMEDIATE, Layer.MARTS):
            message = f"staging model {name} reads {parent.value} model {ref}"
            yield _finding(STAGING_ON_DOWNSTREAM, facts, message, ref_line(facts.text, ref))
    for source in facts.sources:
        label = ".".join(source)
        line = source_line(facts.text, source)
        if layer in (Layer.INTERMEDIATE, Layer.MARTS):
            message = f"{layer.value} model {name} reads source {label}; read it through a staging model"
            yield _finding(DOWNSTREAM_ON_SOURCE, facts, message, line)
        if facts.refs:
            message = f"{name} reads source {label} and models ({', '.join(facts.refs)})"
            yield _finding(DIRECT_JOIN, facts, message, line)
    if len(facts.sources) > 1:
        labels = ", ".join(".".join(source) for source in facts.sources)
        message = f"{name} reads {len(facts.sources)} sources ({labels}); a staging model cleans one"
        yield _finding(MULTIPLE_SOURCES, facts, message, source_line(facts.text, facts.sources[1]))
    if not facts.refs and not facts.sources:
        yield _finding(ROOT_MODELS, facts, f"{name} reads no source and no model", None)


def naming_findings(facts: ModelFacts, view: LayerView) -> Iterator[Finding]:
    """Prefix against folder, both ways round (see the module docstring). A model whose prefix
    names another layer than its folder is reported once, by the directory rule."""
    name = facts.model.name
    folder_layer = view.folder_layer(facts.model)
    prefix_layer = view.prefix_layer(name)
    expected = view.prefixes_for(folder_layer)
    misplaced = prefix_layer is not None and prefix_layer is not folder_layer
    if expected and not misplaced and not name.lower().startswith(tuple(expected)):
        layer = facts.model.layer
        where = "outside the layer folders" if folder_layer is Layer.OTHER else f"in {_a(folder_layer.value)} folder"
        message = (f"{name} is in the {layer.value} layer ({where}) but its name does not start with "
                   f"{' or '.join(expected)}, the prefixes that layer expects")
        yield _finding(NAMING, facts, message, None)
    if misplaced:
        where = f"{_a(folder_layer.value)} folder" if folder_layer is not Layer.OTHER else "no layer folder"
        message = f"{name} is named as {_a(prefix_layer.value)} model but lives in {where} ({facts.model.path})"
        yield _finding(DIRECTORIES, facts, message, None)


def _a(word: str) -> str:
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"


def rejected_file_finding(problem: FileProblem, model: str = "") -> Finding:
    """A schema file dbt would refuse, at the line its error names."""
    message = f"dbt would refuse this schema file: {problem.message}"
    if model:
        message = f"the YAML entry of {model} is in a file dbt would refuse ({problem.path}): {problem.message}"
    return Finding(INVALID_SCHEMA_YAML, RULES[INVALID_SCHEMA_YAML].severity, model, message, problem.path, problem.line)


def schema_findings(facts: ModelFacts) -> Iterator[Finding]:
    """Docs and primary-key tests, located at the YAML entry (or the model file without one)."""
    entry = facts.entry
    path, line = (entry.path, entry.line) if entry else (facts.model.path, None)
    name = facts.model.name
    if entry is None and facts.rejected_entry is not None:
        return  # reported once for the file (invalid_schema_yaml), not as a missing entry
    if entry is None or not entry.documented:
        why = "has no YAML entry" if entry is None else "has no description"
        yield Finding(UNDOCUMENTED, RULES[UNDOCUMENTED].severity, name, f"{name} {why}", path, line)
    if entry is None or not entry.primary_key_tested:
        message = f"{name} has no column tested unique and not_null (nor unique_combination_of_columns)"
        yield Finding(MISSING_KEY_TESTS, RULES[MISSING_KEY_TESTS].severity, name, message, path, line)
