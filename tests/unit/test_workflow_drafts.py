"""Steps 2 and 3's proposals: pass-through columns, the entry writer, the docs scaffold, the data
profile and its test suggestions (on a real DuckDB file), and the save locks."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import yaml
from hypothesis import given, settings, strategies as st

from tui.core.buffers import Buffer, PaneKind
from tui.core.workflow.entry_writer import entry_text_of, scalar
from tui.core.workflow.flow import ModelFlow
from tui.core.workflow.locks import save_refusal, yaml_lock
from tui.core.workflow.machine import StepState
from tui.core.workflow.passthrough import PassedThrough, passed_through
from tui.core.workflow.record import ModelRecord
from tui.core.workflow.scaffold import scaffold_entry
from tui.core.workflow.steps import Status, Step
from tui.core.warehouse.duckdb_catalog import DuckDBReader
from tui.core.workflow.suggest import profile_model, suggestions, with_tests

JOINED = """
with cases as (select * from "demo"."main"."stg_cases"),
decisions as (select case_id, outcome, decided_at as decision_at from "demo"."main"."stg_decisions")
select cases.case_id, cases.priority, upper(cases.region) as region, decisions.outcome,
       decisions.decision_at, cases.status as state, 1 as one
from cases left join decisions on decisions.case_id = cases.case_id
"""


def passing(sql: str) -> dict:
    return {name: found for name, found in passed_through(sql, "duckdb").items() if found.relation}


def test_only_columns_taken_unchanged_and_by_the_same_name_pass_through() -> None:
    traced = passing(JOINED)
    assert traced == {
        "case_id": PassedThrough("case_id", "stg_cases"),
        "priority": PassedThrough("priority", "stg_cases"),
        "outcome": PassedThrough("outcome", "stg_decisions"),
    }  # region is computed, decision_at renamed in its CTE, state renamed, one a literal


@pytest.mark.parametrize(
    "sql, expected",
    [
        ('select * from "db"."main"."stg_x"', {"*": PassedThrough("*", "stg_x")}),
        ("with f as (select c.case_id, c.x as y from stg c) select * from f", {"case_id": PassedThrough("case_id", "stg")}),
        ("select id from (select * from t) s", {}),  # a subquery: not followed
        ("select a from t union all select a from u", {}),
        ("select a, count(*) as n from t group by a", {}),  # aggregated
        ("select id from a join b on a.id = b.id", {}),  # ambiguous
        ("this is not sql (", {}),
    ],
)
def test_pass_through_refuses_to_guess(sql: str, expected: dict) -> None:
    assert passing(sql) == expected


@pytest.mark.parametrize(
    "sql, column",
    [
        ("select * exclude (amount), amount / 100 as amount from stg_pay", "amount"),
        ("select p.*, upper(o.status) as status from stg_pay p join stg_o o on p.id = o.id", "status"),
        ("select *, 1 as one from stg_pay", "one"),
    ],
)
def test_a_column_made_beside_a_star_takes_nothing_from_the_star(sql: str, column: str) -> None:
    scaffold = scaffold_entry("m", [(column, "varchar")], None, passed_through(sql, "duckdb"), {"stg_pay": {column: "From upstream."}})
    assert yaml.safe_load(scaffold.text)[0]["columns"][0]["description"] == ""


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r\x85\u2028\u2029"), max_size=40))
@settings(max_examples=300, deadline=None)
def test_every_scalar_reads_back_as_the_same_string(value: str) -> None:
    assert yaml.safe_load(f"k: {scalar(value)}") == {"k": value}


@pytest.mark.parametrize("value, written", [("yes", '"yes"'), ("null", '"null"'), ("1.0", '"1.0"'), ("{{ doc('case_id') }}", "\"{{ doc('case_id') }}\"")])
def test_what_yaml_1_1_would_misread_is_quoted_and_doc_references_keep_their_text(value: str, written: str) -> None:
    assert scalar(value) == written


def test_an_entry_reads_back_as_written_with_lists_indented_under_their_key() -> None:
    entry = {
        "name": "stg_x", "description": "One row per x.\n", "config": {"tags": ["a"]},
        "columns": [{"name": "id", "description": "Key", "data_tests": ["unique", {"accepted_values": {"arguments": {"values": ["a", "b"]}}}]}],
    }
    text = entry_text_of(entry, {"id": "from stg_y.id"})
    assert yaml.safe_load(text) == [entry]
    assert "      description: Key  # from stg_y.id\n" in text and "        - unique\n" in text
    assert "  description: |\n    One row per x.\n" in text


def test_the_scaffold_inherits_only_pass_through_descriptions_and_never_overwrites() -> None:
    existing = {"name": "dim_x", "description": "{{ doc('dim_x') }}", "columns": [{"name": "priority", "description": "Ours."}, {"name": "gone", "description": "Old."}]}
    upstream = {"stg_cases": {"case_id": "Primary key of the case.", "priority": "Theirs."}, "stg_decisions": {"outcome": ""}}
    columns = [("case_id", "integer"), ("priority", "varchar"), ("region", "varchar"), ("outcome", "varchar"), ("state", "varchar")]
    scaffold = scaffold_entry("dim_x", columns, existing, passed_through(JOINED, "duckdb"), upstream)
    entry = yaml.safe_load(scaffold.text)[0]
    by_name = {c["name"]: c for c in entry["columns"]}
    assert entry["description"] == "{{ doc('dim_x') }}"
    assert by_name["priority"]["description"] == "Ours."  # kept
    assert by_name["case_id"]["description"] == "Primary key of the case." and by_name["case_id"]["data_type"] == "integer"
    assert by_name["region"]["description"] == "" and by_name["state"]["description"] == ""  # computed / renamed
    assert by_name["outcome"]["description"] == ""  # passes through, but stg_decisions does not describe it
    assert "# from stg_cases.case_id (passes through unchanged)" in scaffold.text
    assert "# new here (computed, renamed or joined): describe it" in scaffold.text
    assert "# passes through from stg_decisions, which does not describe it" in scaffold.text
    assert [c["name"] for c in entry["columns"]] == ["priority", "gone", "case_id", "region", "outcome", "state"]
    assert scaffold.added == 4 and scaffold.inherited == 1
    assert "Kept, although the query does not output them: gone." in scaffold.notes


@pytest.fixture
def profiled_db(tmp_path: Path) -> Path:
    database = tmp_path / "w.duckdb"
    connection = duckdb.connect(str(database))
    connection.execute(
        "create table facts as select i as fact_id, i % 7 as day_id, case when i % 3 = 0 then 'low' when i % 3 = 1 then 'mid' else 'high' end as level,"
        " case when i % 10 = 0 then null else 'x' || i end as label, i % 50 as shop_id from range(5000) t(i)"
    )
    connection.close()
    return database


COLUMNS = [("fact_id", "bigint"), ("day_id", "bigint"), ("level", "varchar"), ("label", "varchar"), ("shop_id", "bigint")]


def test_one_profile_gives_tests_with_their_evidence(profiled_db: Path) -> None:
    profile = profile_model(DuckDBReader(profiled_db), "select * from facts", COLUMNS)
    assert profile.rows == 5000 and {c.name: c.distinct for c in profile.columns}["level"] == 3
    found = {s.title: s for s in suggestions(profile, {"level": ["not_null"]}, dbt_utils=False)}
    assert found["fact_id: unique"].evidence == "5,000 rows, 5,000 distinct, 0 null"
    assert "fact_id: not_null" in found and "day_id: not_null" in found
    assert "level: not_null" not in found  # the entry has it
    assert found["level: accepted_values"].test == {"accepted_values": {"arguments": {"values": ["high", "low", "mid"]}}}
    assert "label: not_null" not in found and "label: accepted_values" not in found  # nulls; many values
    assert not any(title.endswith("unique_combination_of_columns") for title in found)


def test_a_composite_key_is_suggested_only_with_dbt_utils(profiled_db: Path) -> None:
    sql = "select day_id, shop_id, count(*) as n from facts group by all"
    columns = [("day_id", "bigint"), ("shop_id", "bigint"), ("n", "bigint")]
    profile = profile_model(DuckDBReader(profiled_db), sql, columns)
    assert not any(s.column is None for s in suggestions(profile, {}, dbt_utils=False))
    composite = [s for s in suggestions(profile, {}, dbt_utils=True) if s.column is None]
    assert composite[0].test == {"dbt_utils.unique_combination_of_columns": {"arguments": {"combination_of_columns": ["day_id", "shop_id"]}}}


def test_a_profile_reads_the_file_read_only(profiled_db: Path) -> None:
    profile_model(DuckDBReader(profiled_db), "select * from facts", COLUMNS)
    writer = duckdb.connect(str(profiled_db))  # nothing is left holding it
    writer.close()


def test_chosen_tests_go_under_data_tests_of_their_column() -> None:
    profile_entry = {"name": "m", "columns": [{"name": "a", "description": "A", "data_tests": ["unique"]}]}
    from tui.core.workflow.suggest import Suggestion

    chosen = [Suggestion("a", "not_null", ""), Suggestion("b", "not_null", ""), Suggestion(None, {"x": {}}, "")]
    result = with_tests(profile_entry, chosen)
    assert result["columns"] == [{"name": "a", "description": "A", "data_tests": ["unique", "not_null"]}, {"name": "b", "data_tests": ["not_null"]}]
    assert result["data_tests"] == [{"x": {}}]
    assert profile_entry["columns"][0]["data_tests"] == ["unique"]  # the input is left alone


SCHEMA = "version: 2\nmodels:\n  - name: m\n    description: M\n    columns:\n      - name: a\n        description: A\n"
ENTRY = "- name: m\n  description: M\n  columns:\n    - name: a\n      description: A\n"


def _locked_project(tmp_path: Path, docs: Status, tests: Status, schema: str = SCHEMA) -> tuple[Path, ModelFlow, Buffer]:
    """A schema file on disk, the flow of its model with the given docs and tests states, and
    the YAML pane's buffer of the entry as loaded."""
    from tui.core.files import load_text_file
    from tui.core.workflow.artifacts import Artifacts, docs_artifact, model_item, tests_artifact, Artifact

    (tmp_path / "models").mkdir()
    (tmp_path / "models/s.yml").write_text(schema)
    item = model_item(schema, "m")
    artifacts = Artifacts(Artifact(Step.SQL, "0", "", True), docs_artifact(item), tests_artifact(item))
    states = (
        StepState(Step.SQL, Status.APPROVED, ""),
        StepState(Step.DOCS, docs, "Docs unlock after you approve the SQL" if docs is Status.LOCKED else ""),
        StepState(Step.TESTS, tests, "Tests unlock after you approve the docs" if tests is Status.LOCKED else ""),
        StepState(Step.RUN, Status.LOCKED, "The run unlocks after the tests are approved"),
    )
    flow = ModelFlow("m", ModelRecord("m", "models/m.sql", "t", "u"), artifacts=artifacts, states=states)
    loaded = load_text_file(Path("models/s.yml"), tmp_path)
    return tmp_path, flow, Buffer(PaneKind.ENTRY, "m", Path("models/s.yml"), ENTRY, "yaml", loaded, first_line=3)


