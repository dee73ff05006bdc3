"""The plain records a project scan produces: models, schema entries, sources, file problems."""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.core.project.layers import Layer


@dataclass(frozen=True, slots=True)
class FileProblem:
    """A file the scan could not fully read; shown beside the file, never fatal."""

    path: str
    message: str
    line: int | None = None
    rejected: bool = False
    """A schema file dbt would refuse to parse (invalid YAML, a duplicate key): a lint error."""

    def describe(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class ModelFile:
    """One model file under model-paths, with what its text (or the manifest) says it reads."""

    name: str
    path: str
    folders: tuple[str, ...]
    layer: Layer
    language: str
    refs: tuple[str, ...] = ()
    sources: tuple[tuple[str, str], ...] = ()
    enabled: bool = True
    problem: str | None = None
    size: int = 0
    disabled_by: str | None = None
    """Where `enabled: false` came from (a dbt_project.yml folder, the model's config()), when disabled."""
    materialized: str | None = None
    tags: tuple[str, ...] = ()
    schema_name: str | None = None


@dataclass(frozen=True, slots=True)
class SchemaEntry:
    """A `models:` item in a schema YAML file: where it is and what it covers."""

    name: str
    path: str
    line: int
    documented: bool
    tested: bool
    columns: int = 0
    primary_key_tested: bool = False
    """A column has both `unique` and `not_null`, or the model has dbt_utils.unique_combination_of_columns."""
    description: str = ""
    column_names: tuple[str, ...] = ()
    """The columns the entry declares, in order (the duplicate finder compares them)."""


@dataclass(frozen=True, slots=True)
class SourceTable:
    """A table declared under `sources:`; the tree lists these as the Sources group."""

    source_name: str
    table_name: str
    path: str
    line: int
    documented: bool
    columns: tuple[tuple[str, str], ...] = ()
    """(name, data_type) of the columns the YAML declares; the type is "" when not given."""
    description: str = ""

    @property
    def qualified(self) -> str:
        return f"{self.source_name}.{self.table_name}"


@dataclass(slots=True)
class SchemaIndex:
    """Every schema entry, source table and YAML problem found under model-paths."""

    entries: dict[str, SchemaEntry] = field(default_factory=dict)
    sources: list[SourceTable] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)
    named_in_rejected: dict[str, FileProblem] = field(default_factory=dict)
    """Model names mentioned in a schema file dbt would refuse: their entry is there, not missing."""
    complete: bool = False
    """False until every schema file was read (the models half of a scan comes first)."""


@dataclass(frozen=True, slots=True)
class ProjectScan:
    """The whole picture of a project, from files alone or with the manifest's lineage."""

    project_name: str
    models: tuple[ModelFile, ...]
    schema: SchemaIndex
    lineage_source: str
    problems: tuple[FileProblem, ...] = ()
    pending_renders: tuple[str, ...] = ()
    """Paths of models whose macro-hidden refs (or rendered config) are not in yet: the fast scan
    for the first frame leaves renders the cache does not hold for later (complete_renders)."""

    def entry_for(self, model_name: str) -> SchemaEntry | None:
        return self.schema.entries.get(model_name)

    def model_named(self, model_name: str) -> ModelFile | None:
        return next((model for model in self.models if model.name == model_name), None)

    def all_problems(self) -> list[FileProblem]:
        return [*self.problems, *self.schema.problems]
