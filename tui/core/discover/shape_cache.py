"""The SQL shapes of a whole project at once: from a disk cache where a file is unchanged, the rest
parsed.

The cache is keyed by a hash of each file's bytes and the dialect, so a file that changed is always
parsed again: the cache can only save work, never give a stale shape. It keeps the parsed parts
(projections, filters, joins, output columns) and not the word shingles, which are cheaper to
rebuild from the text than to store. Like the schema cache it lives in
$XDG_CACHE_HOME/dbt-workbench, one file per project; a damaged or old cache is ignored and rewritten.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Sequence

import msgspec
import sqlglot

from tui.core.discover.sql_shape import SqlShape, shape_from_parts, shape_of
from tui.core.files import SaveFailed, atomic_write_bytes
from tui.core.scan.cache import project_cache_file

CACHE_FORMAT = 1


class _Record(msgspec.Struct, array_like=True):
    digest: str
    parsed: bool
    projections: list[str]
    filters: list[str]
    joins: list[str]
    output_columns: list[str]


class _CacheFile(msgspec.Struct):
    format: int
    sqlglot: str
    files: dict[str, _Record]


def shape_digest(data: bytes, dialect: str) -> str:
    """The cache key of one file's shape: its bytes, and the dialect they were parsed in."""
    return hashlib.blake2b(dialect.encode() + b"\0" + data, digest_size=16).hexdigest()


class ShapeCache:
    """Per-project cache of SQL shapes: look up by path and digest; save once at the end."""

    def __init__(self, project_root: Path, directory: Path | None = None) -> None:
        self.path = project_cache_file(project_root, "sql-shapes", directory).with_suffix(".msgpack")
        self._records = self._load()
        self._changed = False

    def _load(self) -> dict[str, _Record]:
        try:
            cached = msgspec.msgpack.decode(self.path.read_bytes(), type=_CacheFile)
        except (OSError, msgspec.DecodeError, msgspec.ValidationError):
            return {}
        return cached.files if (cached.format, cached.sqlglot) == (CACHE_FORMAT, sqlglot.__version__) else {}

    def get(self, rel_path: str, digest: str, text: str) -> SqlShape | None:
        """The shape of `text` if the cache holds it for these exact bytes."""
        record = self._records.get(rel_path)
        if record is None or record.digest != digest:
            return None
        return shape_from_parts(text, record.parsed, record.projections, record.filters, record.joins, record.output_columns)

    def put(self, rel_path: str, digest: str, shape: SqlShape) -> None:
        self._records[rel_path] = _Record(
            digest, shape.parsed, sorted(shape.projections), sorted(shape.filters), sorted(shape.joins), list(shape.output_columns)
        )
        self._changed = True

    def forget_missing(self, present: set[str]) -> None:
        for rel_path in set(self._records) - present:
            del self._records[rel_path]
            self._changed = True

    def save(self) -> None:
        """Write atomically if anything changed; a cache that cannot be written is simply skipped."""
        if not self._changed:
            return
        payload = msgspec.msgpack.encode(_CacheFile(CACHE_FORMAT, sqlglot.__version__, self._records))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(self.path, payload)
        except (OSError, SaveFailed):
            return
        self._changed = False


def shapes_of(texts: Sequence[str], dialect: str = "duckdb", workers: int = 1) -> list[SqlShape]:
    """Each text's shape, in order.

    In the app they are parsed in this process (it has threads, so it must not fork; a process
    pool there gained nothing on two cores under the app's other work, and a large project's first
    index is the cost the cache saves on every later one). A process of its own, such as the
    `dupes` command, may pass `workers` > 1 to parse in that many forked processes."""
    if workers <= 1 or len(texts) < PARALLEL_FROM:
        return [shape_of(text, dialect) for text in texts]
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(workers) as pool:
        chunk = max(1, len(texts) // (workers * 8))
        return pool.starmap(shape_of, [(text, dialect) for text in texts], chunksize=chunk)


PARALLEL_FROM = 200
"""Below this many files to parse, forking workers costs more than it saves."""
