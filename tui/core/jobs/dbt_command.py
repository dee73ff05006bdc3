"""Which dbt to start and with what environment: the one beside this Python first."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from tui.core.errors import WorkbenchError


def find_dbt() -> str:
    """The dbt installed beside this Python (same virtualenv) first, then the one on PATH."""
    beside = Path(sys.executable).parent / "dbt"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("dbt")
    if found is None:
        raise WorkbenchError(
            "dbt was not found: it is neither next to this Python nor on PATH. "
            "Install dbt-core and the adapter (e.g. dbt-duckdb) into the workbench's environment."
        )
    return found


def dbt_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a dbt child: usage statistics off, the version check off."""
    env = dict(os.environ if base is None else base)
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    env.setdefault("DBT_VERSION_CHECK", "false")
    return env
