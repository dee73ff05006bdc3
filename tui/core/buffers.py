"""What each editor pane holds for a model, and how its text goes back to disk.

The SQL pane edits the model file. The YAML pane edits only the model's entry in its schema file
(spliced back so every other byte stays), a new entry for a model that has none, or, when the
schema file cannot be edited safely, the whole file as raw text. Files that are not UTF-8 are
shown read-only. Every save checks that the file on disk is still what was loaded.

The editor holds every line break as \\n (`Buffer.shown`); a save puts the file's own breaks
(U+2028, form feeds...) back outside the edited lines, so an unedited file is never rewritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from tui.core.errors import WorkbenchError
from tui.core.files import (
    FileChangedOnDisk, LoadedFile, NotUtf8, atomic_write_bytes, check_writable, create_text_file,
    current_bytes, digest_bytes, load_text_file, resolve_inside, save_text_file,
)
from tui.core.line_breaks import editor_form, restore_line_breaks
from tui.core.project.records import FileProblem, ModelFile, SchemaEntry
from tui.core.schema.edit import SchemaEditRefused, add_entry, check_editable, entry_text, replace_entry, schema_file_for_new_entry


class PaneKind(StrEnum):
    SQL = "sql"
    ENTRY = "entry"
    NEW_ENTRY = "new entry"
    WHOLE_FILE = "whole file"
    READ_ONLY = "read-only"


@dataclass(frozen=True, slots=True)
class Buffer:
    """One pane's text as loaded, where it goes on save, and what the pane should say about it."""

    kind: PaneKind
    model_name: str
    path: Path
    text: str
    lexer: str
    file: LoadedFile | None = None
    note: str | None = None
    first_line: int = 1
    """The file line the pane's first line is (an entry sits somewhere inside its file)."""
    whole_text: str | None = None
    """The file's full text when the pane shows less of it (long lines cut): what the lint reads."""
    shown: str = field(init=False, repr=False, compare=False)
    """`text` as the editor holds it (every line break a \\n): the pane is modified when they differ."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "shown", editor_form(self.text))

    @property
    def read_only(self) -> bool:
        return self.kind is PaneKind.READ_ONLY

    @property
    def title(self) -> str:
        labels = {
            PaneKind.SQL: f"{self.path}",
            PaneKind.ENTRY: f"{self.path} · entry {self.model_name}",
            PaneKind.NEW_ENTRY: f"new entry → {self.path}",
            PaneKind.WHOLE_FILE: f"{self.path} · whole file",
            PaneKind.READ_ONLY: f"{self.path} · read-only",
        }
        return labels[self.kind]


def new_entry_template(model_name: str) -> str:
    return f'- name: {model_name}\n  description: ""\n'


EDITOR_LINE_LIMIT = 20_000
"""A line longer than this (a generated 50 MB one-line model) would take the editor minutes to
lay out and seconds per key: such a file opens read-only, its long lines cut, and says so."""


def open_sql(root: Path, model: ModelFile) -> Buffer:
    lexer = "sql+jinja" if model.language == "sql" else "python"
    path = Path(model.path)
    try:
        loaded = load_text_file(path, root)
    except NotUtf8 as error:
        return _read_only(root, model.name, path, lexer, str(error))
    too_long = _first_long_line(loaded.text)
    if too_long is not None:
        number, length = too_long
        why = (f"read-only: line {number} is {length:,} characters long, over the editor's {EDITOR_LINE_LIMIT:,}; "
               "long lines are cut here (the file on disk is untouched). Break the line in another editor.")
        cut = _cut_long_lines(loaded.text)
        return Buffer(PaneKind.READ_ONLY, model.name, path, cut, lexer, None, why, whole_text=loaded.text)
    return Buffer(PaneKind.SQL, model.name, path, loaded.text, lexer, loaded)


def _first_long_line(text: str) -> tuple[int, int] | None:
    """(1-based number, length) of the first line over EDITOR_LINE_LIMIT, if any."""
    if len(text) <= EDITOR_LINE_LIMIT:
        return None
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > EDITOR_LINE_LIMIT:
            return number, len(line)
    return None


def _cut_long_lines(text: str) -> str:
    return "\n".join(line if len(line) <= EDITOR_LINE_LIMIT else line[:EDITOR_LINE_LIMIT] + " …(cut)"
                     for line in text.split("\n"))


def open_yaml(
    root: Path, model: ModelFile, entry: SchemaEntry | None, policy: str, rejected: FileProblem | None = None
) -> Buffer:
    """The model's entry; or a new one in the file the policy picks; or the whole refused file.

    `rejected`: a schema file dbt would refuse that names the model. Its entry is in there, so the
    whole file opens as text to be fixed, rather than a second entry being offered elsewhere.
    """
    if entry is None and rejected is not None:
        return _open_rejected(root, model, rejected)
    if entry is None:
        return _open_new_entry(root, model, policy)
    path = Path(entry.path)
    try:
        loaded = load_text_file(path, root)
    except NotUtf8 as error:
        return _read_only(root, model.name, path, "yaml", str(error))
    try:
        check_editable(loaded.text)
    except SchemaEditRefused as refused:
        note = f"{refused.reason}; editing the whole file as text instead."
        return Buffer(PaneKind.WHOLE_FILE, model.name, path, loaded.text, "yaml", loaded, note)
    shown = entry_text(loaded.text, model.name)
    if shown is None:  # the entry left the file since the scan
        return _open_new_entry(root, model, policy)
    return Buffer(PaneKind.ENTRY, model.name, path, shown, "yaml", loaded, first_line=entry_line(loaded.text, model.name))


def _open_rejected(root: Path, model: ModelFile, rejected: FileProblem) -> Buffer:
    path = Path(rejected.path)
    where = f"line {rejected.line}: " if rejected.line else ""
    why = f"dbt would refuse {path} ({where}{rejected.message}); it names {model.name}, so fix the file here"
    try:
        loaded = load_text_file(path, root)
    except NotUtf8 as error:
        return _read_only(root, model.name, path, "yaml", str(error))
    return Buffer(PaneKind.WHOLE_FILE, model.name, path, loaded.text, "yaml", loaded, why)


def _open_new_entry(root: Path, model: ModelFile, policy: str) -> Buffer:
    target = schema_file_for_new_entry(root / model.path, policy)
    path = target.relative_to(root)
    loaded = None
    if target.exists():
        try:
            loaded = load_text_file(path, root)
            check_editable(loaded.text)
        except (NotUtf8, SchemaEditRefused):
            path = Path(model.path).with_suffix(".yml")  # the folder's file is unsafe: use our own
            loaded = load_text_file(path, root) if (root / path).exists() else None
    note = f"{model.name} has no YAML entry yet; saving adds this one to {path}."
    return Buffer(PaneKind.NEW_ENTRY, model.name, path, new_entry_template(model.name), "yaml", loaded, note)


def _read_only(root: Path, model_name: str, path: Path, lexer: str, why: str) -> Buffer:
    text = (root / path).read_bytes().decode("utf-8", errors="replace")
    return Buffer(PaneKind.READ_ONLY, model_name, path, text, lexer, None, why)


def save_buffer(root: Path, buffer: Buffer, text: str, *, overwrite_external: bool = False) -> Buffer | None:
    """Write the pane's text (in the editor's form) back; None when nothing needed writing.

    Raises FileChangedOnDisk (the caller asks the user), or a WorkbenchError saying why the text
    or the file was refused; in every case nothing was written.
    """
    if buffer.read_only:
        raise WorkbenchError(f"{buffer.path} is shown read-only: {buffer.note}")
    text = restore_line_breaks(text, buffer.text)
    if buffer.kind in (PaneKind.SQL, PaneKind.WHOLE_FILE):
        saved = save_text_file(buffer.file, text, root, overwrite_external=overwrite_external)
        return None if saved is None else replace(buffer, text=saved.text, file=saved)
    return _save_entry(root, buffer, text, overwrite_external)


def _save_entry(root: Path, buffer: Buffer, text: str, overwrite_external: bool) -> Buffer | None:
    """Splice the entry into the file as it is on disk now (raw text: BOM and line endings kept)."""
    target = resolve_inside(buffer.path, root)
    current = current_bytes(target)
    unchanged = _matches(current, buffer.file)
    if unchanged and text == buffer.text and buffer.kind is PaneKind.ENTRY:
        return None
    if not unchanged and not overwrite_external:
        raise FileChangedOnDisk(buffer.path, current)
    if current is None:
        create_text_file(buffer.path, _splice(None, buffer, text), root)
    else:
        new_raw = _splice(current, buffer, text)
        check_writable(target)
        atomic_write_bytes(target, new_raw.encode("utf-8"))
    loaded = load_text_file(buffer.path, root)
    shown = entry_text(loaded.text, buffer.model_name) or text
    first_line = entry_line(loaded.text, buffer.model_name)
    return Buffer(PaneKind.ENTRY, buffer.model_name, buffer.path, shown, "yaml", loaded, first_line=first_line)


def _splice(current: bytes | None, buffer: Buffer, text: str) -> str:
    """The schema file's whole text with the entry put in (replaced, or added when it has none)."""
    if current is None:
        return add_entry(None, buffer.model_name, text)
    raw = _utf8_or_refuse(current, buffer.path)
    has_entry = entry_text(raw, buffer.model_name) is not None
    return replace_entry(raw, buffer.model_name, text) if has_entry else add_entry(raw, buffer.model_name, text)


