"""Locks mean locks: what the workflow refuses to save while a step is locked, and why.

While the docs are locked the YAML pane is read-only (the editor shows the reason); while the
tests are locked a save that adds, removes or changes a test is refused, whatever else it does.
What a save changes is worked out on the file as the save would write it (the entry spliced in,
then the whole file read as dbt reads it), so no way of writing the entry gets round the lock.
The run's lock is asked of the flow (`locked_reason(Step.RUN)`) by every route that runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import yaml

from tui.core.buffers import Buffer, PaneKind, text_after_save
from tui.core.errors import WorkbenchError
from tui.core.workflow.artifacts import docs_artifact, model_item, tests_artifact
from tui.core.workflow.flow import ModelFlow
from tui.core.workflow.steps import Step


def _guarded(flow: ModelFlow | None) -> bool:
    """A model in the workflow, or one whose workflow file cannot be read (locked, not ignored)."""
    return flow is not None and (flow.managed or flow.problem is not None)


def yaml_lock(flow: ModelFlow | None) -> str | None:
    """Why the model's YAML is read-only now (None: it may be edited)."""
    return flow.locked_reason(Step.DOCS) if _guarded(flow) else None


def save_refusal(
    root: Path, flow: ModelFlow | None, buffer: Buffer, new_text: str, flow_for: Callable[[str], ModelFlow | None] | None = None,
) -> str | None:
    """Why saving `new_text` over `buffer` is refused by the workflow (None: save it). A whole
    schema file in the pane may hold other models' entries: `flow_for` gives their flows."""
    if buffer.kind in (PaneKind.SQL, PaneKind.READ_ONLY):
        return None
    own = _own_refusal(root, flow, buffer, new_text) if _guarded(flow) and buffer.model_name == flow.model else None
    if own is None and buffer.kind is PaneKind.WHOLE_FILE and flow_for is not None:
        return _others_refusal(buffer, new_text, flow_for)
    return own


def _own_refusal(root: Path, flow: ModelFlow, buffer: Buffer, new_text: str) -> str | None:
    docs_locked = flow.locked_reason(Step.DOCS)
    if docs_locked:
        return f"The YAML of {flow.model} is locked: {docs_locked}."
    tests_locked = flow.locked_reason(Step.TESTS)
    if not tests_locked or flow.artifacts is None:
        return None
    try:
        after = text_after_save(root, buffer, new_text)
    except WorkbenchError:
        return None  # the save refuses it itself, with its own reason
    item = model_item(after, flow.model)
    if item is None:
        return f"The tests of {flow.model} are locked ({_lower_first(tests_locked)}), and what this save leaves cannot be read to check it."
    if tests_artifact(item).digest != flow.artifacts.tests.digest:
        return f"This save adds or changes tests of {flow.model}, and {_lower_first(tests_locked)}. Save the docs without the test changes."
    return None


def _others_refusal(buffer: Buffer, new_text: str, flow_for: Callable[[str], ModelFlow | None]) -> str | None:
    """A whole-file save must not change the docs or tests of another model while they are locked."""
    before, after = _items(buffer.text), _items(new_text)
    for name in sorted(set(before) | set(after)):
        other = None if name == buffer.model_name else flow_for(name)
        if not _guarded(other):
            continue
        old, new = before.get(name), after.get(name)
        for step, artifact in ((Step.DOCS, docs_artifact), (Step.TESTS, tests_artifact)):
            locked = other.locked_reason(step)
            if locked and artifact(old).digest != artifact(new).digest:
                return f"This save changes the {step.title.lower()} of {name}, which are locked: {locked}."
    return None


def _items(file_text: str) -> dict[str, dict]:
    """Every `models:` item of a schema file's text by name ({} when it is not YAML)."""
    try:
        loaded = yaml.load(file_text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return {}
    models = loaded.get("models") if isinstance(loaded, dict) else None
    return {str(i["name"]): i for i in models if isinstance(i, dict) and "name" in i} if isinstance(models, list) else {}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
