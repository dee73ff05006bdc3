"""The duplicate finder's signals, one scorer each: 0..1 and the reason in words, or nothing.

Each scorer compares a draft with one existing model. Scores are calibrated so that one strong
signal alone (the same source table under a staging model, the same select list and joins) is a
likely duplicate, and weak ones only count together (see finder.combine).
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from tui.core.discover.names import stem_similarity
from tui.core.discover.profiles import Profile
from tui.core.discover.sql_shape import jaccard
from tui.core.project.layers import Layer

MIN_SHARED_COLUMNS = 3
SHOWN = 4
DESCRIPTION_WEIGHT = 0.4
"""The most a description can add; it is the dearest scorer, so the project scan skips it when
even this much would not lift a pair to the threshold."""


@dataclass(frozen=True, slots=True)
class Signal:
    kind: str
    score: float
    reason: str


def _listed(items: list[str] | set[str] | frozenset[str]) -> str:
    ordered = sorted(items)
    shown = ", ".join(ordered[:SHOWN])
    return shown + (f" and {len(ordered) - SHOWN} more" if len(ordered) > SHOWN else "")


def _upstream_words(keys: frozenset[str]) -> str:
    words = []
    sources = sorted(k.split(":", 1)[1] for k in keys if k.startswith("source:"))
    refs = sorted(k.split(":", 1)[1] for k in keys if k.startswith("ref:"))
    if sources:
        words.append(("source " if len(sources) == 1 else "sources ") + _listed(sources))
    if refs:
        words.append(_listed(refs))
    return " and ".join(words)


def upstream_signal(draft: Profile, other: Profile) -> Signal | None:
    """Reading the same inputs is the surest sign: a second staging model over one source table."""
    if not draft.upstream or not other.upstream:
        return None
    shared = draft.upstream & other.upstream
    if not shared:
        return None
    if draft.upstream == other.upstream:
        inputs = _upstream_words(shared)
        if all(k.startswith("source:") for k in shared) and len(shared) == 1:
            return Signal("upstream", 0.9, f"also reads {inputs} and nothing else")
        if len(shared) >= 2 and other.layer is Layer.INTERMEDIATE:
            return Signal("upstream", 0.8, f"already joins the same inputs ({inputs}): a reusable intermediate")
        if len(shared) >= 2:
            return Signal("upstream", 0.65, f"reads exactly the same inputs ({inputs})")
        # Many marts read one shared model: alone, that says little.
        return Signal("upstream", 0.35, f"reads the same single input ({inputs})")
    overlap = len(shared) / len(draft.upstream | other.upstream)
    if overlap < 0.5:
        return None
    return Signal("upstream", 0.5 * overlap, f"shares inputs with it ({_upstream_words(shared)}: {len(shared)} of {len(draft.upstream | other.upstream)})")


def sql_signal(draft: Profile, other: Profile) -> Signal | None:
    """Same select list, filters and joins once aliases, CTE names, case and Jinja are normalised."""
    a, b = draft.shape, other.shape
    if a is None or b is None:
        return None
    if a.parsed and b.parsed and a.features and b.features:
        similarity = jaccard(a.features, b.features)
        if similarity < 0.5:
            return None
        return Signal("sql", 0.85 * similarity, _sql_reason(draft, other, similarity))
    similarity = jaccard(a.shingles, b.shingles)
    if similarity < 0.45:
        return None
    return Signal("sql", 0.7 * similarity, f"similar SQL text ({similarity:.0%} of word runs shared; the SQL did not parse)")


def _sql_reason(draft: Profile, other: Profile, similarity: float) -> str:
    a, b = draft.shape, other.shape
    assert a is not None and b is not None
    parts = [f"{similarity:.0%} the same SQL"]
    if a.projections and a.projections == b.projections:
        parts.append(f"the same select list ({len(a.projections)} expressions)")
    elif a.projections & b.projections:
        parts.append(f"{len(a.projections & b.projections)} of {len(a.projections)} select expressions the same")
    for clause, mine, theirs in (("filters", a.filters, b.filters), ("joins", a.joins, b.joins)):
        if mine and mine == theirs:
            parts.append(f"the same {clause}")
        elif mine or theirs:
            only_other = sorted(theirs - mine)
            if only_other:
                parts.append(f"{clause} differ (it has `{only_other[0]}`)")
            elif mine - theirs:
                parts.append(f"{clause} differ (yours adds `{sorted(mine - theirs)[0]}`)")
    return ": ".join([parts[0], ", ".join(parts[1:])]) if len(parts) > 1 else parts[0]


def columns_signal(draft: Profile, other: Profile) -> Signal | None:
    """Overlapping output columns: the same thing may already be built under another name."""
    shared = draft.columns & other.columns
    if len(shared) < MIN_SHARED_COLUMNS:
        return None
    overlap = len(shared) / len(draft.columns | other.columns)
    if overlap < 0.5:
        return None
    weight = 0.45 if draft.layer is other.layer else 0.25  # columns flow down the layers unchanged
    return Signal("columns", weight * overlap, f"has {len(shared)} of the same columns ({_listed(shared)})")


def name_signal(draft: Profile, other: Profile) -> Signal | None:
    """Similar names once layer and source prefixes are gone and plurals folded; alone, a same
    name in the same layer is a likely duplicate, a merely similar one is not."""
    if not draft.stem or not other.stem:
        return None
    same_layer = draft.layer is other.layer and _kind(draft.name) == _kind(other.name)
    where = "in the same layer" if same_layer else f"in {other.layer.title}"
    if draft.layer is other.layer and not same_layer:
        where = f"but a {_kind(other.name)}_ model, not {_kind(draft.name)}_"
    if draft.stem == other.stem:
        return Signal("name", 0.6 if same_layer else 0.3, f"the same name once prefixes are dropped («{other.stem}») {where}")
    similarity = max(stem_similarity(draft.stem, other.stem), 0.8 * fuzz.token_set_ratio(draft.stem, other.stem) / 100)
    if similarity < 0.75:
        return None
    weight = 0.45 if same_layer else 0.2
    return Signal("name", weight * similarity, f"a similar name {where} («{other.stem}» and «{draft.stem}»)")


def _kind(name: str) -> str:
    """The prefix before the first `_`: `dim` and `fct` in one layer are a dimension and a fact,
    two kinds of model about one subject, not copies of each other."""
    return name.split("_", 1)[0] if "_" in name else ""


def description_signal(draft: Profile, other: Profile) -> Signal | None:
    if len(draft.description) < 12 or len(other.description) < 12:
        return None
    similarity = fuzz.token_set_ratio(draft.description.lower(), other.description.lower()) / 100
    if similarity < 0.75:
        return None
    return Signal("description", DESCRIPTION_WEIGHT * similarity, f"a similar description («{_clip(other.description)}»)")


def _clip(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


CHEAP_SCORERS = (upstream_signal, sql_signal, columns_signal, name_signal)
SCORERS = (*CHEAP_SCORERS, description_signal)
