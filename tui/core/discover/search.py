"""Fuzzy name matching for the tree filter: every typed character appears in order (as in fzf).

Space-separated words must each match; matching ignores case. Cheap enough to run on every key
press over tens of thousands of names.
"""

from __future__ import annotations


def is_subsequence(needle: str, haystack: str) -> bool:
    """True when needle's characters appear in haystack in the same order."""
    position = 0
    for char in needle:
        position = haystack.find(char, position) + 1
        if position == 0:
            return False
    return True


def fuzzy_match(query: str, name: str) -> bool:
    """Does name match every word of query? An empty query matches everything."""
    lowered = name.lower()
    return all(is_subsequence(word, lowered) for word in query.lower().split())
