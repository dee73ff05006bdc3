"""The command palette's "Open model <name>": a jump to any model of the project, fuzzy matched.

Registered in MainScreen.COMMANDS, so the screen it asks is the main screen: it reads the
screen's scan and asks it to jump (the screen clears a filter that hides the model, and asks
about unsaved edits before the model opens).
"""

from __future__ import annotations

from functools import partial
from typing import Protocol, runtime_checkable

from textual.command import Hit, Hits, Provider
from textual.content import Content

from tui.core.discover.search import fuzzy_match
from tui.core.project.records import ModelFile, ProjectScan


@runtime_checkable
class ModelJumps(Protocol):
    """What the provider needs of its screen (the main screen has both)."""

    scan: ProjectScan | None

    def jump_to_model(self, model: ModelFile) -> None: ...


class ModelCommands(Provider):
    """One hit per model whose name matches what is typed; nothing before a letter is typed."""

    async def search(self, query: str) -> Hits:
        screen = self.screen
        if not isinstance(screen, ModelJumps) or screen.scan is None or not query.strip():
            return
        scan = screen.scan
        matcher = self.matcher(query)
        for model in scan.models:
            if not fuzzy_match(query, model.name):  # cheap first, for projects of thousands of models
                continue
            score = matcher.match(model.name)
            if score > 0:
                yield Hit(
                    score,
                    Content("Open model ") + matcher.highlight(model.name),
                    partial(screen.jump_to_model, model),
                    text=f"Open model {model.name}",
                    help=model.path,
                )