def test_while_tests_are_locked_a_save_changing_tests_is_refused_and_a_docs_edit_is_not(tmp_path: Path) -> None:
    root, flow, buffer = _locked_project(tmp_path, Status.OPEN, Status.LOCKED)
    assert save_refusal(root, flow, buffer, ENTRY.replace("description: A", "description: The A")) is None
    refused = save_refusal(root, flow, buffer, ENTRY + "      data_tests:\n        - not_null\n")
    assert refused.startswith("This save adds or changes tests of m, and tests unlock after you approve the docs")


def test_no_way_of_writing_the_entry_gets_round_the_tests_lock(tmp_path: Path) -> None:
    root, flow, buffer = _locked_project(tmp_path, Status.OPEN, Status.LOCKED)
    bare_mapping = "name: m\ndescription: M\ncolumns:\n  - name: a\n    description: A\n    data_tests: [unique]\n"
    assert save_refusal(root, flow, buffer, bare_mapping) is not None
    model_level = ENTRY.replace("  description: M\n", "  description: M\n  tests:\n    - dbt_utils.x\n")
    assert save_refusal(root, flow, buffer, model_level) is not None


def test_once_tests_are_open_test_changes_save(tmp_path: Path) -> None:
    root, flow, buffer = _locked_project(tmp_path, Status.APPROVED, Status.OPEN)
    assert save_refusal(root, flow, buffer, ENTRY + "      data_tests:\n        - not_null\n") is None


