"""The duplicate finder's signals, one scorer each: 0..1 and the reason in words, or nothing.

Each scorer compares a draft with one existing model. Scores are calibrated so that one strong
signal alone (the same source table under a staging model, the same select list and joins) is a
likely duplicate, and weak ones only count together (see finder.combine).

Every signal comes in two parts: `<kind>_score` is the number alone (0.0 for no signal) and
`<kind>_signal` adds the reason in words. A project scan ranks a quarter of a million pairs and
shows a few thousand, and the words cost more than the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

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


def upstream_score(draft: Profile, other: Profile) -> float:
    """Reading the same inputs is the surest sign: a second staging model over one source table."""
    mine, theirs = draft.upstream, other.upstream
    if not mine or not theirs or mine.isdisjoint(theirs):
        return 0.0
    if mine == theirs:
        if len(mine) >= 2:
            return 0.8 if other.layer is Layer.INTERMEDIATE else 0.65
        # Many marts read one shared model: alone, that says little.
        return 0.9 if next(iter(mine)).startswith("source:") else 0.35
    shared = len(mine & theirs)
    overlap = shared / (len(mine) + len(theirs) - shared)
    return 0.5 * overlap if overlap >= 0.5 else 0.0


_SAME_INPUTS = {
    0.9: "also reads {} and nothing else",
    0.8: "already joins the same inputs ({}): a reusable intermediate",
    0.65: "reads exactly the same inputs ({})",
    0.35: "reads the same single input ({})",
}


def upstream_signal(draft: Profile, other: Profile) -> Signal | None:
    value = upstream_score(draft, other)
    if not value:
        return None
    shared = draft.upstream & other.upstream
    if draft.upstream == other.upstream:
        return Signal("upstream", value, _SAME_INPUTS[value].format(_upstream_words(shared)))
    union = len(draft.upstream | other.upstream)
    return Signal("upstream", value, f"shares inputs with it ({_upstream_words(shared)}: {len(shared)} of {union})")


def sql_score(draft: Profile, other: Profile) -> float:
    """Same select list, filters and joins once aliases, CTE names, case and Jinja are normalised."""
    a, b = draft.shape, other.shape
    if a is None or b is None:
        return 0.0
    if a.parsed and b.parsed and a.features and b.features:
        similarity = jaccard(a.features, b.features)
        return 0.85 * similarity if similarity >= 0.5 else 0.0
    similarity = jaccard(a.shingles, b.shingles)
    return 0.7 * similarity if similarity >= 0.45 else 0.0


def sql_signal(draft: Profile, other: Profile) -> Signal | None:
    value = sql_score(draft, other)
    a, b = draft.shape, other.shape
    if not value or a is None or b is None:
        return None
    if a.parsed and b.parsed and a.features and b.features:
        return Signal("sql", value, _sql_reason(draft, other, jaccard(a.features, b.features)))
    similarity = jaccard(a.shingles, b.shingles)
    return Signal("sql", value, f"similar SQL text ({similarity:.0%} of word runs shared; the SQL did not parse)")


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


def columns_score(draft: Profile, other: Profile) -> float:
    """Overlapping output columns: the same thing may already be built under another name."""
    shared = len(draft.columns & other.columns)
    if shared < MIN_SHARED_COLUMNS:
        return 0.0
    overlap = shared / (len(draft.columns) + len(other.columns) - shared)
    if overlap < 0.5:
        return 0.0
    weight = 0.45 if draft.layer is other.layer else 0.25  # columns flow down the layers unchanged
    return weight * overlap


def columns_signal(draft: Profile, other: Profile) -> Signal | None:
    value = columns_score(draft, other)
    if not value:
        return None
    shared = draft.columns & other.columns
    return Signal("columns", value, f"has {len(shared)} of the same columns ({_listed(shared)})")


def name_score(draft: Profile, other: Profile) -> float:
    """Similar names once layer and source prefixes are gone and plurals folded; alone, a same
    name in the same layer is a likely duplicate, a merely similar one is not."""
    if not draft.stem or not other.stem:
        return 0.0
    same_layer = _same_kind(draft, other)
    if draft.stem == other.stem:
        return 0.6 if same_layer else 0.3
    similarity = stem_likeness(draft.stem, other.stem)
    if similarity < 0.75:
        return 0.0
    return (0.45 if same_layer else 0.2) * similarity


def name_signal(draft: Profile, other: Profile) -> Signal | None:
    value = name_score(draft, other)
    if not value:
        return None
    where = "in the same layer" if _same_kind(draft, other) else f"in {other.layer.title}"
    if draft.layer is other.layer and not _same_kind(draft, other):
        where = f"but a {_kind(other.name)}_ model, not {_kind(draft.name)}_"
    if draft.stem == other.stem:
        return Signal("name", value, f"the same name once prefixes are dropped («{other.stem}») {where}")
    return Signal("name", value, f"a similar name {where} («{other.stem}» and «{draft.stem}»)")


def _same_kind(draft: Profile, other: Profile) -> bool:
    return draft.layer is other.layer and _kind(draft.name) == _kind(other.name)


def stem_likeness(a: str, b: str) -> float:
    """0..1, ignoring word order; remembered by the unordered pair, since a project scan meets the
    same two stems from both sides and many times over."""
    return _stem_likeness(a, b) if a <= b else _stem_likeness(b, a)


@lru_cache(maxsize=1 << 16)
def _stem_likeness(a: str, b: str) -> float:
    return max(stem_similarity(a, b), 0.8 * fuzz.token_set_ratio(a, b) / 100)


def _kind(name: str) -> str:
    """The prefix before the first `_`: `dim` and `fct` in one layer are a dimension and a fact,
    two kinds of model about one subject, not copies of each other."""
    return name.split("_", 1)[0] if "_" in name else ""


def description_score(draft: Profile, other: Profile) -> float:
    if len(draft.description) < 12 or len(other.description) < 12:
        return 0.0
    similarity = fuzz.token_set_ratio(draft.description.lower(), other.description.lower()) / 100
    return DESCRIPTION_WEIGHT * similarity if similarity >= 0.75 else 0.0


def description_signal(draft: Profile, other: Profile) -> Signal | None:
    value = description_score(draft, other)
    if not value:
        return None
    return Signal("description", value, f"a similar description («{_clip(other.description)}»)")


def _clip(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


CHEAP_SCORERS = (upstream_signal, sql_signal, columns_signal, name_signal)
SCORERS = (*CHEAP_SCORERS, description_signal)
CHEAP_SCORES = (upstream_score, sql_score, columns_score, name_score)
"""The numbers of CHEAP_SCORERS, in the same order (so that both combine to the same float)."""
