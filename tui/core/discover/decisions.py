""""Create anyway" decisions: why a model was created although the finder named candidates.

Kept in the project (`.dbt-workbench/decisions/<model>.json`, one small file per model, written
atomically, keys sorted so it diffs well) for the reviewers and for the workflow's history.
"""

from __future__ import annotations

import getpass
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

from tui.core.discover.finder import Candidate
from tui.core.errors import WorkbenchError
from tui.core.files import atomic_write_bytes

DECISIONS_FORMAT = 1
FOLDER = Path(".dbt-workbench") / "decisions"


@dataclass(frozen=True, slots=True)
class CreateAnyway:
    model: str
    reason: str
    candidates: tuple[tuple[str, float], ...]
    user: str
    at: str


def record_create_anyway(root: Path, model: str, reason: str, candidates: Sequence[Candidate]) -> Path:
    """Write the decision; an empty reason is refused (the point is to say why)."""
    reason = " ".join(reason.split())
    if not reason:
        raise WorkbenchError("Say in a line why this model is needed although similar ones exist.")
    path = root / FOLDER / f"{model}.json"
    record = {
        "format": DECISIONS_FORMAT,
        "model": model,
        "decision": "create_anyway",
        "reason": reason,
        "candidates": [{"name": c.name, "score": round(c.score, 3)} for c in candidates],
        "user": _user(),
        "at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, (json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode())
    return path


def read_create_anyway(root: Path, model: str) -> CreateAnyway | None:
    """The recorded decision, or None when there is none or it is of another format."""
    try:
        data = json.loads((root / FOLDER / f"{model}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != DECISIONS_FORMAT:
        return None
    candidates = tuple((str(c.get("name")), float(c.get("score", 0))) for c in data.get("candidates", []))
    return CreateAnyway(str(data.get("model")), str(data.get("reason")), candidates, str(data.get("user")), str(data.get("at")))


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