def test_while_docs_are_locked_the_yaml_is_read_only_and_no_save_goes_through(tmp_path: Path) -> None:
    root, flow, buffer = _locked_project(tmp_path, Status.LOCKED, Status.LOCKED)
    assert yaml_lock(flow) == "Docs unlock after you approve the SQL"
    assert save_refusal(root, flow, buffer, ENTRY + "#").startswith("The YAML of m is locked: Docs unlock")
    assert yaml_lock(ModelFlow("m")) is None and save_refusal(root, ModelFlow("m"), buffer, "x") is None  # unmanaged


def test_an_unreadable_workflow_file_locks_everything_after_the_sql(tmp_path: Path) -> None:
    from tui.core.workflow.store import StateUnreadable

    flow = ModelFlow("m", problem=StateUnreadable(Path(".dbt-workbench/workflow/m.json"), "not valid JSON"))
    assert flow.locked_reason(Step.SQL) is None
    assert "its workflow file cannot be read (not valid JSON)" in flow.locked_reason(Step.RUN)
    assert yaml_lock(flow) is not None


def test_entries_with_anchors_and_aliases_are_read_as_dbt_reads_them(tmp_path: Path) -> None:
    from tui.core.workflow.artifacts import read_entry_data

    path = tmp_path / "s.yml"
    path.write_text("version: 2\nx-tests: &nn [not_null]\nmodels:\n  - name: m\n    columns:\n      - name: a\n        data_tests: *nn\n")
    assert read_entry_data(path, "m") == {"name": "m", "columns": [{"name": "a", "data_tests": ["not_null"]}]}


