"""Bytes written to the terminal per keystroke: what a slow SSH link must carry.

Each case runs a real process on a pseudo-terminal (120x40, TERM=xterm-256color) and counts every
byte it writes there. After start-up the output is left to go quiet; then keys are sent one at a
time, and after each the bytes until the output has been quiet for QUIET_S are that key's cost.

    editor  typing characters into a model's SQL: the workbench (its editor, with the live lint,
            the similar-models panel and the tracker around it) next to a plain Textual TextArea
            holding the same file, with line numbers, at the size of the workbench's SQL pane
    tree    the cursor moving down the model tree of a 2,000-model project: the workbench (each
            model the cursor rests on opens in the editors) next to a plain Textual Tree of the same
            2,000 names in the same groups, at the size of ours: held (keys as auto-repeat sends
            them, every KEY_REPEAT_S; then, apart, the bytes of opening the model it stops on), and
            one key at a time (a pause after each, so every step opens its model)

Prints bytes per key (median, mean) per case and the ratio to the plain widget; target 1.5x.

    .venv/bin/python benchmarks/bench_terminal_bytes.py [--models 2000] [--keys 40]
"""

from __future__ import annotations

import argparse
import os
import pty
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from synthetic import make_project  # noqa: E402

BIN = Path(sys.executable).parent / "dbt-workbench"
QUIET_S = 0.6
START_QUIET_S = 8.0
"""Start-up goes on in stages (scan, schema index, renders, the project lint child): wait until all are drawn."""
KEY_REPEAT_S = 0.033
TARGET = 1.5
SIZE = (120, 40)

PLAIN_EDITOR = r'''
import sys
from pathlib import Path
from textual.app import App
from textual.widgets import TextArea
class Plain(App):
    CSS = "TextArea { width: 40; height: 25; }"  # the size of the workbench's SQL pane at 120x40
    def compose(self):
        editor = TextArea(Path(sys.argv[1]).read_text(), show_line_numbers=True, soft_wrap=False, id="ed")
        editor.cursor_blink = False  # as the workbench's editor: a blink writes every 0.5 s, keys or not
        yield editor
    def on_mount(self):
        self.query_one(TextArea).focus()
Plain().run()
'''

PLAIN_TREE = r'''
import sys
from pathlib import Path
from textual.app import App
from textual.widgets import Tree
GROUPS = (("Staging", "stg_"), ("Intermediate", "int_"), ("Marts", ("fct_", "dim_")), ("Other", ""))
class Plain(App):
    CSS = "Tree { width: 34; height: 36; }"  # the size of the workbench's tree at 120x40
    def compose(self):
        names = sorted(p.stem for p in Path(sys.argv[1], "models").rglob("*.sql"))
        tree = Tree(Path(sys.argv[1]).name, id="tree")
        tree.root.expand()
        placed = set()
        for title, prefix in GROUPS:
            group = tree.root.add(title, expand=True)
            for name in names:
                if name not in placed and (name.startswith(prefix) if prefix else True):
                    placed.add(name)
                    group.add_leaf(name)
        yield tree
    def on_mount(self):
        self.query_one(Tree).focus()
Plain().run()
'''


