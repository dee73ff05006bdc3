"""Copying text where the user's desktop can paste it: the local clipboard tools.

The terminal's own clipboard (OSC 52, which also travels over SSH) is written by the app; this
module finds the local ways in: tmux's buffer (`tmux load-buffer -w`, which tmux also hands on
to the outer terminal), then one of wl-copy, xclip, xsel, pbcopy where a display says it can
work. Each tool reads the text from a private temporary file, through the one child runner.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Mapping

from tui.core.process import run_child

COPY_TIMEOUT_S = 5


def local_copiers(environ: Mapping[str, str]) -> list[list[str]]:
    """The commands to run, each reading the text on its input; [] when none can work here."""
    found: list[list[str]] = []
    if environ.get("TMUX") and shutil.which("tmux"):
        found.append(["tmux", "load-buffer", "-w", "-"])
    desktop = None
    if environ.get("WAYLAND_DISPLAY") and shutil.which("wl-copy"):
        desktop = ["wl-copy"]
    elif environ.get("DISPLAY") and shutil.which("xclip"):
        desktop = ["xclip", "-selection", "clipboard"]
    elif environ.get("DISPLAY") and shutil.which("xsel"):
        desktop = ["xsel", "--clipboard", "--input"]
    elif sys.platform == "darwin" and shutil.which("pbcopy"):
        desktop = ["pbcopy"]
    if desktop:
        found.append(desktop)
    return found


def copy_locally(text: str, environ: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """Run each local copier; (the tools that took the text, what went wrong with the others)."""
    copiers = local_copiers(environ)
    if not copiers:
        return [], []
    took: list[str] = []
    failed: list[str] = []
    handle, name = tempfile.mkstemp(prefix="dbt-workbench-copy-")  # mode 0600: only its owner reads it
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(text.encode("utf-8"))
        for argv in copiers:
            result = run_child(argv, env=environ, stdin_path=Path(name), merge_stderr=True, timeout=COPY_TIMEOUT_S)
            if result.returncode == 0:
                took.append(argv[0])
            else:
                failed.append(f"{argv[0]}: {' '.join(result.tail)[:120] or f'exit {result.returncode}'}")
    finally:
        os.unlink(name)
    return took, failed
