"""Walk model-paths fast, without dbt: file names, layers, and the refs and sources in the text."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from tui.core.project.records import FileProblem, ModelFile
from tui.core.project.layers import LayerRules
from tui.core.scan.model_reading import ProjectReading

MODEL_SUFFIXES = {".sql": "sql", ".py": "python"}
SCHEMA_SUFFIXES = {".yml", ".yaml"}
# One pass finds ref('m'), ref ( "m" ), ref('pkg', 'm'), ref('m', v=2) and source('s', 't'):
# three passes cost 3x.
_CALL = re.compile(r"""\b(ref|source)\s*\(\s*['"]([^'"]+)['"]\s*(?:,\s*['"]([^'"]+)['"]\s*)?[,)]""")


@dataclass(slots=True)
class FoundFiles:
    """What a walk of the model folders found, with the newest modification time among them."""

    models: list[tuple[Path, Path]]
    schema_files: list[Path]
    problems: list[FileProblem]
    newest_mtime: float


def walk_model_dirs(root: Path, model_dirs: list[Path]) -> FoundFiles:
    """List model and schema files; follows symlinks once (loops are reported, not followed)."""
    found = FoundFiles([], [], [], 0.0)
    seen_dirs: set[str] = set()
    for base in model_dirs:
        _walk(root, base, base, found, seen_dirs)
    found.models.sort(key=lambda pair: str(pair[1]))
    found.schema_files.sort()
    return found


def _walk(root: Path, base: Path, folder: Path, found: FoundFiles, seen_dirs: set[str]) -> None:
    real = os.path.realpath(folder)
    if real in seen_dirs:
        found.problems.append(FileProblem(_rel(root, folder), "folder seen before (symlink loop?); skipped"))
        return
    seen_dirs.add(real)
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as error:
        found.problems.append(FileProblem(_rel(root, folder), f"cannot list folder: {error.strerror}"))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_dir():
                _walk(root, base, Path(entry.path), found, seen_dirs)
            elif entry.is_file():
                _note_file(base, Path(entry.path), entry.stat().st_mtime, found)
        except OSError as error:
            found.problems.append(FileProblem(_rel(root, Path(entry.path)), f"cannot read: {error.strerror}"))


def _note_file(base: Path, path: Path, mtime: float, found: FoundFiles) -> None:
    suffix = path.suffix.lower()
    if suffix in MODEL_SUFFIXES:
        found.models.append((base, path))
    elif suffix in SCHEMA_SUFFIXES:
        found.schema_files.append(path)
    else:
        return
    found.newest_mtime = max(found.newest_mtime, mtime)


def _rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def read_model(
    root: Path, base: Path, path: Path, rules: LayerRules, reading: ProjectReading | None = None,
    pending: list[str] | None = None,
) -> ModelFile:
    """Read one model file; undecodable bytes are reported and the rest is still scanned.

    Paths are handled as strings here: this runs once per model, and pathlib's parsing
    costs more than the regexes on a 5,000-model project.
    """
    path_text = str(path)
    folder, file_name = os.path.split(path_text)
    name, suffix = os.path.splitext(file_name)
    rel_folder = os.path.relpath(folder, str(base))
    folders = () if rel_folder == "." else tuple(rel_folder.split(os.sep))
    rel = os.path.relpath(path_text, str(root)).replace(os.sep, "/")
    layer = rules.classify(name, folders)
    language = MODEL_SUFFIXES[suffix.lower()]
    try:
        with open(path_text, "rb") as stream:
            data = stream.read()
    except OSError as error:
        return ModelFile(name, rel, folders, layer, language, problem=f"cannot read: {error.strerror}")
    text, problem = decode_text(data)
    refs, sources = calls_in(text)
    verdict = (reading or _PLAIN_READING).verdict(folders, name, text)
    if verdict.pending and pending is not None:
        pending.append(rel)
    if verdict.refs or verdict.sources:
        refs = tuple(dict.fromkeys((*refs, *verdict.refs)))
        sources = tuple(dict.fromkeys((*sources, *verdict.sources)))
    config = verdict.config
    return ModelFile(
        name=name,
        path=rel,
        folders=folders,
        layer=layer,
        language=language,
        refs=refs,
        sources=sources,
        enabled=config.enabled,
        problem=problem,
        size=len(data),
        disabled_by=config.disabled_by,
        materialized=config.materialized,
        tags=config.tags,
        schema_name=config.schema,
    )


_PLAIN_READING = ProjectReading()


def decode_text(data: bytes) -> tuple[str, str | None]:
    """Decode UTF-8 (with or without BOM); on bad bytes, say where and keep going with replacements."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        message = f"not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start})"
        return data.decode("utf-8-sig", errors="replace"), message


def calls_in(text: str) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Model names in ref() calls and (source, table) pairs in source() calls, first-seen order.

    ref('pkg', 'model') gives 'model'; a source() needs both of its arguments.
    """
    refs: dict[str, None] = {}
    sources: dict[tuple[str, str], None] = {}
    for kind, first, second in _CALL.findall(text):
        if kind == "ref":
            refs[second or first] = None
        elif second:
            sources[(first, second)] = None
    return tuple(refs), tuple(sources)
