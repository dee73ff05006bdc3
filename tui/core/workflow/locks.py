"""Locks mean locks: what the workflow refuses to save while a step is locked, and why.

While the docs are locked the YAML pane is read-only (the editor shows the reason); while the
tests are locked a save that adds, removes or changes a test is refused, whatever else it does.
The run's lock is asked of the flow (`locked_reason(Step.RUN)`) by every route that runs.
"""

from __future__ import annotations

from typing import Any

import yaml

from tui.core.buffers import Buffer, PaneKind
from tui.core.workflow.artifacts import entry_data_of, tests_part
from tui.core.workflow.flow import ModelFlow
from tui.core.workflow.steps import Step


def yaml_lock(flow: ModelFlow | None) -> str | None:
    """Why the model's YAML is read-only now (None: it may be edited)."""
    if flow is None or not flow.managed:
        return None
    return flow.locked_reason(Step.DOCS)


def save_refusal(flow: ModelFlow | None, buffer: Buffer, new_text: str) -> str | None:
    """Why saving `new_text` over `buffer` is refused by the workflow (None: save it)."""
    if flow is None or not flow.managed or buffer.kind in (PaneKind.SQL, PaneKind.READ_ONLY):
        return None
    if buffer.model_name != flow.model:
        return None
    docs_locked = flow.locked_reason(Step.DOCS)
    if docs_locked:
        return f"The YAML of {flow.model} is locked: {docs_locked}."
    tests_locked = flow.locked_reason(Step.TESTS)
    tests_now = _tests_of(buffer, new_text) if tests_locked else None  # None: not YAML; the save says so
    if tests_locked and tests_now is not None and tests_now != (_tests_of(buffer, buffer.text) or {}):
        return f"This save adds or changes tests of {flow.model}, and {_lower_first(tests_locked)}. Save the docs without the test changes."
    return None


def _tests_of(buffer: Buffer, text: str) -> dict[str, Any] | None:
    if buffer.kind is PaneKind.WHOLE_FILE:
        return _tests_in_file(text, buffer.model_name)
    entry = entry_data_of(text)
    return tests_part(entry) if entry is not None else None


def _tests_in_file(text: str, model_name: str) -> dict[str, Any] | None:
    """The model's tests in a whole schema file (a file the entry editor could not take apart)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    models = data.get("models") if isinstance(data, dict) else None
    for item in models if isinstance(models, list) else ():
        if isinstance(item, dict) and item.get("name") == model_name:
            return tests_part(item)
    return {}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
