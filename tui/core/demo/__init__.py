"""The built-in demo: a small layered dbt project on DuckDB ("cases and decisions").

`write_demo_project` lays down the project and its raw data; `build_demo_project` runs
`dbt build` on it in a child process.
"""

from __future__ import annotations

from tui.core.demo.build import build_demo_project, find_dbt
from tui.core.demo.data import row_counts
from tui.core.demo.writer import DATABASE, DemoExistsError, demo_paths, write_demo_project

__all__ = [
    "DATABASE",
    "DemoExistsError",
    "build_demo_project",
    "demo_paths",
    "find_dbt",
    "row_counts",
    "write_demo_project",
]
