"""A model's neighbours in the lineage, for the line above the editors."""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.project.records import ModelFile, ProjectScan


@dataclass(frozen=True, slots=True)
class ModelDetail:
    """What the model reads (refs and sources) and which models read it."""

    model: ModelFile
    parents: tuple[str, ...]
    children: tuple[str, ...]


def children_of(scan: ProjectScan, model_name: str) -> tuple[str, ...]:
    """Models that ref() the named model."""
    return tuple(sorted(m.name for m in scan.models if model_name in m.refs))


def readers_of_source(scan: ProjectScan, source_name: str, table_name: str) -> tuple[str, ...]:
    """Models that read the source table with source()."""
    return tuple(sorted(m.name for m in scan.models if (source_name, table_name) in m.sources))


def model_detail(scan: ProjectScan, model: ModelFile) -> ModelDetail:
    """The model's neighbours as `scan` knows them (a newer scan than the one `model` came from
    may have new refs for it: its version of the model, found by path, is used)."""
    model = next((known for known in scan.models if known.path == model.path), model)
    parents = (*model.refs, *(f"{source}.{table}" for source, table in model.sources))
    return ModelDetail(model, parents, children_of(scan, model.name))


def _names_part(label: str, names: tuple[str, ...], shown: int) -> str:
    if not names:
        return f"{label} nothing"
    if shown == 0:
        return f"{label} {len(names)} model{'s' if len(names) != 1 else ''}"
    rest = len(names) - shown
    return f"{label} {', '.join(names[:shown])}" + (f" +{rest} more" if rest else "")


def lineage_line(parents: tuple[str, ...], children: tuple[str, ...], width: int) -> str:
    """"reads a, b · read by c" in at most `width` characters: names are dropped from the end of a
    list and counted ("+3 more"), never cut in the middle; a list that cannot show one name is a count."""
    parents, children = tuple(parents)[:60], tuple(children)[:60]
    best = ""
    best_shown = -1
    for shown_parents in range(len(parents), -1, -1):
        for shown_children in range(len(children), -1, -1):
            if shown_parents + shown_children <= best_shown:
                break
            line = f"{_names_part('reads', parents, shown_parents)} · {_names_part('read by', children, shown_children)}"
            if len(line) <= width:
                best, best_shown = line, shown_parents + shown_children
                break
    if best:
        return best
    counts = f"reads {len(parents)} · read by {len(children)}"
    return counts if len(counts) <= width else f"↑{len(parents)} ↓{len(children)}"


def shorten_path_left(path: str, width: int) -> str:
    """A path that fits `width`, shortened from the left at a folder boundary so the file name stays."""
    if len(path) <= width:
        return path
    tail = path[len(path) - max(width - 1, 1):]
    cut = tail.find("/")
    if 0 <= cut < len(tail) - 1:
        tail = tail[cut:]
    return "…" + tail


def fit_title(title: str, width: int) -> str:
    """A pane title in `width`: its path is shortened from the left, the words around it kept
    ("new entry → …/intermediate/int_x.yml"); only when that is not enough is the whole shortened."""
    if len(title) <= width:
        return title
    paths = [word for word in title.split() if "/" in word]
    if paths:
        path = max(paths, key=len)
        room = len(path) - (len(title) - width)
        if room >= 8:
            return title.replace(path, shorten_path_left(path, room), 1)
    return shorten_path_left(title, width)
