"""What the SQL and YAML panes load and how they save, on a real copy of the demo project."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.demo import write_demo_project
from tui.core.errors import WorkbenchError
from tui.core.files import FileChangedOnDisk
from tui.core.project.dbt_project import load_project
from tui.core.scan.scanner import scan_project
from tui.core.buffers import PaneKind, open_sql, open_yaml, save_buffer
from tui.core.schema.edit import EntryInvalid


@pytest.fixture(scope="module")
def demo_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_demo_project(tmp_path_factory.mktemp("buffers") / "demo")


@pytest.fixture
def demo(demo_source: Path, tmp_path: Path) -> Path:
    import shutil

    return Path(shutil.copytree(demo_source, tmp_path / "demo"))


def model_and_entry(root: Path, name: str):
    scan = scan_project(load_project(root))
    model = scan.model_named(name)
    return model, scan.entry_for(name)


def test_sql_pane_saves_the_model_file(demo: Path) -> None:
    model, _ = model_and_entry(demo, "stg_cases")
    buffer = open_sql(demo, model)
    assert buffer.kind is PaneKind.SQL and buffer.lexer == "sql+jinja"
    assert buffer.text == (demo / model.path).read_text()
    saved = save_buffer(demo, buffer, buffer.text + "-- reviewed\n")
    assert (demo / model.path).read_text().endswith("-- reviewed\n")
    assert saved.text.endswith("-- reviewed\n")
    assert save_buffer(demo, saved, saved.text) is None  # nothing to write


def test_sql_pane_never_overwrites_an_external_change(demo: Path) -> None:
    model, _ = model_and_entry(demo, "stg_cases")
    buffer = open_sql(demo, model)
    (demo / model.path).write_text("select 'from the agent next door'\n")
    with pytest.raises(FileChangedOnDisk) as changed:
        save_buffer(demo, buffer, "select 'mine'\n")
    assert changed.value.current == b"select 'from the agent next door'\n"
    assert (demo / model.path).read_text() == "select 'from the agent next door'\n"
    save_buffer(demo, buffer, "select 'mine'\n", overwrite_external=True)
    assert (demo / model.path).read_text() == "select 'mine'\n"


def test_yaml_pane_edits_only_the_entry(demo: Path) -> None:
    model, entry = model_and_entry(demo, "stg_decisions")
    schema = demo / entry.path
    before = schema.read_text().splitlines(keepends=True)
    buffer = open_yaml(demo, model, entry, "folder")
    assert buffer.kind is PaneKind.ENTRY
    assert buffer.text.startswith("- name: stg_decisions\n")
    edited = buffer.text.replace("description:", "description: Reviewed.\n  meta: {owner: cases-team}\n  x_old_description:", 1)
    saved = save_buffer(demo, buffer, edited)
    after = schema.read_text().splitlines(keepends=True)
    first = entry.line - 1
    added = len(after) - len(before)
    old_end = first + len(buffer.text.splitlines())
    assert after[:first] == before[:first]
    assert after[old_end + added:] == before[old_end:]
    assert saved.kind is PaneKind.ENTRY and "owner: cases-team" in saved.text


def test_invalid_entry_is_refused_and_nothing_is_written(demo: Path) -> None:
    model, entry = model_and_entry(demo, "stg_cases")
    schema = demo / entry.path
    original = schema.read_bytes()
    buffer = open_yaml(demo, model, entry, "folder")
    with pytest.raises(EntryInvalid) as invalid:
        save_buffer(demo, buffer, buffer.text + "  columns: [unclosed\n")
    assert invalid.value.line is not None
    with pytest.raises(EntryInvalid, match="renamed to stg_reviewers"):
        save_buffer(demo, buffer, buffer.text.replace("name: stg_cases", "name: stg_reviewers", 1))
    assert schema.read_bytes() == original


def test_entry_save_keeps_changes_made_elsewhere_in_the_file_when_overwriting(demo: Path) -> None:
    model, entry = model_and_entry(demo, "stg_cases")
    schema = demo / entry.path
    buffer = open_yaml(demo, model, entry, "folder")
    schema.write_text(schema.read_text() + "# a comment an agent added\n")
    edited = buffer.text.replace("description:", "description: Edited here.\n  x_description:", 1)
    with pytest.raises(FileChangedOnDisk):
        save_buffer(demo, buffer, edited)
    save_buffer(demo, buffer, edited, overwrite_external=True)
    text = schema.read_text()
    assert "# a comment an agent added" in text and "Edited here." in text


def test_model_without_entry_gets_one_in_its_folder_file(demo: Path) -> None:
    model, entry = model_and_entry(demo, "int_reviewer_workload")
    assert entry is None
    buffer = open_yaml(demo, model, None, "folder")
    assert buffer.kind is PaneKind.NEW_ENTRY
    assert buffer.path == Path("models/intermediate/_intermediate.yml")
    saved = save_buffer(demo, buffer, '- name: int_reviewer_workload\n  description: "Decisions per reviewer."\n')
    assert saved.kind is PaneKind.ENTRY
    _, entry = model_and_entry(demo, "int_reviewer_workload")
    assert entry.path == "models/intermediate/_intermediate.yml" and entry.documented


def test_model_policy_and_new_folder_create_a_model_file(demo: Path) -> None:
    (demo / "models/marts/finance").mkdir()
    (demo / "models/marts/finance/fct_fees.sql").write_text("select 1 as fee_id\n")
    model, _ = model_and_entry(demo, "fct_fees")
    buffer = open_yaml(demo, model, None, "folder")
    assert buffer.path == Path("models/marts/finance/fct_fees.yml")
    save_buffer(demo, buffer, "- name: fct_fees\n  description: Fees.\n")
    assert (demo / "models/marts/finance/fct_fees.yml").read_text().startswith("version: 2")
    model, _ = model_and_entry(demo, "int_reviewer_workload")
    assert open_yaml(demo, model, None, "model").path == Path("models/intermediate/int_reviewer_workload.yml")


def test_unsafe_schema_file_is_edited_whole(demo: Path) -> None:
    model, entry = model_and_entry(demo, "dim_cases")
    schema = demo / entry.path
    schema.write_text(schema.read_text() + "{% if target.name == 'prod' %}\n{% endif %}\n")
    buffer = open_yaml(demo, model, entry, "folder")
    assert buffer.kind is PaneKind.WHOLE_FILE
    assert "editing the whole file" in buffer.note
    save_buffer(demo, buffer, buffer.text.replace("{% endif %}", "{% endif %}\n# checked"))
    assert schema.read_text().endswith("# checked\n")


def test_file_that_is_not_utf8_is_read_only(demo: Path) -> None:
    path = demo / "models/marts/fct_latin1.sql"
    path.write_bytes("select 'café' as x\n".encode("latin-1"))
    model, _ = model_and_entry(demo, "fct_latin1")
    buffer = open_sql(demo, model)
    assert buffer.read_only and "byte 0xE9 at offset 11" in buffer.note
    with pytest.raises(WorkbenchError, match="read-only"):
        save_buffer(demo, buffer, "select 1\n")
    assert path.read_bytes() == "select 'café' as x\n".encode("latin-1")


def test_entry_knows_its_line_in_the_file(demo: Path) -> None:
    model, entry = model_and_entry(demo, "stg_reviewers")
    buffer = open_yaml(demo, model, entry, "folder")
    assert buffer.first_line == entry.line
    lines = (demo / entry.path).read_text().splitlines()
    assert lines[buffer.first_line - 1].strip() == "- name: stg_reviewers"


def test_file_deleted_while_open_is_a_conflict_and_overwrite_recreates_it(demo: Path) -> None:
    model, entry = model_and_entry(demo, "stg_cases")
    sql = open_sql(demo, model)
    yaml = open_yaml(demo, model, entry, "folder")
    (demo / model.path).unlink()
    (demo / entry.path).unlink()
    with pytest.raises(FileChangedOnDisk) as gone:
        save_buffer(demo, sql, "select 1 as kept\n")
    assert gone.value.current is None
    save_buffer(demo, sql, "select 1 as kept\n", overwrite_external=True)
    assert (demo / model.path).read_text() == "select 1 as kept\n"
    with pytest.raises(FileChangedOnDisk):
        save_buffer(demo, yaml, yaml.text)
    save_buffer(demo, yaml, yaml.text, overwrite_external=True)
    assert "- name: stg_cases" in (demo / entry.path).read_text()
