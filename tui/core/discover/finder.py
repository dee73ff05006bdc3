"""Ranked duplicate candidates for a draft, and likely duplicate pairs across a project.

The index maps each upstream input, column and rare SQL shingle to the models that have it, and
keeps the name stems and descriptions for rapidfuzz, so a draft is scored against the models that
share something with it, not against all of them. Signals combine as independent evidence
(1 - product of (1 - score)): two weak signals together outrank either alone.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import chain
from typing import Iterable

from tui.core.discover.names import StemIndex
from tui.core.discover.profiles import Profile
from tui.core.discover.scorers import (
    CHEAP_SCORERS,
    CHEAP_SCORES,
    DESCRIPTION_WEIGHT,
    Signal,
    description_score,
    description_signal,
)
from tui.core.project.layers import Layer

LIKELY = 0.5
"""A candidate scoring this much or more is called a likely duplicate."""
SHOWN_AT_LEAST = 0.25
"""Weaker candidates are not worth the user's attention."""
COMMON_SHARE = 0.05
"""A shingle or column found in more of the project's models than this says nothing (`select * from`, `id`)."""
SQL_CANDIDATES = 30
NAME_CANDIDATES = 15
NAME_CUTOFF = 75


@dataclass(frozen=True, slots=True)
class Candidate:
    name: str
    path: str
    layer: Layer
    score: float
    reasons: tuple[str, ...]

    @property
    def likely(self) -> bool:
        return self.score >= LIKELY

    def as_json(self) -> dict:
        return {"name": self.name, "path": self.path, "layer": self.layer.value, "score": round(self.score, 3), "reasons": list(self.reasons)}


@dataclass(frozen=True, slots=True)
class Pair:
    first: Candidate
    second: Candidate

    @property
    def score(self) -> float:
        return self.second.score


def combine(signals: Iterable[Signal]) -> float:
    remaining = 1.0
    for signal in signals:
        remaining *= 1.0 - min(signal.score, 0.99)
    return 1.0 - remaining


def score(draft: Profile, other: Profile, floor: float = 0.0) -> tuple[float, tuple[Signal, ...]]:
    """The combined score and its signals, strongest first. Under `floor` the exact value does not
    matter, so the description (the dearest signal) is skipped when it could not reach the floor."""
    signals = [s for s in (scorer(draft, other) for scorer in CHEAP_SCORERS) if s is not None]
    if floor <= 0.0 or 1.0 - (1.0 - combine(signals)) * (1.0 - DESCRIPTION_WEIGHT) >= floor:
        signal = description_signal(draft, other)
        if signal is not None:
            signals.append(signal)
    return combine(signals), tuple(sorted(signals, key=lambda s: -s.score))


def _cheap_remaining(draft: Profile, other: Profile) -> float:
    """The product of (1 - score) over the cheap signals: 1 - the score without the description.
    With `_with_description` it gives `score`'s total to the last bit (the same products in the
    same order) without the signals' words: ranking needs only the number."""
    remaining = 1.0
    for scorer in CHEAP_SCORES:
        remaining *= 1.0 - min(scorer(draft, other), 0.99)
    return remaining


def _with_description(draft: Profile, other: Profile, remaining: float, floor: float) -> float:
    if floor <= 0.0 or 1.0 - (1.0 - (1.0 - remaining)) * (1.0 - DESCRIPTION_WEIGHT) >= floor:
        remaining *= 1.0 - min(description_score(draft, other), 0.99)
    return 1.0 - remaining


def _ceiling(remaining: float) -> float:
    """The most a candidate can score once its description is added (rounding is monotonic, so
    the float can only be at least the true total)."""
    return 1.0 - remaining * (1.0 - DESCRIPTION_WEIGHT)