def test_keys_of_mixed_types_hash_and_show() -> None:
    from tui.core.workflow.artifacts import docs_artifact

    artifact = docs_artifact({"name": "m", "meta": {True: 1, "owner": "x", None: 2}})
    assert artifact.exists and "owner: x" in artifact.text


def test_suggested_tests_go_under_the_key_the_entry_already_uses() -> None:
    from tui.core.workflow.suggest import Suggestion

    entry = {"name": "m", "tests": ["x"], "columns": [{"name": "a", "tests": ["unique"]}]}
    result = with_tests(entry, [Suggestion("a", "not_null", ""), Suggestion(None, "y", "")])
    assert result["columns"][0] == {"name": "a", "tests": ["unique", "not_null"]} and result["tests"] == ["x", "y"]
    assert "data_tests" not in result


def test_a_warehouse_that_cannot_be_read_is_said_with_the_holder(profiled_db: Path) -> None:
    from tests.conftest import held_duckdb
    from tui.core.errors import WorkbenchError

    with held_duckdb(profiled_db) as pid:
        with pytest.raises(WorkbenchError, match=f"locked by PID {pid}"):
            profile_model(DuckDBReader(profiled_db), "select * from facts", COLUMNS)


def test_a_whole_file_pane_cannot_change_another_models_locked_entry(tmp_path: Path) -> None:
    other = "  - name: b\n    description: B\n    columns:\n      - name: x\n        data_tests: [unique]\n"
    root, flow_b, _ = _locked_project(tmp_path, Status.LOCKED, Status.LOCKED, SCHEMA + other)
    flow_b = ModelFlow("b", flow_b.record, artifacts=flow_b.artifacts, states=flow_b.states)
    whole = (tmp_path / "models/s.yml").read_text()
    buffer = Buffer(PaneKind.WHOLE_FILE, "m", Path("models/s.yml"), whole, "yaml")
    flows = {"b": flow_b}.get
    refused = save_refusal(root, ModelFlow("m"), buffer, whole.replace("description: B", "description: Bee"), flows)
    assert refused == "This save changes the docs of b, which are locked: Docs unlock after you approve the SQL."
    assert save_refusal(root, ModelFlow("m"), buffer, whole.replace("description: M", "description: Em"), flows) is None
