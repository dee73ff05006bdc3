"""Real `dbt parse` still succeeds after the workbench's saves, even with leftover temp files.

The leftovers hold text that would break the parse if dbt read them, so a pass proves dbt skips
them; the workbench's own scan must skip them too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.core.demo import write_demo_project
from tui.core.files import is_temp_file, load_text_file, save_text_file
from tui.core.project.dbt_project import load_project
from tui.core.scan.scanner import scan_project

pytestmark = pytest.mark.e2e
DBT = Path(sys.executable).parent / "dbt"
BROKEN = "{{ this is not jinja\nmodels: [ {{ \n"
STRAYS = {
    "models/staging/.stg_cases.sql.abc123.wbtmp": "select {{ broken\n",
    "models/staging/._staging.yml.abc.wbtmp": BROKEN,
}


def save(root: Path, rel: str, edit) -> bytes:
    """Edit one file through the workbench's save and return its bytes on disk."""
    loaded = load_text_file(root / rel, root)
    assert save_text_file(loaded, edit(loaded.text), root) is not None
    return (root / rel).read_bytes()


def dbt_parse(root: Path) -> dict:
    """Run the real dbt in a child process and return the manifest it wrote."""
    env = dict(os.environ, DBT_PROFILES_DIR=str(root), DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    result = subprocess.run([str(DBT), "parse", "--no-use-colors"], cwd=root, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return json.loads((root / "target" / "manifest.json").read_text())


def test_dbt_parse_after_lf_and_crlf_saves_with_stray_temp_files(tmp_path: Path) -> None:
    root = write_demo_project(tmp_path / "demo")
    model = save(root, "models/staging/stg_cases.sql", lambda t: "-- saved by the workbench\n" + t)
    assert model.startswith(b"-- saved by the workbench\nwith source as") and b"\r" not in model
    schema_rel = "models/staging/_staging.yml"
    lf_schema = (root / schema_rel).read_bytes()
    (root / schema_rel).write_bytes(lf_schema.replace(b"\n", b"\r\n"))
    old = "Cases from the raw export"
    schema = save(root, schema_rel, lambda t: t.replace(old, "Saved through CRLF. " + old))
    assert schema.count(b"\r\n") == lf_schema.count(b"\n") and b"Saved through CRLF." in schema
    dim_rel = "models/marts/dim_cases.sql"
    (root / dim_rel).write_bytes((root / dim_rel).read_bytes().replace(b"\n", b"\r\n"))
    dim = save(root, dim_rel, lambda t: "-- a CRLF model\n" + t)
    assert dim.startswith(b"-- a CRLF model\r\n") and b"\n" not in dim.replace(b"\r\n", b"")
    for rel, text in STRAYS.items():
        (root / rel).write_text(text)

    manifest = dbt_parse(root)
    nodes = manifest["nodes"]
    names = {node["name"] for node in nodes.values() if node["resource_type"] == "model"}
    assert {"stg_cases", "stg_decisions", "dim_cases", "fct_case_decisions"} <= names
    assert nodes["model.workbench_demo.stg_cases"]["description"].startswith("Saved through CRLF.")
    assert "saved by the workbench" in nodes["model.workbench_demo.stg_cases"]["raw_code"]
    assert not [n for n in nodes.values() if "wbtmp" in n.get("original_file_path", "")]

    scan = scan_project(load_project(root))
    paths = [m.path for m in scan.models] + [e.path for e in scan.schema.entries.values()]
    paths += [p.path for p in (*scan.problems, *scan.schema.problems)]
    assert "models/staging/stg_cases.sql" in paths
    assert not [p for p in paths if "wbtmp" in p or is_temp_file(Path(p).name)]
    assert not scan.problems and not scan.schema.problems
