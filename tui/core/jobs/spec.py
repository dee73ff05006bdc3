"""What a dbt job is: its kind, the one model it selects, and the argv dbt gets for it.

Names are checked before dbt sees them: a name that starts with `-`, holds a space, or uses
selector syntax (`+`, `@`, `*`, `,`, `:`, `/`) could select far more than the user meant, or be
read as an option. A selection that matches nothing is an error, not a silent success
(`--warn-error-options`), so a renamed model is never "passed".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum

from tui.core.errors import WorkbenchError

MODEL_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
SELECTION_MUST_MATCH = json.dumps({"error": ["NoNodesForSelectionCriteria"]})
PREVIEW_LIMIT = 100


class JobKind(StrEnum):
    RUN = "run"
    TEST = "test"
    BUILD = "build"
    COMPILE = "compile"
    SHOW = "show"
    PARSE = "parse"


SELECTING = frozenset({JobKind.RUN, JobKind.TEST, JobKind.BUILD, JobKind.COMPILE, JobKind.SHOW})


def checked_model_name(name: str) -> str:
    """The name, if dbt can only read it as one model's name; else a WorkbenchError saying why."""
    if not name:
        raise WorkbenchError("No model named: give the model's name, e.g. stg_cases.")
    if name.startswith("-"):
        raise WorkbenchError(f"'{name}' starts with '-': dbt would read it as an option, not a model.")
    if any(ch.isspace() for ch in name):
        raise WorkbenchError(f"'{name}' holds a space: a model name never does.")
    if not MODEL_NAME.match(name):
        raise WorkbenchError(
            f"'{name}' is not a model name (letters, digits and _ only): selector syntax such as "
            "+, @, *, commas, paths or tag: would select other nodes too."
        )
    return name


@dataclass(frozen=True, slots=True)
class JobSpec:
    """One dbt command over one model (or the whole project, for parse)."""

    kind: JobKind
    model: str | None = None

    def __post_init__(self) -> None:
        if self.kind in SELECTING:
            checked_model_name(self.model or "")

    def describe(self) -> str:
        return f"dbt {self.kind.value}" + (f" --select {self.model}" if self.model else "")


def dbt_argv(spec: JobSpec, dbt: str) -> list[str]:
    """The argv of `spec`: JSON log lines on stdout, no colours, an empty selection an error."""
    argv = [dbt, spec.kind.value, "--log-format", "json", "--no-use-colors"]
    if spec.kind in SELECTING:
        argv += ["--select", checked_model_name(spec.model or ""), "--warn-error-options", SELECTION_MUST_MATCH]
    if spec.kind is JobKind.SHOW:
        argv += ["--limit", str(PREVIEW_LIMIT), "--output", "json"]
    if spec.kind is JobKind.TEST:
        argv.append("--no-populate-cache")  # a test reads; listing every relation first is ~0.05 s lost
    return argv
