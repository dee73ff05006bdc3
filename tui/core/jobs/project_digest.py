"""A digest of every file dbt's parse reads, so a kept manifest is never used once one changed.

Names, sizes and modification times (not contents: stat is enough to see an edit, a checkout or a
new file, and stays fast on thousands of files). dbt's own output folders and tools' folders are
left out: a run writes `target/` and must not make the next one re-parse.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

PARSED_SUFFIXES = frozenset({".sql", ".yml", ".yaml", ".csv", ".py", ".md", ".jinja", ".json"})
LEFT_OUT = frozenset({"target", "logs", ".git", ".dbt-workbench", "node_modules", ".venv", "__pycache__"})


def project_digest(root: Path, left_out: frozenset[str] = LEFT_OUT) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for path, size, mtime in sorted(_files(root, left_out)):
        digest.update(f"{path}\0{size}\0{mtime}\n".encode())
    return digest.hexdigest()


def _files(root: Path, left_out: frozenset[str]):
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=True):
                if entry.name not in left_out or folder != root:
                    stack.append(Path(entry.path))
            elif os.path.splitext(entry.name)[1] in PARSED_SUFFIXES:
                try:
                    stat = entry.stat()
                except OSError:
                    continue
                yield os.path.relpath(entry.path, root), stat.st_size, stat.st_mtime_ns
