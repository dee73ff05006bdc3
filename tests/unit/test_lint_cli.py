"""`dbt-workbench lint` as scripts use it: real processes, JSON findings, exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import FIXTURES
from tests.unit.test_cli import run_cli
from tui.core.demo import write_demo_project

KEYS = {"rule", "severity", "model", "message", "path", "line"}


def test_json_findings_and_exit_0_on_warnings(tmp_path: Path) -> None:
    root = write_demo_project(tmp_path / "demo")
    result = run_cli("lint", str(root), "--json")
    assert result.returncode == 0, result.stderr
    findings = json.loads(result.stdout)
    assert all(set(finding) == KEYS for finding in findings)
    assert [(f["rule"], f["model"], f["line"]) for f in findings] == [
        ("fct_missing_primary_key_tests", "dim_cases", 4),
        ("fct_missing_primary_key_tests", "int_reviewer_workload", None),
        ("fct_undocumented_models", "int_reviewer_workload", None),
    ]
    assert findings[0]["severity"] == "warning"
    assert findings[0]["path"] == "models/marts/dim_cases.yml"


def test_hard_coded_relation_is_an_error_exit_1(tmp_path: Path) -> None:
    root = write_demo_project(tmp_path / "demo")
    model = root / "models" / "marts" / "dim_cases.sql"
    model.write_text(model.read_text().replace("select * from final", "select * from final\njoin raw.cases using (case_id)"))
    result = run_cli("lint", str(root), "--json", "--select", "dim_cases")
    assert result.returncode == 1, result.stderr
    (hard,) = [f for f in json.loads(result.stdout) if f["rule"] == "hard_coded_relation"]
    assert hard["severity"] == "error" and hard["model"] == "dim_cases" and "raw.cases" in hard["message"]
    assert hard["line"] == model.read_text().splitlines().index("join raw.cases using (case_id)") + 1


def test_text_output_and_configured_severity(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "lint" / "fct_root_models", root)
    result = run_cli("lint", str(root))
    assert result.returncode == 0, result.stderr
    assert "models/marts/fct_root.sql: warning fct_root_models: fct_root reads no source and no model" in result.stdout
    assert "1 findings (0 errors, 1 warnings) in 2 models" in result.stdout
    (root / "dbt-workbench.yml").write_text("lint:\n  severity:\n    fct_root_models: error\n")
    result = run_cli("lint", str(root))
    assert result.returncode == 1
    assert "error fct_root_models" in result.stdout
    (root / "dbt-workbench.yml").write_text(
        "lint:\n  ignore:\n    - {model: fct_root, rule: fct_root_models, reason: a calendar spine}\n"
    )
    result = run_cli("lint", str(root), "--json")
    assert result.returncode == 0 and json.loads(result.stdout) == []


def test_unknown_select_is_a_message() -> None:
    result = run_cli("lint", str(FIXTURES / "lint" / "fct_root_models"), "--select", "fct_root", "nope")
    assert result.returncode == 2
    assert "no model named nope" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_lint_config_is_a_message(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "lint" / "fct_root_models", root)
    (root / "dbt-workbench.yml").write_text("lint:\n  severity:\n    no_such_rule: off\n")
    result = run_cli("lint", str(root))
    assert result.returncode == 1
    assert "unknown lint rule 'no_such_rule'" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_mentions_lint() -> None:
    result = run_cli("--help")
    assert "lint [PROJECT_DIR]" in result.stdout


def test_lint_does_not_import_textual() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from tui.cli import main; "
        f"main(['lint', {str(FIXTURES / 'lint' / 'fct_root_models')!r}, '--json']); "
        "assert 'textual' not in sys.modules, 'textual imported'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_a_fifty_megabyte_one_line_model_is_reported_too_large(tmp_path: Path) -> None:
    """Not parsed (a real project's generated model grew `lint` to 7.7 GB): a not_checked finding
    that says why, and the lint stays small."""
    import os
    import subprocess
    import sys

    root = write_demo_project(tmp_path / "demo")
    columns = ", ".join(f"{n} as c{n}" for n in range(2_600_000))
    (root / "models/marts/fct_wide.sql").write_text(f"select {columns} from {{{{ ref('stg_cases') }}}}\n")
    # The child's own peak (VmHWM), read by itself: a child's rusage also carries the peak of the
    # process it was forked from (the test run, gigabytes by now), recorded when it execs.
    code = (
        "import re, sys; from tui.cli import main; status = main(['lint', sys.argv[1], '--json']); "
        "peak = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1); "
        "sys.stderr.write(f'peak-kib {peak}\\n'); sys.exit(status)"
    )
    child = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True, timeout=300)
    assert child.returncode == 0, child.stderr[-2000:]
    (finding,) = [f for f in json.loads(child.stdout) if f["model"] == "fct_wide" and f["rule"] == "not_checked"]
    size = len((root / "models/marts/fct_wide.sql").read_text())
    assert f"{size:,} characters is too large to parse" in finding["message"]
    peak_kib = int(child.stderr.split("peak-kib ")[1].split()[0])
    assert peak_kib < 1024 * 1024  # under 1 GiB (about 150 MiB measured)
