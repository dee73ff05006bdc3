"""Deterministic raw data for the demo project: reviewers, cases and decisions.

Everything comes from one seeded `random.Random`, so every demo (and every test) sees the same
rows. A few dirty rows (no id, mixed-case or padded codes) give the staging models real cleaning
to do.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

SEED = 20240601
REVIEWERS = 40
CASES = 3_000
DECIDED_CASES = 2_450
APPEALS = 150
DIRTY_REVIEWERS = 1
DIRTY_CASES = 4
DIRTY_DECISIONS = 3

_START = dt.datetime(2024, 1, 1, 8, 0, 0)
_FIRST = ["Ada", "Bela", "Chen", "Dara", "Emil", "Farah", "Goran", "Hana", "Ines", "Jonas",
          "Kemal", "Lena", "Milo", "Nadia", "Oskar", "Priya", "Quinn", "Rosa", "Sami", "Tove"]
_LAST = ["Alder", "Brandt", "Costa", "Dahl", "Eriksen", "Fischer", "Grant", "Horvat", "Ivanova",
         "Jensen", "Kowal", "Lund", "Moreau", "Novak", "Okafor", "Petrov", "Quist", "Rossi"]
_TEAMS = ["intake", "appeals", "fraud", "general"]
_SENIORITY = ["junior", "mid", "senior", "lead"]
_CASE_TYPES = ["benefit_claim", "complaint", "licence_renewal", "permit", "records_request"]
_PRIORITIES = (["low", "normal", "high", "urgent"], [25, 50, 18, 7])
_REGIONS = ["north", "south", "east", "west"]
_FIRST_OUTCOMES = (["approved", "rejected", "escalated", "withdrawn"], [55, 30, 10, 5])
_APPEAL_OUTCOMES = (["approved", "rejected", "escalated"], [40, 50, 10])

REVIEWER_COLUMNS = {"reviewer_id": "bigint", "full_name": "varchar", "email": "varchar",
                    "team": "varchar", "seniority": "varchar", "hired_on": "varchar",
                    "active_flag": "varchar"}
CASE_COLUMNS = {"case_id": "bigint", "case_ref": "varchar", "case_type": "varchar",
                "priority": "varchar", "status": "varchar", "region": "varchar",
                "opened_at": "varchar", "claimed_amount": "varchar"}
DECISION_COLUMNS = {"decision_id": "bigint", "case_id": "bigint", "reviewer_id": "bigint",
                    "outcome": "varchar", "decided_at": "varchar"}


@dataclass(frozen=True, slots=True)
class RawTables:
    """The rows of the three raw tables, in column order of the *_COLUMNS mappings."""

    reviewers: list[tuple]
    cases: list[tuple]
    decisions: list[tuple]


def generate(seed: int = SEED) -> RawTables:
    """Build all raw rows from one seed, so the demo is the same on every machine."""
    rng = random.Random(seed)
    reviewers = _reviewers(rng)
    decided = set(rng.sample(range(1, CASES + 1), DECIDED_CASES))
    cases = _cases(rng, decided)
    decisions = _decisions(rng, cases, decided)
    return RawTables(reviewers, cases, decisions)


def _messy(rng: random.Random, code: str) -> str:
    """Mostly the clean code, sometimes upper-, title-cased or padded, as hand-typed exports are."""
    return rng.choices([code, code.upper(), code.title(), f" {code} "], [70, 10, 15, 5])[0]


def _stamp(moment: dt.datetime) -> str:
    """Timestamps are text in the raw export; staging casts them."""
    return moment.isoformat(sep=" ", timespec="seconds")


def _reviewers(rng: random.Random) -> list[tuple]:
    """40 reviewers with unique names and e-mails, plus one id-less test account."""
    names = rng.sample([(f, s) for f in _FIRST for s in _LAST], REVIEWERS)
    rows = []
    for reviewer_id, (first, last) in enumerate(names, start=1):
        hired = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3_400))
        rows.append((reviewer_id, f"{first} {last}", f"{first}.{last}@cases.example".lower(),
                     _messy(rng, rng.choice(_TEAMS)), rng.choice(_SENIORITY), hired.isoformat(),
                     rng.choices(["Y", "N"], [9, 1])[0]))
    rows.append((None, "Test Account", "test@cases.example", "general", "junior",
                 "2020-01-01", "N"))
    return rows


def _cases(rng: random.Random, decided: set[int]) -> list[tuple]:
    """Cases opened over 18 months; decided ones are mostly closed, the rest open or in review."""
    rows = []
    for case_id in range(1, CASES + 1):
        opened = _START + dt.timedelta(seconds=rng.randrange(540 * 86_400))
        status = rng.choices(["closed", "in_review"], [95, 5])[0] if case_id in decided \
            else rng.choice(["open", "in_review"])
        amount = "" if rng.random() < 0.25 else f"{rng.uniform(50, 25_000):.2f}"
        rows.append((case_id, f"C-{case_id:06d}", _messy(rng, rng.choice(_CASE_TYPES)),
                     _messy(rng, rng.choices(*_PRIORITIES)[0]), _messy(rng, status),
                     rng.choice(_REGIONS).title(), _stamp(opened), amount))
    rows += [(None, "C-DRAFT", "complaint", "low", "open", "North", _stamp(_START), "")
             for _ in range(DIRTY_CASES)]
    return rows


def _decisions(rng: random.Random, cases: list[tuple], decided: set[int]) -> list[tuple]:
    """One decision per decided case, a later second one for appealed cases, and 3 id-less rows."""
    opened = {row[0]: dt.datetime.fromisoformat(row[6]) for row in cases if row[0] is not None}
    load = [rng.uniform(0.3, 3.0) for _ in range(REVIEWERS)]
    reviewer_ids = list(range(1, REVIEWERS + 1))
    appealed = set(rng.sample(sorted(decided), APPEALS))
    rows = []
    for case_id in sorted(decided):
        first_at = opened[case_id] + dt.timedelta(hours=rng.uniform(6, 90 * 24))
        first_by = rng.choices(reviewer_ids, load)[0]
        rows.append((case_id, first_by, _messy(rng, rng.choices(*_FIRST_OUTCOMES)[0]), first_at))
        if case_id in appealed:
            later = first_at + dt.timedelta(hours=rng.uniform(5 * 24, 60 * 24))
            second_by = rng.choice([r for r in reviewer_ids if r != first_by])
            rows.append((case_id, second_by, _messy(rng, rng.choices(*_APPEAL_OUTCOMES)[0]), later))
    numbered = [(decision_id, case_id, by, outcome, _stamp(at))
                for decision_id, (case_id, by, outcome, at) in enumerate(rows, start=1)]
    numbered += [(None, rng.choice(sorted(decided)), 1, "APPROVED", _stamp(_START))
                 for _ in range(DIRTY_DECISIONS)]
    return numbered


def row_counts() -> dict[str, int]:
    """How many rows each raw table holds, dirty rows included (what tests and docs quote)."""
    return {"reviewers": REVIEWERS + DIRTY_REVIEWERS, "cases": CASES + DIRTY_CASES,
            "decisions": DECIDED_CASES + APPEALS + DIRTY_DECISIONS}
