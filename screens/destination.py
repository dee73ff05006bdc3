"""Where a screen sends the user next: one record for every screen that ends by opening something.

The wizard, search, find data and the duplicates report all dismiss with a Destination, and the
main screen has one way to go there (tree, editors, a line, the wizard again).
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.project.layers import Layer


@dataclass(frozen=True, slots=True)
class Destination:
    path: str = ""
    """A model's SQL file, or (with `model`) a schema file holding the model's entry."""
    line: int | None = None
    """The line to show in that file; None: the model as it opens."""
    model: str | None = None
    """The model by name, when `path` is a schema file."""
    edit: bool = False
    """Put the cursor in the model's SQL ("extend this model instead")."""
    created: bool = False
    """A file just written: it is opened once the scan finds it."""
    wizard: Layer | None = None
    """Start the new-model wizard at this layer instead (find data)."""
    source: str | None = None
    """With `wizard`: the declared source (`source.table`) picked already."""
