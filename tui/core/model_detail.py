"""Everything the detail pane shows for one model, read off the UI thread."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tui.core.inventory import ModelFile, ProjectScan
from tui.core.model_files import decode_text
from tui.core.schema_entry import EntryText, find_entry_text


@dataclass(frozen=True, slots=True)
class ModelDetail:
    """A model's text, its YAML entry (or why there is none), and its neighbours in the lineage."""

    model: ModelFile
    sql: str
    sql_problem: str | None
    entry: EntryText | None
    entry_note: str
    parents: tuple[str, ...]
    children: tuple[str, ...]


def children_of(scan: ProjectScan, model_name: str) -> tuple[str, ...]:
    """Models that ref() the named model."""
    return tuple(sorted(m.name for m in scan.models if model_name in m.refs))


def readers_of_source(scan: ProjectScan, source_name: str, table_name: str) -> tuple[str, ...]:
    """Models that read the source table with source()."""
    return tuple(sorted(m.name for m in scan.models if (source_name, table_name) in m.sources))


def load_model_detail(root: Path, scan: ProjectScan, model: ModelFile) -> ModelDetail:
    """Read the model file and its schema entry; unreadable files become notes, not errors."""
    try:
        sql, sql_problem = decode_text((root / model.path).read_bytes())
    except OSError as error:
        sql, sql_problem = "", f"cannot read {model.path}: {error.strerror}"
    entry_record = scan.entry_for(model.name)
    entry: EntryText | None = None
    if entry_record is None:
        note = f"No schema YAML file has an entry for {model.name}."
    else:
        found = find_entry_text(root / entry_record.path, model.name)
        entry = found if isinstance(found, EntryText) else None
        note = f"{entry_record.path}:{entry_record.line}" if entry else str(found)
    parents = (*model.refs, *(f"{source}.{table}" for source, table in model.sources))
    return ModelDetail(model, sql, sql_problem, entry, note, parents, children_of(scan, model.name))