class PtyApp:
    """A process on its own pseudo-terminal; every byte it writes is counted."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execvpe(argv[0], argv, env)
        import fcntl
        import struct
        import termios

        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
        self.total = 0

    def drain(self, quiet_s: float, limit_s: float = 60.0) -> int:
        """Read until nothing came for quiet_s; the bytes read."""
        got = 0
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], quiet_s)
            if not ready:
                break
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            got += len(chunk)
        self.total += got
        return got

    def read_until(self, moment: float) -> None:
        """Read whatever comes until the monotonic clock reaches `moment`."""
        while (left := moment - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    self.total += len(os.read(self.fd, 65536))
                except OSError:
                    return

    def send(self, data: bytes) -> None:
        os.write(self.fd, data)

    def close(self) -> None:
        try:
            os.kill(self.pid, 15)
        except ProcessLookupError:
            pass
        self.drain(0.2, 5)
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        os.close(self.fd)


def environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "TMUX_PANE", "COLUMNS", "LINES", "NO_COLOR")}
    env.update(TERM="xterm-256color", HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"), XDG_CONFIG_HOME=str(home / ".config"),
               COLORTERM="truecolor")
    return env


def per_key(app: PtyApp, key: bytes, count: int, held: bool) -> list[int]:
    """Bytes for each key; held: a burst at auto-repeat pace, divided over its keys."""
    if held:  # keys at the terminal's repeat rate, whatever the app writes meanwhile
        start = app.total
        next_key = time.monotonic()
        for _ in range(count):
            app.send(key)
            next_key += KEY_REPEAT_S
            app.read_until(next_key)
        moving = app.total - start
        rested = app.drain(QUIET_S)  # the model the cursor stopped on opens
        return [round(moving / count), rested]
    sizes = []
    for _ in range(count):
        app.send(key)
        sizes.append(app.drain(QUIET_S))
    return sizes


def measure(argv: list[str], env: dict[str, str], setup: list[bytes], key: bytes, count: int, held: bool = False) -> list[int]:
    app = PtyApp(argv, env)
    try:
        app.drain(START_QUIET_S, 90)
        for keys in setup:
            app.send(keys)
            app.drain(QUIET_S)
        return per_key(app, key, count, held)
    finally:
        app.close()


def report(name: str, ours: list[int], plain: list[int]) -> None:
    ours_median, plain_median = statistics.median(ours), statistics.median(plain)
    ratio = ours_median / plain_median if plain_median else float("inf")
    verdict = "ok" if ratio <= TARGET else f"over the {TARGET}x target"
    print(f"{name:<34} workbench {ours_median:>8,.0f} B/key (mean {statistics.mean(ours):>8,.0f})   "
          f"plain {plain_median:>8,.0f} B/key (mean {statistics.mean(plain):>8,.0f})   {ratio:.2f}x  {verdict}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=2000)
    parser.add_argument("--keys", type=int, default=40)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-bytes-"))
    try:
        project = make_project(work / "project", args.models)
        home = work / "home"
        home.mkdir()
        env = environment(home)
        model = next(path for path in sorted((project / "models").rglob("*.sql")) if path.stem.startswith("stg_"))
        print(f"{args.models:,} models; {args.keys} keys per case; terminal {SIZE[0]}x{SIZE[1]}; a key's bytes are all "
              f"it caused until {QUIET_S:g} s of quiet", flush=True)
        ours = measure([str(BIN), str(project)], env, [b"e"], b"x", args.keys)
        plain = measure([sys.executable, "-c", PLAIN_EDITOR, str(model)], env, [], b"x", args.keys)
        report("editor: typing a character", ours, plain)
        down = b"\x1b[B"
        to_first_model = [down, down, down, b"\r", down]  # Sources, Staging, its first folder opened, its first model
        to_first_leaf = [down, down]  # the root, Staging, its first name
        ours = measure([str(BIN), str(project)], env, to_first_model, down, args.keys, held=True)
        plain = measure([sys.executable, "-c", PLAIN_TREE, str(project)], env, to_first_leaf, down, args.keys, held=True)
        report("tree: cursor down, key held", ours[:1], plain[:1])
        print(f"{'  then the model it rests on opens':<34} workbench {ours[1]:>8,} B once (a plain Tree opens nothing)", flush=True)
        ours = measure([str(BIN), str(project)], env, to_first_model, down, args.keys)
        plain = measure([sys.executable, "-c", PLAIN_TREE, str(project)], env, to_first_leaf, down, args.keys)
        report("tree: cursor down, one at a time", ours, plain)
        print(f"{'':<34} (each step opens the model it rests on: the cost of showing it)", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