@dataclass(slots=True)
class DuplicateIndex:
    """Built once per scan; asking for a draft's candidates is then cheap."""

    profiles: dict[str, Profile]
    by_upstream: dict[str, set[str]] = field(default_factory=dict)
    by_column: dict[str, set[str]] = field(default_factory=dict)
    by_shingle: dict[str, set[str]] = field(default_factory=dict)
    by_stem: StemIndex = field(default_factory=lambda: StemIndex.of(()))

    @classmethod
    def build(cls, profiles: Iterable[Profile]) -> DuplicateIndex:
        index = cls({p.name: p for p in profiles})
        upstream, columns, shingles = defaultdict(set), defaultdict(set), defaultdict(set)
        for profile in index.profiles.values():
            for key in profile.upstream:
                upstream[key].add(profile.name)
            for column in profile.columns:
                columns[column].add(profile.name)
            for shingle in profile.shape.shingles if profile.shape else ():
                shingles[shingle].add(profile.name)
        common = max(20, int(len(index.profiles) * COMMON_SHARE))
        index.by_upstream = dict(upstream)
        index.by_column = {k: v for k, v in columns.items() if len(v) <= common}
        index.by_shingle = {k: v for k, v in shingles.items() if len(v) <= common}
        index.by_stem = StemIndex.of((name, profile.stem) for name, profile in index.profiles.items())
        return index

    def __len__(self) -> int:
        return len(self.profiles)

    def candidate_names(self, draft: Profile, like_named: list[str] | None = None) -> set[str]:
        """Models sharing an input, a rare column or shingle, or a similar name with the draft
        (`like_named`, when the caller has looked the name up already)."""
        names: set[str] = set()
        crowded = []
        for key in draft.upstream:
            readers = self.by_upstream.get(key, set())
            if len(readers) <= SQL_CANDIDATES:
                names |= readers
            else:
                crowded.append(key)  # a model read by hundreds: only those sharing the most inputs
        names |= _most_shared(self.by_upstream, crowded, SQL_CANDIDATES)
        names |= _most_shared(self.by_column, draft.columns, SQL_CANDIDATES)
        names |= _most_shared(self.by_shingle, draft.shape.shingles if draft.shape else (), SQL_CANDIDATES)
        if like_named is None and draft.stem:
            like_named = self.by_stem.similar(draft.stem, NAME_CANDIDATES, NAME_CUTOFF)
        names.update(like_named or ())
        names.discard(draft.name)
        names -= self.by_upstream.get(f"ref:{draft.name}", set())  # built on the draft, not a copy of it
        return names - {key.split(":", 1)[1] for key in draft.upstream if key.startswith("ref:")}

    def candidates(
        self, draft: Profile, limit: int = 10, like_named: list[str] | None = None, floor: float = SHOWN_AT_LEAST
    ) -> list[Candidate]:
        """Best first, none under `floor`; models the draft reads, or that read it, are its lineage,
        not its duplicates."""
        return [self._candidate(draft, name, floor) for name in self._ranked(draft, limit, like_named, floor)]

    def _ranked(self, draft: Profile, limit: int, like_named: list[str] | None, floor: float) -> list[str]:
        """The names of the best `limit` candidates on numbers alone (ties by name): every
        candidate's cheap signals first, then, best first, the description (the dearest) until
        even its full weight could not lift the next one above the floor or into the best `limit`."""
        cheap = sorted((_cheap_remaining(draft, self.profiles[name]), name) for name in self.candidate_names(draft, like_named))
        best: list[tuple[float, str]] = []
        for remaining, name in cheap:
            ceiling = _ceiling(remaining)
            if ceiling < floor or (len(best) == limit and ceiling < -best[-1][0]):
                break  # the rest score no more than this one
            total = _with_description(draft, self.profiles[name], remaining, floor)
            if total >= floor:
                bisect.insort(best, (-total, name))
                del best[limit:]
        return [name for _, name in best]

    def _candidate(self, draft: Profile, name: str, floor: float) -> Candidate:
        """One ranked candidate, now with its reasons in words."""
        other = self.profiles[name]
        total, signals = score(draft, other, floor)
        return Candidate(name, other.path, other.layer, total, tuple(s.reason for s in signals))

    def pairs(self, threshold: float = LIKELY, workers: int = 1) -> list[Pair]:
        """Likely duplicate pairs across the project, each pair once, best first.

        `workers` > 1 spreads the scoring over that many forked processes (the same pairs, in
        the same order): only for a process of its own, such as the `dupes` command; a process
        with threads (the app) must not fork."""
        floor = max(threshold, SHOWN_AT_LEAST)
        profiles = list(self.profiles.values())
        like_named: dict[str, list[str]] = {}
        for profile in profiles:
            if profile.stem and profile.stem not in like_named:
                like_named[profile.stem] = self.by_stem.similar(profile.stem, NAME_CANDIDATES, NAME_CUTOFF, blocked=True)
        met = _met_in_workers(self, profiles, like_named, floor, workers) if workers > 1 else [
            self._met(profile, like_named, floor) for profile in profiles
        ]
        found: dict[tuple[str, str], Pair] = {}
        for profile, candidates in zip(profiles, met):
            for candidate in candidates:
                name = candidate.name
                key = (profile.name, name) if profile.name < name else (name, profile.name)
                if key not in found:  # the words of a pair only once, from the side that met it first
                    found[key] = Pair(Candidate(profile.name, profile.path, profile.layer, 1.0, ()), candidate)
        return sorted(found.values(), key=lambda p: (-p.score, p.first.name))

    def _met(self, profile: Profile, like_named: dict[str, list[str]], floor: float) -> list[Candidate]:
        """The best candidates one model meets, with their reasons."""
        return [self._candidate(profile, name, floor) for name in self._ranked(profile, 5, like_named.get(profile.stem, []), floor)]


_FORKED: tuple[DuplicateIndex, list[Profile], dict[str, list[str]], float] | None = None
"""Set just before forking, so the workers inherit the index instead of unpickling it."""


def _met_in_chunk(bounds: tuple[int, int]) -> list[list[Candidate]]:
    assert _FORKED is not None
    index, profiles, like_named, floor = _FORKED
    return [index._met(profile, like_named, floor) for profile in profiles[bounds[0] : bounds[1]]]


def _met_in_workers(
    index: DuplicateIndex, profiles: list[Profile], like_named: dict[str, list[str]], floor: float, workers: int
) -> list[list[Candidate]]:
    """What each profile meets, scored in `workers` forked processes, in profile order."""
    import multiprocessing

    global _FORKED
    step = max(1, len(profiles) // (workers * 8))
    chunks = [(start, min(start + step, len(profiles))) for start in range(0, len(profiles), step)]
    _FORKED = (index, profiles, like_named, floor)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return [met for chunk in pool.map(_met_in_chunk, chunks) for met in chunk]
    finally:
        _FORKED = None


def _most_shared(inverted: dict[str, set[str]], keys: Iterable[str], limit: int) -> set[str]:
    """The `limit` models sharing the most keys; ties go by name, so that a report is the same on
    every run (set order changes with each process's string hashing)."""
    counts = Counter(chain.from_iterable(inverted[key] for key in keys if key in inverted))
    if len(counts) <= limit:
        return set(counts)
    least = sorted(counts.values(), reverse=True)[limit - 1]
    chosen = [name for name, count in counts.items() if count > least]
    tied = sorted([name for name, count in counts.items() if count == least])
    return set(chosen + tied[: limit - len(chosen)])