def text_after_save(root: Path, buffer: Buffer, text: str) -> str:
    """The whole file as saving `text` would leave it, nothing written (what a save would
    change can be checked first); raises the WorkbenchError the save would."""
    text = restore_line_breaks(text, buffer.text)
    if buffer.kind in (PaneKind.SQL, PaneKind.WHOLE_FILE):
        return text
    return _splice(current_bytes(resolve_inside(buffer.path, root)), buffer, text)


def _utf8_or_refuse(current: bytes, path: Path) -> str:
    """The file as text, to splice the entry into; refused, with where, when no longer UTF-8."""
    try:
        return current.decode("utf-8")
    except UnicodeDecodeError as error:
        raise WorkbenchError(
            f"{path} changed on disk and is no longer UTF-8 text (byte 0x{current[error.start]:02X} at offset "
            f"{error.start}), so the entry cannot be written into it. Nothing was written; your edits stay in "
            "the pane. Fix the file's encoding, or reload it."
        ) from None


def entry_line(text: str, model_name: str) -> int:
    """The 1-based file line of `- name: model` (1 when it cannot be told), for line numbers."""
    pattern = re.compile(rf"""^\s*-\s+name:\s*(['"]?){re.escape(model_name)}\1\s*(#.*)?$""")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return 1


def _matches(current: bytes | None, loaded: LoadedFile | None) -> bool:
    """Is the disk what the pane loaded? A new entry's file that did not exist must still not."""
    if loaded is None:
        return current is None
    return current is not None and digest_bytes(current) == loaded.digest


def disk_version(root: Path, buffer: Buffer, current: bytes | None) -> str | None:
    """The text on disk now, in the pane's terms (the entry only, for an entry), for a diff."""
    if current is None:
        return None
    text = current.decode("utf-8", errors="replace").replace("\r\n", "\n").lstrip("\ufeff")
    if buffer.kind in (PaneKind.ENTRY, PaneKind.NEW_ENTRY):
        text = entry_text(text, buffer.model_name) or ""
    return editor_form(text)
