"""The editor area's side of recovery (tui.core.recovery): what its modified panes hold when the
terminal goes away, and putting recovered text back into the panes of the model now open."""

from __future__ import annotations

from tui.core.recovery import RecoveredPane
from tui.widgets.editor.area import EditorArea


def modified_panes(area: EditorArea) -> list[RecoveredPane]:
    """Every pane with edits, as the recovery file keeps it."""
    kept = []
    for pane in area.unsaved_panes():
        buffer = pane.buffer
        if buffer is not None:
            kept.append(RecoveredPane(buffer.kind.value, buffer.model_name, str(buffer.path), pane.text, buffer.shown))
    return kept


def restore_into(area: EditorArea, panes: tuple[RecoveredPane, ...]) -> list[str]:
    """Put each recovered pane's text into the open pane editing the same file and part;
    the paths of those restored (a pane that now edits something else is left alone)."""
    restored = []
    for recovered in panes:
        for pane in area.panes():
            buffer = pane.buffer
            same_part = buffer is not None and buffer.kind.value == recovered.kind and str(buffer.path) == recovered.path
            if same_part and buffer.model_name == recovered.model:
                pane.restore(recovered.text)
                restored.append(recovered.path)
                break
    return restored
