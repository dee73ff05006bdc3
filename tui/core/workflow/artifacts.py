"""What each step approves, read from the files as they are now, and its hash.

Step 1 approves the model's .sql file (its bytes). Step 2 approves the model's schema entry
without its tests (description, columns and their descriptions, anything else the entry says),
step 3 the entry's tests (model-level and per column). The entry is found wherever it is, so
an entry moved to another file keeps its hash: the hash is of what the entry says, not of the
file or of its layout. Each artifact also carries a text form, shown when reviewing and diffed
against what was approved last.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tui.core.errors import WorkbenchError
from tui.core.files import current_bytes
from tui.core.project.records import ModelFile, ProjectScan
from tui.core.scan.model_files import decode_text
from tui.core.scan.schema_index import TEST_KEYS
from tui.core.schema.edit import entry_text
from tui.core.workflow.steps import Step

NO_ENTRY = "(no YAML entry)"
NO_TESTS = "(no tests)"


@dataclass(frozen=True, slots=True)
class Artifact:
    """One step's artifact now: `exists` is False when there is nothing to approve yet."""

    step: Step
    digest: str
    text: str
    exists: bool
    where: str = ""


@dataclass(frozen=True, slots=True)
class Artifacts:
    sql: Artifact
    docs: Artifact
    tests: Artifact

    def of(self, step: Step) -> Artifact:
        return {Step.SQL: self.sql, Step.DOCS: self.docs, Step.TESTS: self.tests}[step]

    def digests(self) -> dict[str, str]:
        """The three hashes by step name: what a later approval (and a run) is based on."""
        return {Step.SQL.value: self.sql.digest, Step.DOCS.value: self.docs.digest, Step.TESTS.value: self.tests.digest}


def digest_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_artifacts(root: Path, model: ModelFile, scan: ProjectScan) -> Artifacts:
    """The model's three artifacts from disk; an unreadable file is an error with its reason."""
    sql = _sql_artifact(root, model)
    entry = scan.entry_for(model.name)
    entry_data = None
    where = ""
    if entry is not None:
        entry_data = read_entry_data(root / entry.path, model.name)
        where = f"{entry.path}:{entry.line}"
    return Artifacts(sql, docs_artifact(entry_data, where), tests_artifact(entry_data, where))


def _sql_artifact(root: Path, model: ModelFile) -> Artifact:
    data = current_bytes(root / model.path)
    if data is None:
        raise WorkbenchError(f"{model.path} is not on disk any more")
    text, _ = decode_text(data)
    return Artifact(Step.SQL, hashlib.sha256(data).hexdigest(), text, True, model.path)


def read_entry_data(schema_path: Path, model_name: str) -> dict[str, Any] | None:
    """The model's entry in one schema file as data (None when the file holds none): read from
    the whole file as dbt reads it (anchors and aliases resolved), else from the entry's lines."""
    data = current_bytes(schema_path)
    if data is None:
        return None
    text, _ = decode_text(data)
    whole = model_item(text, model_name)
    if whole is not None:
        return whole
    try:
        shown = entry_text(text, model_name)
    except WorkbenchError:
        shown = None
    if shown is None:
        return None
    return entry_data_of(shown)


def model_item(file_text: str, model_name: str) -> dict[str, Any] | None:
    """The `models:` item named `model_name` in a whole schema file's text (None: none, or not YAML)."""
    try:
        loaded = yaml.load(file_text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    models = loaded.get("models") if isinstance(loaded, dict) else None
    for item in models if isinstance(models, list) else ():
        if isinstance(item, dict) and item.get("name") == model_name:
            return item
    return None


def entry_data_of(shown_entry: str) -> dict[str, Any] | None:
    """An entry as the YAML pane shows it ("- name: ...") as data; None when it is not a mapping."""
    try:
        loaded = yaml.load(shown_entry, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    if isinstance(loaded, list) and loaded and isinstance(loaded[0], dict):
        return loaded[0]
    return None


def docs_part(entry: dict[str, Any]) -> dict[str, Any]:
    """The entry without its tests: what step 2 approves."""
    part = {key: value for key, value in entry.items() if key not in TEST_KEYS}
    columns = entry.get("columns")
    if isinstance(columns, list):
        part["columns"] = [
            {key: value for key, value in column.items() if key not in TEST_KEYS} if isinstance(column, dict) else column
            for column in columns
        ]
    return part


def tests_part(entry: dict[str, Any]) -> dict[str, Any]:
    """The entry's tests only (model level, then by column): what step 3 approves."""
    part: dict[str, Any] = {}
    model_tests = _tests_of(entry)
    if model_tests:
        part["model"] = model_tests
    columns = entry.get("columns")
    by_column = {}
    if isinstance(columns, list):
        for column in columns:
            if isinstance(column, dict) and _tests_of(column):
                by_column[str(column.get("name"))] = _tests_of(column)
    if by_column:
        part["columns"] = by_column
    return part


def _tests_of(mapping: dict[str, Any]) -> list[Any]:
    found: list[Any] = []
    for key in TEST_KEYS:
        value = mapping.get(key)
        if isinstance(value, list):
            found.extend(value)
    return found


def docs_artifact(entry: dict[str, Any] | None, where: str = "") -> Artifact:
    if entry is None:
        return Artifact(Step.DOCS, digest_text(NO_ENTRY), NO_ENTRY, False, where)
    part = docs_part(entry)
    return Artifact(Step.DOCS, _digest_data(part), _as_yaml(_keys_as_text(part)), True, where)


def tests_artifact(entry: dict[str, Any] | None, where: str = "") -> Artifact:
    part = tests_part(entry) if entry is not None else {}
    if not part:
        return Artifact(Step.TESTS, digest_text(NO_TESTS), NO_TESTS, False, where)
    return Artifact(Step.TESTS, _digest_data(part), _as_yaml(_keys_as_text(part)), True, where)


def _digest_data(data: Any) -> str:
    """Key order and layout do not count: the same entry written another way hashes the same."""
    return digest_text(json.dumps(_keys_as_text(data), sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":")))


def _keys_as_text(data: Any) -> Any:
    """YAML 1.1 gives keys of any type (`on:` is True): as text, so they sort and hash."""
    if isinstance(data, dict):
        return {str(key): _keys_as_text(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_keys_as_text(item) for item in data]
    return data


def _as_yaml(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
