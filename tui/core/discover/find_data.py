""""Find data": the workflow's decision tree, as data. Marts first, then staging, then sources.

The user says what they need in words ("case decisions by reviewer"). A mart whose name,
description or columns cover those words is the answer, with a `ref()` snippet to copy. When no
mart fits but a staging (or intermediate) model does, the answer says so: a new mart, or
exploration only. When nothing fits, the answer is a new staging model over a declared source.
A raw table is never offered: sources are read through staging models only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Iterable, Mapping, Sequence

from rapidfuzz import fuzz

from tui.core.discover.names import singular
from tui.core.project.layers import Layer
from tui.core.project.records import ModelFile, ProjectScan, SourceTable

FITS = 0.5
"""Share of the asked words (weighted by where each was found) a model must cover to count as
the answer: two of three words found in columns is enough."""
CLOSE_WORD = 88
"""rapidfuzz ratio at which two words count as the same word (decision ~ decisions, reviewr)."""
_STOP_WORDS = frozenset(
    "a an and all any by each every for from how i in is it many me my of on or per show the to what which who with".split()
)
_LAYER_PREFIX = re.compile(r"^(stg|int|fct|dim|mart|base|rpt)_")
WHERE_WEIGHT = {"name": 1.0, "column": 0.85, "description": 0.7}
"""A word in the name says most about what a model holds; one in its description the least."""


class Verdict(StrEnum):
    EMPTY = "empty"
    MART = "mart"
    STAGING = "staging"
    NOTHING = "nothing"


@dataclass(frozen=True, slots=True)
class DataMatch:
    """A model (or source) that covers some of the asked words, and where each was found."""

    name: str
    layer: Layer | None
    path: str
    score: float
    reasons: tuple[str, ...]
    columns: tuple[str, ...]

    @property
    def fits(self) -> bool:
        return self.score >= FITS


@dataclass(frozen=True, slots=True)
class DataAnswer:
    verdict: Verdict
    words: tuple[str, ...]
    matches: tuple[DataMatch, ...] = ()
    """Best first: fitting marts; else fitting staging/intermediate models; else declared sources."""

    @property
    def best(self) -> DataMatch | None:
        return self.matches[0] if self.matches else None


def asked_words(text: str) -> tuple[str, ...]:
    """The words that carry meaning, lower case and singular, in order, without repeats."""
    words = (singular(word) for word in re.findall(r"[a-z0-9]+", text.lower()) if word not in _STOP_WORDS)
    return tuple(dict.fromkeys(word for word in words if len(word) > 1))


def words_of(text: str) -> set[str]:
    """`fct_case_decisions` -> {case, decision}; `reviewer_id` -> {reviewer, id}."""
    return {singular(word) for word in re.findall(r"[a-z0-9]+", _LAYER_PREFIX.sub("", text.lower().replace("__", "_")))}


def _found_in(word: str, vocabulary: set[str]) -> bool:
    if word in vocabulary:
        return True
    return any(len(known) > 3 and fuzz.ratio(word, known) >= CLOSE_WORD for known in vocabulary)


def _model_name_words(name: str) -> set[str]:
    """The name without its source part: `stg_crm__customers` is about customers (and crm)."""
    return words_of(name)


def score_words(
    words: Sequence[str], name: str, description: str, columns: Sequence[str]
) -> tuple[float, tuple[str, ...]]:
    """How much of the ask this thing covers (0..1), and the reasons in words."""
    if not words:
        return 0.0, ()
    places = {"name": _model_name_words(name), "description": words_of(description)}
    column_words = {column: words_of(column) for column in columns}
    covered = 0.0
    by_place: dict[str, list[str]] = {"name": [], "column": [], "description": []}
    for word in words:
        if _found_in(word, places["name"]):
            covered += WHERE_WEIGHT["name"]
            by_place["name"].append(word)
            continue
        column = next((c for c, parts in column_words.items() if _found_in(word, parts)), None)
        if column is not None:
            covered += WHERE_WEIGHT["column"]
            by_place["column"].append(column)
            continue
        if _found_in(word, places["description"]):
            covered += WHERE_WEIGHT["description"]
            by_place["description"].append(word)
    return covered / len(words), _reasons(by_place)


def _reasons(by_place: Mapping[str, list[str]]) -> tuple[str, ...]:
    said = []
    if by_place["name"]:
        said.append(f"its name says {', '.join(by_place['name'])}")
    if by_place["column"]:
        said.append(f"it has column(s) {', '.join(dict.fromkeys(by_place['column']))}")
    if by_place["description"]:
        said.append(f"its description mentions {', '.join(by_place['description'])}")
    return tuple(said)


def model_columns(scan: ProjectScan, model: ModelFile, built: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """Documented columns first; the built relation's (catalog) when the YAML lists none."""
    entry = scan.schema.entries.get(model.name)
    if entry is not None and entry.column_names:
        return entry.column_names
    return tuple(built.get(model.name, ()))


def _match_models(
    words: Sequence[str], scan: ProjectScan, layers: Iterable[Layer], built: Mapping[str, Sequence[str]]
) -> list[DataMatch]:
    wanted = set(layers)
    found = []
    for model in scan.models:
        if model.layer not in wanted or not model.enabled:
            continue
        entry = scan.schema.entries.get(model.name)
        columns = model_columns(scan, model, built)
        score, reasons = score_words(words, model.name, entry.description if entry else "", columns)
        if score > 0:
            found.append(DataMatch(model.name, model.layer, model.path, round(score, 2), reasons, columns))
    return sorted(found, key=lambda match: (-match.score, match.name))


def _match_sources(words: Sequence[str], sources: Iterable[SourceTable]) -> list[DataMatch]:
    found = []
    for table in sources:
        columns = tuple(name for name, _type in table.columns)
        score, reasons = score_words(words, f"{table.source_name}_{table.table_name}", table.description, columns)
        found.append(DataMatch(table.qualified, None, table.path, round(score, 2), reasons, columns))
    return sorted(found, key=lambda match: (-match.score, match.name))


def find_data(text: str, scan: ProjectScan, built: Mapping[str, Sequence[str]] | None = None, limit: int = 10) -> DataAnswer:
    """Marts that fit; else staging/intermediate models that fit; else the declared sources, best first."""
    words = asked_words(text)
    if not words:
        return DataAnswer(Verdict.EMPTY, words)
    built = built or {}
    marts = [match for match in _match_models(words, scan, (Layer.MARTS,), built) if match.fits]
    if marts:
        return DataAnswer(Verdict.MART, words, tuple(marts[:limit]))
    below = _match_models(words, scan, (Layer.STAGING, Layer.INTERMEDIATE), built)
    fitting = [match for match in below if match.fits]
    if fitting:
        return DataAnswer(Verdict.STAGING, words, tuple(fitting[:limit]))
    return DataAnswer(Verdict.NOTHING, words, tuple(_match_sources(words, scan.schema.sources)[:limit]))


def ref_snippet(match: DataMatch) -> str:
    """`select <columns> from {{ ref('name') }}`: what to paste into a model (never a raw table)."""
    if not match.columns:
        return f"select *  -- the columns of {match.name} are not documented yet\nfrom {{{{ ref('{match.name}') }}}}\n"
    listed = ",\n".join(f"    {column}" for column in match.columns)
    return f"select\n{listed}\nfrom {{{{ ref('{match.name}') }}}}\n"
