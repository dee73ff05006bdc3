"""The four steps of a model's workflow and the states a step can be in, in words and symbols."""

from __future__ import annotations

from enum import StrEnum


class Step(StrEnum):
    SQL = "sql"
    DOCS = "docs"
    TESTS = "tests"
    RUN = "run"

    @property
    def number(self) -> int:
        return STEPS.index(self) + 1

    @property
    def title(self) -> str:
        return {"sql": "SQL", "docs": "Docs", "tests": "Tests", "run": "Run"}[self.value]

    @property
    def previous(self) -> "Step | None":
        return STEPS[self.number - 2] if self.number > 1 else None


STEPS: tuple[Step, ...] = (Step.SQL, Step.DOCS, Step.TESTS, Step.RUN)
ARTIFACT_STEPS: tuple[Step, ...] = (Step.SQL, Step.DOCS, Step.TESTS)
"""The steps whose approval is of a file's content; the run's is of a result."""


class Status(StrEnum):
    LOCKED = "locked"
    OPEN = "open"
    APPROVED = "approved"
    STALE = "stale"

    @property
    def symbol(self) -> str:
        """Shown beside the word, so the state never rests on colour alone."""
        return {"locked": "○", "open": "●", "approved": "✓", "stale": "!"}[self.value]

