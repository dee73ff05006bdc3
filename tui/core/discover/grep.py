"""Keyword search over every model's SQL and schema YAML: the `grep -r word models/` of the workflow.

The query is one literal phrase (spaces are part of it, as they are for grep), matched without
regard to case unless it holds an uppercase letter (ripgrep's "smart case"). A line that matches
is one hit, at its first match. The files searched are the scan's model files and the schema
YAML files its index read, as they are on disk (not the unsaved text of an editor); they are
read once by a ModelSearch and searched again on every key. Line numbers count lines as the
editor does (tui.core.line_breaks), so a hit opens at the line it names. A file that cannot be
read or decoded is listed as skipped, never silently left out.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Literal

from tui.core.errors import WorkbenchError
from tui.core.files import NotUtf8, load_text_file
from tui.core.line_breaks import editor_form
from tui.core.project.records import ProjectScan

MAX_HITS = 500
"""More hits than this are counted, not listed: nobody reads the 501st line of a list."""
SHOWN_WIDTH = 160
"""Characters of a hit's line shown; a longer line is cut around the match."""

FileKind = Literal["sql", "yaml"]
_YAML_SUFFIXES = (".yml", ".yaml")


@dataclass(frozen=True, slots=True)
class GrepHit:
    """One matching line: where it is, what it says, and the model it belongs to."""

    path: str
    line: int
    """1-based, as the editor's gutter numbers it."""
    column: int
    """1-based column of the first match in the line."""
    text: str
    """The line as shown: leading blanks dropped, cut around the match when long."""
    match: tuple[int, int]
    """Where the match is in `text` (start, end), for highlighting."""
    kind: FileKind
    model: str | None
    """The model whose file (SQL) or schema entry (YAML) holds the line; None for YAML lines
    outside every model's entry (sources, `version:`), which open no model."""


@dataclass(frozen=True, slots=True)
class SkippedFile:
    """A file that was not searched, and why (unreadable, not UTF-8, outside the project)."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class GrepResult:
    """The hits of one query: at most the cap listed, all of them counted."""

    query: str
    hits: tuple[GrepHit, ...]
    total: int
    files_matched: int
    files_searched: int
    skipped: tuple[SkippedFile, ...] = ()
    yaml_pending: bool = False
    """The schema YAML was not indexed yet when the search began: its files are not in it."""

    def summary(self) -> str:
        """One line for people: the count (honest about the cap) and what was not searched."""
        if not self.query:
            counted = f"{self.files_searched} file(s) to search"
        elif self.total == 0:
            counted = f"No match for '{self.query}' in {self.files_searched} file(s)"
        elif self.total > len(self.hits):
            counted = f"first {len(self.hits)} of {self.total} matching lines, in {self.files_matched} file(s)"
        else:
            counted = f"{self.total} matching line(s) in {self.files_matched} file(s)"
        notes = [counted]
        if self.skipped:
            first = self.skipped[0]
            more = f" and {len(self.skipped) - 1} more" if len(self.skipped) > 1 else ""
            notes.append(f"skipped {first.path} ({first.reason}){more}")
        if self.yaml_pending:
            notes.append("the schema YAML is still being read: SQL only")
        return "; ".join(notes)


@dataclass(frozen=True, slots=True)
class _SearchedFile:
    """A file's text as the editor holds it, and the model each of its lines belongs to."""

    path: str
    kind: FileKind
    text: str
    model: str | None = None
    """The model of every line of a SQL file."""
    owners: tuple[str | None, ...] = ()
    """For YAML: the model whose entry each line is in."""

    def owner(self, index: int) -> str | None:
        if self.kind == "sql":
            return self.model
        return self.owners[index] if index < len(self.owners) else None


class ModelSearch:
    """The project's model files, read on the first search and searched on every one after.

    Thread-safe: searches run in workers, and a superseded one may still be reading."""

    def __init__(self, root: Path, scan: ProjectScan) -> None:
        self.root = root
        self.scan = scan
        self._lock = threading.Lock()
        self._files: list[_SearchedFile] | None = None
        self._skipped: tuple[SkippedFile, ...] = ()

    def search(self, query: str, limit: int = MAX_HITS, cancelled: Callable[[], bool] = lambda: False) -> GrepResult | None:
        """The hits of `query`; None when `cancelled` turned true on the way (a newer query came)."""
        files = self._loaded()
        pending = not self.scan.schema.complete
        if not query.strip():
            return GrepResult("", (), 0, 0, len(files), self._skipped, pending)
        pattern = query_pattern(query)
        hits: list[GrepHit] = []
        total = matched = 0
        for searched in files:
            if cancelled():
                return None
            count = _search_file(searched, pattern, hits, limit)
            total += count
            matched += bool(count)
        return GrepResult(query, tuple(hits), total, matched, len(files), self._skipped, pending)

    def _loaded(self) -> list[_SearchedFile]:
        with self._lock:
            if self._files is None:
                self._files, self._skipped = read_model_files(self.root, self.scan)
            return self._files


