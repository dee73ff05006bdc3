"""A disk cache of what rendering a model told the scan: its config(enabled=...) and hidden refs.

Rendering a model through the project's macros costs about a millisecond; a real project with a
CTE-building macro in a third of its models paid that on every start. The answer depends only on
the model's text and on the project-wide inputs (macro files, vars, adapter), so entries are keyed
by a hash of the text inside a file keyed by a fingerprint of those inputs: a changed macro or var
starts a fresh file, a changed model misses its entry. Never stale, only a saving. No Textual here.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import msgspec

from tui.core.files import SaveFailed, atomic_write_bytes

RENDER_CACHE_FORMAT = 1


class RenderedFacts(msgspec.Struct, array_like=True, frozen=True):
    """What one render said: the model's own enabled flag (None: it has none) and its lineage."""

    enabled: bool | None
    refs: tuple[str, ...] = ()
    sources: tuple[tuple[str, str], ...] = ()


class _RenderCacheFile(msgspec.Struct):
    format: int
    fingerprint: str
    facts: dict[str, RenderedFacts]


def text_key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class RenderCache:
    """One project's rendered facts for one fingerprint; entries not used by a scan are dropped on save."""

    def __init__(self, project_root: Path, directory: Path, fingerprint: str) -> None:
        key = hashlib.blake2b(str(project_root).encode(), digest_size=8).hexdigest()
        self.path = directory / f"renders-{key}.json"
        self.fingerprint = fingerprint
        self._facts = self._load()
        self._used: dict[str, RenderedFacts] = {}

    def _load(self) -> dict[str, RenderedFacts]:
        try:
            cached = msgspec.json.decode(self.path.read_bytes(), type=_RenderCacheFile)
        except (OSError, msgspec.DecodeError, msgspec.ValidationError):
            return {}
        if cached.format != RENDER_CACHE_FORMAT or cached.fingerprint != self.fingerprint:
            return {}
        return cached.facts

    def get(self, key: str) -> RenderedFacts | None:
        facts = self._facts.get(key)
        if facts is not None:
            self._used[key] = facts
        return facts

    def put(self, key: str, facts: RenderedFacts) -> None:
        self._used[key] = facts

    def save(self) -> None:
        """Write the entries this scan used, atomically, when they differ from what was read."""
        if self._used.keys() == self._facts.keys():
            return
        payload = msgspec.json.encode(_RenderCacheFile(RENDER_CACHE_FORMAT, self.fingerprint, self._used))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(self.path, payload)
        except (OSError, SaveFailed):
            return
        self._facts = dict(self._used)
