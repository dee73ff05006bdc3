"""A disk cache of schema-file indexes, keyed by a hash of each file's bytes.

A file whose bytes changed gets a new hash and is re-read, so the cache can never give a stale
answer; it only saves parsing. It lives in $XDG_CACHE_HOME/dbt-workbench (default ~/.cache), one
file per project, and a damaged or old-format cache is ignored and rewritten.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Mapping

import msgspec

from tui.core.files import SaveFailed, atomic_write_bytes
from tui.core.project.records import FileProblem, SchemaEntry, SourceTable
from tui.core.scan.schema_index import SchemaFileIndex

CACHE_FORMAT = 4  # 2: primary_key_tested; 3: rejected files and the names they mention; 4: descriptions, columns


class _Entry(msgspec.Struct, array_like=True):
    name: str
    line: int
    documented: bool
    tested: bool
    columns: int
    primary_key_tested: bool = False
    description: str = ""
    column_names: list[str] = []


class _Source(msgspec.Struct, array_like=True):
    source_name: str
    table_name: str
    line: int
    documented: bool
    columns: list[tuple[str, str]] = []
    description: str = ""


class _FileRecord(msgspec.Struct, array_like=True):
    digest: str
    entries: list[_Entry]
    sources: list[_Source]
    problem: tuple[str, int | None] | None = None
    rejected: bool = False
    named: list[str] = []


class _CacheFile(msgspec.Struct):
    format: int
    files: dict[str, _FileRecord]


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    base = env.get("XDG_CACHE_HOME") or str(Path(env.get("HOME") or Path.home()) / ".cache")
    return Path(base) / "dbt-workbench"


def project_cache_file(project_root: Path, kind: str, directory: Path | None = None) -> Path:
    """One cache file per project and kind, named by a hash of the project's path."""
    key = hashlib.blake2b(str(project_root).encode(), digest_size=8).hexdigest()
    return (directory or cache_dir()) / f"{kind}-{key}"


class SchemaCache:
    """Per-project cache: look up a file's index by path and digest; save once at the end."""

    def __init__(self, project_root: Path, directory: Path | None = None) -> None:
        self.path = project_cache_file(project_root, "schema-index", directory).with_suffix(".json")
        self._records = self._load()
        self._changed = False

    def _load(self) -> dict[str, _FileRecord]:
        try:
            cached = msgspec.json.decode(self.path.read_bytes(), type=_CacheFile)
        except (OSError, msgspec.DecodeError, msgspec.ValidationError):
            return {}
        return cached.files if cached.format == CACHE_FORMAT else {}

    def get(self, rel_path: str, digest: str) -> SchemaFileIndex | None:
        record = self._records.get(rel_path)
        if record is None or record.digest != digest:
            return None
        return _from_record(rel_path, record)

    def put(self, rel_path: str, digest: str, index: SchemaFileIndex) -> None:
        self._records[rel_path] = _to_record(digest, index)
        self._changed = True

    def forget_missing(self, present: set[str]) -> None:
        for rel_path in set(self._records) - present:
            del self._records[rel_path]
            self._changed = True

    def save(self) -> None:
        """Write atomically if anything changed; a cache that cannot be written is simply skipped."""
        if not self._changed:
            return
        payload = msgspec.json.encode(_CacheFile(CACHE_FORMAT, self._records))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(self.path, payload)
        except (OSError, SaveFailed):
            return
        self._changed = False


def _to_record(digest: str, index: SchemaFileIndex) -> _FileRecord:
    entries = [
        _Entry(e.name, e.line, e.documented, e.tested, e.columns, e.primary_key_tested, e.description, list(e.column_names))
        for e in index.entries
    ]
    sources = [
        _Source(s.source_name, s.table_name, s.line, s.documented, [tuple(c) for c in s.columns], s.description)
        for s in index.sources
    ]
    problem = (index.problem.message, index.problem.line) if index.problem else None
    rejected = bool(index.problem and index.problem.rejected)
    return _FileRecord(digest, entries, sources, problem, rejected, list(index.named))


def _from_record(rel_path: str, record: _FileRecord) -> SchemaFileIndex:
    entries = [
        SchemaEntry(
            e.name, rel_path, e.line, e.documented, e.tested, e.columns, e.primary_key_tested, e.description,
            tuple(e.column_names),
        )
        for e in record.entries
    ]
    sources = [
        SourceTable(s.source_name, s.table_name, rel_path, s.line, s.documented, tuple(map(tuple, s.columns)), s.description)
        for s in record.sources
    ]
    problem = FileProblem(rel_path, record.problem[0], record.problem[1], record.rejected) if record.problem else None
    return SchemaFileIndex(entries, sources, problem, tuple(record.named))