def query_pattern(query: str) -> re.Pattern[str]:
    """The literal phrase; case matters only when the query holds an uppercase letter."""
    flags = 0 if any(char.isupper() for char in query) else re.IGNORECASE
    return re.compile(re.escape(query), flags)


def read_model_files(root: Path, scan: ProjectScan) -> tuple[list[_SearchedFile], tuple[SkippedFile, ...]]:
    """Every model file and schema YAML file of the scan, by path; the unreadable ones apart."""
    files: list[_SearchedFile] = []
    skipped: list[SkippedFile] = []
    models_by_path = {model.path: model.name for model in scan.models}
    for path in sorted({*models_by_path, *_yaml_paths(scan)}):
        text = _read(root, path, skipped)
        if text is None:
            continue
        if path in models_by_path:
            files.append(_SearchedFile(path, "sql", text, model=models_by_path[path]))
        else:
            files.append(_SearchedFile(path, "yaml", text, owners=entry_owners(text.split("\n"), _entry_starts(scan, path))))
    return files, tuple(skipped)


def _yaml_paths(scan: ProjectScan) -> set[str]:
    """The schema files the index read: those with entries or sources, and those with problems."""
    index = scan.schema
    paths = {entry.path for entry in index.entries.values()} | {source.path for source in index.sources}
    paths |= {problem.path for problem in index.problems if problem.path.lower().endswith(_YAML_SUFFIXES)}
    return paths


def _read(root: Path, path: str, skipped: list[SkippedFile]) -> str | None:
    """The file in editor form, or None with the reason noted in `skipped`."""
    try:
        return editor_form(load_text_file(Path(path), root).text)
    except NotUtf8 as error:
        skipped.append(SkippedFile(path, f"not UTF-8: byte 0x{error.byte:02X} at offset {error.offset}"))
    except WorkbenchError as error:
        skipped.append(SkippedFile(path, str(error)))
    return None


def _entry_starts(scan: ProjectScan, path: str) -> dict[int, str]:
    """The line each model entry of this file starts on, as the schema index found it."""
    return {entry.line: entry.name for entry in scan.schema.entries.values() if entry.path == path}


def entry_owners(lines: list[str], starts: dict[int, str]) -> tuple[str | None, ...]:
    """The model whose entry holds each line (None outside every entry).

    An entry runs from its start line through the lines indented deeper than its "-"; blank and
    comment lines between them are its own, those after its last line are not (the editor's
    YAML pane shows the entry without them)."""
    owners: list[str | None] = [None] * len(lines)
    owner: str | None = None
    dash = 0
    between: list[int] = []
    for index, line in enumerate(lines):
        if index + 1 in starts:
            owner, dash, between = starts[index + 1], _dash_column(line), []
            owners[index] = owner
        elif owner is None:
            continue
        elif not line.strip() or line.lstrip().startswith("#"):
            between.append(index)
        elif _indent(line) > dash:
            for waiting in (*between, index):
                owners[waiting] = owner
            between = []
        else:
            owner, between = None, []
    return tuple(owners)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _dash_column(line: str) -> int:
    """The column of the entry's "-": on its line, or (a "-" alone on the line before) just left of it."""
    indent = _indent(line)
    return indent if line[indent:].startswith("-") else indent - 1


def _search_file(searched: _SearchedFile, pattern: re.Pattern[str], hits: list[GrepHit], limit: int) -> int:
    """Add the file's hits while under `limit`; return how many lines matched."""
    if pattern.search(searched.text) is None:
        return 0
    count = 0
    for index, line in enumerate(searched.text.split("\n")):
        found = pattern.search(line)
        if found is None:
            continue
        count += 1
        if len(hits) < limit:
            text, match = shown_line(line, found.start(), found.end())
            hits.append(GrepHit(searched.path, index + 1, found.start() + 1, text, match, searched.kind, searched.owner(index)))
    return count


def shown_line(line: str, start: int, end: int, width: int = SHOWN_WIDTH) -> tuple[str, tuple[int, int]]:
    """The line without its indentation, cut to `width` around the match; and the match's place in it."""
    body = line.lstrip()
    offset = len(line) - len(body)
    start, end = max(start - offset, 0), max(end - offset, 0)
    if len(body) <= width:
        return body, (start, end)
    begin = max(0, min(start - width // 3, len(body) - width))
    head = "…" if begin else ""
    tail = "…" if begin + width < len(body) else ""
    cut = head + body[begin : begin + width] + tail
    shift = len(head) - begin
    return cut, (start + shift, min(end + shift, len(head) + width))
