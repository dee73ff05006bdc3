"""Model names reduced to what they are about: `stg_courts__case_records` -> "case record".

The layer prefix and the source part before `__` are dropped and each word is made singular, so
names that differ only in those compare equal; rapidfuzz scores what is left.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from rapidfuzz import fuzz, process

_KEEP_S = ("ss", "us", "is", "news", "status", "series", "analysis", "address")


def singular(word: str) -> str:
    """A plain English singular, good enough for table names (cases -> case, categories -> category)."""
    if len(word) <= 3 or word.endswith(_KEEP_S):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses", "zzes")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def name_stem(name: str, prefixes: Iterable[str]) -> str:
    """The words a model name is about, singular, space separated."""
    lowered = name.lower()
    for prefix in sorted(prefixes, key=len, reverse=True):
        if lowered.startswith(prefix):
            lowered = lowered[len(prefix) :]
            break
    if "__" in lowered:
        lowered = lowered.split("__", 1)[1]  # stg_<source>__<entity>: the source is not the subject
    return " ".join(singular(word) for word in lowered.split("_") if word)


def stem_similarity(a: str, b: str) -> float:
    """0..1: how alike two stems are, ignoring word order."""
    if not a or not b:
        return 0.0
    return fuzz.token_sort_ratio(a, b) / 100.0


COMMON_WORD_SHARE = 0.05
"""In the project-wide scan, a word in more of the distinct stems than this (`2`, `event`) does
not make two stems worth comparing: like a search engine's stop-words."""


@dataclass(slots=True)
class StemIndex:
    """Each distinct stem once, with the models that have it (a project has far fewer distinct stems
    than models: `customer`, `customer 2`, ...) and, for each word, the stems that contain it."""

    stems: list[str]
    names: list[list[str]]
    """Per stem, the model names that reduce to it, in project order."""
    by_word: dict[str, list[int]]

    @classmethod
    def of(cls, named_stems: Iterable[tuple[str, str]]) -> StemIndex:
        ids: dict[str, int] = {}
        stems: list[str] = []
        names: list[list[str]] = []
        for name, stem in named_stems:
            if not stem:
                continue
            if stem not in ids:
                ids[stem] = len(stems)
                stems.append(stem)
                names.append([])
            names[ids[stem]].append(name)
        by_word: dict[str, list[int]] = defaultdict(list)
        for position, stem in enumerate(stems):
            for word in set(stem.split()):
                by_word[word].append(position)
        return cls(stems, names, dict(by_word))

    def similar(self, stem: str, limit: int, cutoff: float, blocked: bool = False) -> list[str]:
        """Names of the models whose stem is like `stem`, best first, at most `limit`. Blocked, only
        stems sharing a rare word are scored: the project-wide scan asks for every model, and
        scoring every stem against every other grows with the square of the project."""
        choices = self._sharing_a_word(stem) if blocked else self.stems
        found = process.extract(stem, choices, scorer=fuzz.token_set_ratio, limit=limit, score_cutoff=cutoff)
        names: list[str] = []
        for _, _, position in found:
            names.extend(self.names[position][: limit - len(names)])
            if len(names) >= limit:
                break
        return names

    def _sharing_a_word(self, stem: str) -> dict[int, str]:
        """The stems with a rare word in common with `stem` (or, when all its words are common,
        with its rarest one), in project order so that ties rank as in the full search."""
        common = max(100, int(len(self.stems) * COMMON_WORD_SHARE))
        postings = [self.by_word[word] for word in set(stem.split()) if word in self.by_word]
        rare = [posting for posting in postings if len(posting) <= common]
        if not rare and postings:
            rare = [min(postings, key=len)]
        return {position: self.stems[position] for position in sorted({p for posting in rare for p in posting})}
