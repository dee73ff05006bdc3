"""Open the workbench headless on DIR and exit right after the first frame that shows the whole tree.

bench_scan.py runs this as a child process and times it from spawn to exit, so the figure
includes interpreter start-up and imports, as a user's launch does. Prints `models_in_tree=N`
(and where the time went) on stdout; exits 1 if the tree never reported itself populated.

    python benchmarks/first_frame.py DIR
"""

from __future__ import annotations

import inspect
import os
import sys
import time
from pathlib import Path

STARTED = time.perf_counter()
GIVE_UP_S = 120  # a tree that never reports itself must not hang the benchmark


def _css_paths_of(app_class: type) -> list[Path]:
    """Textual resolves CSS_PATH beside the module of the class that runs; a subclass living in
    benchmarks/ must therefore name the app's stylesheets by absolute path."""
    paths = app_class.CSS_PATH or []
    paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
    home = Path(inspect.getfile(app_class)).parent
    return [home / path for path in paths]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: first_frame.py PROJECT_DIR", file=sys.stderr)
        return 2
    from tui.cli_open import start_scan

    project, config, prefetch = start_scan(Path(argv[0]))  # as `dbt-workbench DIR` starts
    from tui.app import WorkbenchApp

    imported = time.perf_counter()

    class FirstFrameApp(WorkbenchApp):
        """Remembers the tree's model count and quits once the frame holding it has been painted."""

        CSS_PATH = _css_paths_of(WorkbenchApp)
        models_in_tree: int | None = None

        def on_mount(self) -> None:  # Textual also runs WorkbenchApp.on_mount (handlers follow the MRO)
            self.set_timer(GIVE_UP_S, self.exit)

        frame_at: float | None = None

        def on_model_tree_populated(self, message) -> None:  # noqa: ANN001 (the app's message type)
            if self.models_in_tree is None:
                self.models_in_tree = message.model_count
                self.call_after_refresh(self.painted)

        def painted(self) -> None:
            self.frame_at = time.time()
            self.exit()

    app = FirstFrameApp(project.root, config=config, prefetch=prefetch)
    app.run(headless=True, size=(160, 48))
    done = time.perf_counter()
    if app.models_in_tree is None:
        print(f"the app never received ModelTree.Populated (gave up after {GIVE_UP_S} s or it exited)",
              file=sys.stderr)
        return 1
    print(f"models_in_tree={app.models_in_tree}")
    spawned_at = os.environ.get("BENCH_SPAWNED_AT")
    if spawned_at and app.frame_at is not None:
        print(f"frame_since_spawn_s={app.frame_at - float(spawned_at):.3f}")
    print(f"import_s={imported - STARTED:.3f}")
    print(f"app_to_frame_s={done - imported:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
