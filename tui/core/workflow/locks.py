"""Locks mean locks: what the workflow refuses to save while a step is locked, and why.

While the docs are locked the YAML pane is read-only (the editor shows the reason); while the
tests are locked a save that adds, removes or changes a test is refused, whatever else it does.
What a save changes is worked out on the file as the save would write it (the entry spliced in,
then the whole file read as dbt reads it), so no way of writing the entry gets round the lock.
The run's lock is asked of the flow (`locked_reason(Step.RUN)`) by every route that runs.
"""

from __future__ import annotations

from pathlib import Path

from tui.core.buffers import Buffer, PaneKind, text_after_save
from tui.core.errors import WorkbenchError
from tui.core.workflow.artifacts import model_item, tests_artifact
from tui.core.workflow.flow import ModelFlow
from tui.core.workflow.steps import Step


def _guarded(flow: ModelFlow | None) -> bool:
    """A model in the workflow, or one whose workflow file cannot be read (locked, not ignored)."""
    return flow is not None and (flow.managed or flow.problem is not None)


def yaml_lock(flow: ModelFlow | None) -> str | None:
    """Why the model's YAML is read-only now (None: it may be edited)."""
    return flow.locked_reason(Step.DOCS) if _guarded(flow) else None


def save_refusal(root: Path, flow: ModelFlow | None, buffer: Buffer, new_text: str) -> str | None:
    """Why saving `new_text` over `buffer` is refused by the workflow (None: save it)."""
    if not _guarded(flow) or buffer.kind in (PaneKind.SQL, PaneKind.READ_ONLY) or buffer.model_name != flow.model:
        return None
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


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
