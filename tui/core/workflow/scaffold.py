"""Step 2's docs scaffold: the model's entry filled with its output columns, saying where each came from.

Columns come from the model's compiled query (its names and types, read through the warehouse).
A column that passes through unchanged from an upstream model (same name, no transformation:
tui.core.workflow.passthrough) inherits that model's description; a renamed or computed one
gets none, since a wrong inherited description is worse than none. An existing description is
never overwritten (a `{{ doc('...') }}` reference stays as it is), existing keys and tests stay,
columns the entry lists that the query no longer outputs stay too (said in the notes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from tui.core.workflow.entry_writer import entry_text_of
from tui.core.workflow.passthrough import PassedThrough

UpstreamDocs = Mapping[str, Mapping[str, str]]
"""Upstream model name (lower case) -> column name (lower case) -> its description."""


@dataclass(frozen=True, slots=True)
class Scaffold:
    text: str
    """The entry as the YAML pane shows it."""
    notes: list[str] = field(default_factory=list)
    added: int = 0
    inherited: int = 0


def scaffold_entry(
    model_name: str, columns: Sequence[tuple[str, str]], existing: Mapping[str, Any] | None,
    passed: Mapping[str, PassedThrough], upstream: UpstreamDocs,
) -> Scaffold:
    entry: dict[str, Any] = dict(existing) if existing else {"name": model_name}
    entry.setdefault("description", "")
    listed = [dict(c) if isinstance(c, dict) else c for c in entry.get("columns") or []]
    by_name = {str(c.get("name")).lower(): c for c in listed if isinstance(c, dict)}
    comments: dict[str, str] = {}
    added = inherited = 0
    for name, data_type in columns:
        column = by_name.get(name.lower())
        if column is None:
            column = {"name": name}
            if data_type:
                column["data_type"] = data_type
            listed.append(column)
            by_name[name.lower()] = column
            added += 1
        if str(column.get("description") or "").strip():
            continue  # never overwritten
        description, origin = _inherited(name, passed, upstream)
        column["description"] = description
        comments[str(column["name"])] = origin
        inherited += bool(description)
        _description_first(column)
    entry["columns"] = listed
    output = {name.lower() for name, _ in columns}
    gone = [str(c.get("name")) for c in listed if isinstance(c, dict) and str(c.get("name")).lower() not in output]
    notes = [f"{added} column(s) added, {inherited} description(s) inherited from upstream models."]
    if gone:
        notes.append("Kept, although the query does not output them: " + ", ".join(gone) + ".")
    return Scaffold(entry_text_of(entry, comments), notes, added, inherited)


def _inherited(name: str, passed: Mapping[str, PassedThrough], upstream: UpstreamDocs) -> tuple[str, str]:
    """(description, where it came from in words) for one column without a description."""
    source = passed.get(name.lower())
    star = passed.get("*")
    if source is None and star is not None:
        source = PassedThrough(name.lower(), star.relation)
    if source is None or not source.relation:
        return "", "new here (computed, renamed or joined): describe it"
    text = (upstream.get(source.relation) or {}).get(name.lower(), "")
    if not text:
        return "", f"passes through from {source.relation}, which does not describe it"
    return text, f"from {source.relation}.{name} (passes through unchanged)"


def _description_first(column: dict[str, Any]) -> None:
    """name, description, then the rest, as people write entries."""
    ordered = {"name": column["name"], "description": column["description"]}
    ordered.update((k, v) for k, v in column.items() if k not in ordered)
    column.clear()
    column.update(ordered)
