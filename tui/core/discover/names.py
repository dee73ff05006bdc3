"""Model names reduced to what they are about: `stg_courts__case_records` -> "case record".

The layer prefix and the source part before `__` are dropped and each word is made singular, so
names that differ only in those compare equal; rapidfuzz scores what is left.
"""

from __future__ import annotations

from typing import Iterable

from rapidfuzz import fuzz

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
