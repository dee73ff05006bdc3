"""A failed job's exit code and error lines as one plain message, with the place to jump to.

dbt's exit codes: 0 all passed, 1 something failed (a test, a model's SQL), 2 dbt could not
start the work (compilation, selection, profile, connection). The message names the file and
line where dbt gave one, the DuckDB lock holder by PID, and the profile dbt could not find.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from tui.core.jobs.events import JobLog

_IN_FILE = re.compile(r"Error in (?:model|test|seed|snapshot|analysis|macro) \w+ \(([^)]+)\)")
_LINE = re.compile(r"^\s*line (\d+)\s*$", re.MULTILINE)
_LOCK = re.compile(r'Could not set lock on file "([^"]+)": Conflicting lock is held in (\S+) \(PID (\d+)\)')
_PROFILE = re.compile(r"Could not find profile named '([^']+)'")


@dataclass(frozen=True, slots=True)
class JobProblem:
    text: str
    path: str | None = None
    line: int | None = None


def explain(returncode: int, logs: Iterable[JobLog], tail: Iterable[str] = ()) -> JobProblem | None:
    """None when the job ended well; else the first thing a user must know."""
    if returncode == 0:
        return None
    errors = [log for log in logs if log.level == "error" and log.text]
    main = next((log for log in errors if log.event == "MainEncounteredError"), None)
    if main is not None:
        return _main_error(main.text)
    runtime = [log.text for log in errors if log.event == "RunResultError"]
    if runtime:
        return _located(runtime[0], f"{len(runtime)} node(s) failed: {first_lines(runtime[0])}")
    lines = [line for line in tail if line.strip()]
    if errors:
        return JobProblem(first_lines(errors[0].text))
    return JobProblem(f"dbt exited with code {returncode}" + (f": {lines[-1].strip()}" if lines else "."))


def _main_error(text: str) -> JobProblem:
    lock = _LOCK.search(text)
    if lock:
        path, program, pid = lock.groups()
        return JobProblem(f"The DuckDB file {path} is locked by PID {pid} ({program}): end that process or wait, then run again.")
    profile = _PROFILE.search(text)
    if profile:
        return JobProblem(f"dbt found no profile named '{profile.group(1)}': add it to profiles.yml (in the project folder, $DBT_PROFILES_DIR or ~/.dbt).")
    body = text.removeprefix("Encountered an error:").strip()
    return _located(body, first_lines(body))


def _located(text: str, said: str) -> JobProblem:
    where = _IN_FILE.search(text)
    line = _LINE.search(text)
    return JobProblem(said, where.group(1) if where else None, int(line.group(1)) if line else None)


def first_lines(text: str, count: int = 3, skipping: frozenset[str] = frozenset()) -> str:
    """The first non-blank lines of an error, on one line; `skipping`: headings to leave out."""
    lines = [line.strip() for line in text.splitlines() if line.strip() and line.strip() not in skipping]
    return " / ".join(lines[:count])
