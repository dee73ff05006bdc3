"""Hard-coded relation guard: find tables a model reads without ref()/source().

House rule: all data access goes through dbt models. A regex over the SQL misfires on
CTEs, ``unnest``, ``is distinct from`` and Jinja-generated CTEs, so we render the Jinja
with dbt's context and the project's macros (``tui.core.sql.neutral``), parse with a real SQL
parser (sqlglot in the project's dialect, then the other common dialects, then DuckDB's own
parser), and resolve every table reference. When rendering or parsing fails, a pattern check of
the raw text (``tui.core.sql.pattern``) still reports relations read after `from`/`join`, and the
result says "not checked" and why: never clean when we could not decide.
No Textual here (tui/core rule).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

import sqlglot
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect

from tui.core.sql.lines import SourceLines, part_pattern, relation_regex, var_pattern
from tui.core.sql.macros import MacroLibrary
from tui.core.sql.dbt_context import UNKNOWN_CALL_SQL
from tui.core.sql.neutral import PLACEHOLDER_PREFIX, VAR_PREFIX, render_neutral
from tui.core.sql.pattern import find_by_pattern

KIND_HARD_CODED = "hard-coded relation"
KIND_VAR = "var() table name"

# dbt adapter type -> sqlglot dialect, where the names differ.
_ADAPTER_DIALECTS = {
    "sqlserver": "tsql",
    "synapse": "tsql",
    "fabric": "fabric",
    "glue": "spark",
    "impala": "hive",
    "firebolt": "postgres",
    "postgresql": "postgres",
    "netezza": "postgres",
    "greenplum": "postgres",
    "vertica": "postgres",
    "motherduck": "duckdb",
}

RETRY_DIALECTS = ("snowflake", "bigquery", "duckdb", "postgres", "databricks", "redshift", "tsql")
"""Tried in this order after the project's own dialect fails (or when no profile names one)."""

_FILE_NAME = re.compile(r"[/\\]|\.(csv|tsv|parquet|json|ndjson|jsonl|txt|xlsx)(\.gz)?$", re.I)


@dataclass(frozen=True)
class RelationFinding:
    """One relation read directly; ``relation`` as written, ``line`` 1-based in the file."""

    relation: str
    line: int
    kind: str
    note: str | None = None
    """How it was found when not by the parser ("found by pattern: ...")."""


@dataclass(frozen=True)
class GuardResult:
    """Findings of one model; ``checked`` False (with ``why_not``) when undecidable."""

    findings: tuple[RelationFinding, ...]
    checked: bool
    why_not: str | None = None
    refs: tuple[str, ...] = ()
    """Models the render called ref() on, macros included: lineage the text alone may hide."""
    sources: tuple[tuple[str, str], ...] = ()
    config: dict[str, Any] | None = None
    dialect: str | None = None
    """The sqlglot dialect that parsed the SQL, when one did."""

    @property
    def clean(self) -> bool:
        """True only when checked and nothing found: what an approval gate may trust."""
        return self.checked and not self.findings


@dataclass(frozen=True)
class _RawRef:
    """A table reference in the rendered SQL: its name parts and rendered line."""

    parts: tuple[str, ...]
    quoted: tuple[bool, ...]
    line: int


def sqlglot_dialect(adapter_type: str | None) -> str:
    """The sqlglot dialect for a dbt adapter type; generic SQL when sqlglot has none."""
    name = (adapter_type or "").strip().lower()
    name = _ADAPTER_DIALECTS.get(name, name)
    return name if name in Dialect.classes else ""


_ADJACENT_UNKNOWN = re.compile(re.escape(UNKNOWN_CALL_SQL) + r"(?=\s+" + re.escape(UNKNOWN_CALL_SQL) + ")")
"""Two unknown macros in a row, as column-list macros are used (`{{ pkg.fill_columns(...) }}
{{ pkg.more_columns() }}` in a select list): each stands in for a list of columns, so they are
read as two items of the list, not as a subquery followed by another."""


def find_hard_coded_relations(
    sql_text: str,
    dialect: str | None = "duckdb",
    library: MacroLibrary | None = None,
    project_vars: Mapping[str, Any] | None = None,
) -> GuardResult:
    """Check one model file's text; see the module docstring for the method.

    `dialect` is the project's adapter type (None when unknown: every common dialect is tried);
    `library` and `project_vars` are the project's macros and `vars:`.
    """
    primary = sqlglot_dialect(dialect)
    rendered = render_neutral(sql_text, adapter_type=primary or "default", library=library, project_vars=project_vars)
    lineage = {"refs": rendered.refs, "sources": rendered.sources, "config": rendered.config}
    if rendered.sql is None:
        return _by_pattern(sql_text, rendered.error or "Jinja does not render", lineage)
    if not rendered.sql.strip() or not _strip_sql_comments(rendered.sql).strip(" \t\r\n;"):
        return GuardResult((), True, None, **lineage)
    refs, used, error = _parse_any_dialect(rendered.sql, primary)
    if refs is None and _ADJACENT_UNKNOWN.search(rendered.sql):
        refs, used, _ = _parse_any_dialect(_ADJACENT_UNKNOWN.sub(UNKNOWN_CALL_SQL + ",", rendered.sql), primary)
    if refs is None:
        return _by_pattern(sql_text, f"SQL does not parse: {error}", lineage)
    return GuardResult(_to_findings(refs, sql_text, rendered.var_names), True, None, dialect=used, **lineage)


def _parse_any_dialect(sql: str, primary: str) -> tuple[list[_RawRef] | None, str | None, str | None]:
    """References from the first dialect that parses: the project's, the common ones, DuckDB's parser."""
    refs, error = _refs_with_sqlglot(sql, primary)
    if refs is not None:
        return refs, primary, None
    for other in RETRY_DIALECTS:
        if other == primary:
            continue
        refs, _ = _refs_with_sqlglot(sql, other)
        if refs is not None:
            return refs, other, None
    refs, duck_error = _refs_with_duckdb(sql)
    if refs is not None:
        return refs, "duckdb", None
    where = f" ({primary})" if primary else ""
    return None, None, f"{error}{where}; no other dialect parses it either; DuckDB: {duck_error}"


def _by_pattern(sql_text: str, reason: str, lineage: dict[str, Any]) -> GuardResult:
    """Not checked: but relations the pattern finds in the raw text are still reported."""
    note = f"found by pattern: the SQL could not be parsed ({reason})"
    hits = find_by_pattern(sql_text)
    findings = tuple(RelationFinding(hit.relation, hit.line, KIND_HARD_CODED, note) for hit in hits)
    return GuardResult(findings, False, f"not checked: {reason}", **lineage)


def _strip_sql_comments(sql: str) -> str:
    """Rendered SQL without comments, to tell a comment-only file from a real query."""
    sql = re.sub(r"/\*.*?\*/", " ", sql, flags=re.S)
    return re.sub(r"--[^\n]*", " ", sql)


# ---------------------------------------------------------------- sqlglot


def _refs_with_sqlglot(sql: str, dialect: str) -> tuple[list[_RawRef] | None, str | None]:
    """Table references of every statement, or None and the parser's message."""
    try:
        statements = [s for s in sqlglot.parse(sql, read=dialect or None) if s is not None]
    except sqlglot.errors.ParseError as exc:
        return None, _parse_error_text(exc)
    except sqlglot.errors.TokenError as exc:
        return None, _first_line(str(exc))
    except Exception as exc:  # sqlglot may raise odd errors on odd input: still "no parse"
        return None, f"{type(exc).__name__}: {_first_line(str(exc))}"
    if any(isinstance(s, exp.Command) for s in statements):
        return None, "sqlglot fell back to an unparsed command"
    refs: list[_RawRef] = []
    for statement in statements:
        refs.extend(_statement_refs(statement))
    return refs, None


def _parse_error_text(exc: sqlglot.errors.ParseError) -> str:
    """sqlglot's first error, short: description and where, without token dumps."""
    if exc.errors:
        first = exc.errors[0]
        description = re.sub(r"<Token token_type: TokenType\.\w+, text: ([^,]*),.*?>", r"'\1'", str(first.get("description")))
        return f"{description} (rendered line {first.get('line')}, col {first.get('col')})"
    return _first_line(str(exc))


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "unknown error"


def _statement_refs(statement: exp.Expression) -> Iterable[_RawRef]:
    """Relations read by one statement, without CTEs, table functions and placeholders."""
    ctes = {cte.alias_or_name.lower() for cte in statement.find_all(exp.CTE)}
    aliases = {t.alias.lower() for t in statement.find_all(exp.Table) if t.alias}
    for table in statement.find_all(exp.Table):
        if not isinstance(table.this, exp.Identifier):
            continue  # read_csv(...), generate_series(...), range(...): table functions
        idents = [p for p in table.parts if isinstance(p, exp.Identifier)]
        names = tuple(p.name for p in idents)
        if not names or _ignored(names, tuple(p.quoted for p in idents), ctes, aliases):
            continue
        yield _RawRef(names, tuple(p.quoted for p in idents), table.this.meta.get("line", 1))


def _ignored(names: tuple[str, ...], quoted: tuple[bool, ...], ctes: set[str], aliases: set[str]) -> bool:
    """Names that are not relations read from the warehouse."""
    if len(names) == 1 and names[0].lower() in ctes:
        return True
    if any(n.startswith(PLACEHOLDER_PREFIX) and not n.startswith(VAR_PREFIX) for n in names):
        return True  # ref(), source(), this
    if len(names) == 2 and names[0].lower() in aliases:
        return True  # ``from t, t.items``: an array column of an alias, not a table
    return len(names) == 1 and quoted[0] and bool(_FILE_NAME.search(names[0]))


# ---------------------------------------------------------------- DuckDB fallback


def _refs_with_duckdb(sql: str) -> tuple[list[_RawRef] | None, str | None]:
    """DuckDB's own parser, for DuckDB syntax sqlglot does not know (SELECT only)."""
    try:
        import duckdb
    except ImportError:  # pragma: no cover - duckdb is a dependency
        return None, "duckdb not installed"
    con = duckdb.connect(":memory:")
    try:
        row = con.execute("SELECT json_serialize_sql(?)", [sql]).fetchone()
    except Exception as exc:
        return None, _first_line(str(exc))
    finally:
        con.close()
    tree = json.loads(row[0]) if row and row[0] else {"error": True}
    if tree.get("error"):
        return None, tree.get("error_message", "unknown error")
    ctes: set[str] = set()
    bases: list[dict[str, Any]] = []
    _walk_duck(tree.get("statements", []), ctes, bases)
    refs = []
    for node in bases:
        names = tuple(n for n in (node.get("catalog_name"), node.get("schema_name"), node.get("table_name")) if n)
        quoted = tuple(False for _ in names)
        if names and not _ignored(names, quoted, ctes, set()):
            refs.append(_RawRef(names, quoted, _duck_line(sql, node.get("query_location"))))
    return refs, None


def _walk_duck(node: Any, ctes: set[str], bases: list[dict[str, Any]]) -> None:
    """Collect CTE names and BASE_TABLE nodes anywhere in DuckDB's JSON tree."""
    if isinstance(node, list):
        for item in node:
            _walk_duck(item, ctes, bases)
    elif isinstance(node, dict):
        if node.get("type") == "BASE_TABLE":
            bases.append(node)
        cte_map = node.get("cte_map")
        if isinstance(cte_map, dict):
            ctes.update(str(e.get("key", "")).lower() for e in cte_map.get("map", []))
        for value in node.values():
            _walk_duck(value, ctes, bases)


def _duck_line(sql: str, location: Any) -> int:
    if isinstance(location, int) and 0 <= location <= len(sql):
        return sql.count("\n", 0, location) + 1
    return 1


# ---------------------------------------------------------------- findings


def _to_findings(refs: list[_RawRef], source: str, var_names: dict[str, str]) -> tuple[RelationFinding, ...]:
    """Turn rendered references into findings with the relation and line as written."""
    lines = SourceLines(source)
    findings = []
    for ref in refs:
        is_var = any(n.startswith(VAR_PREFIX) for n in ref.parts)
        patterns = [
            var_pattern(var_names.get(n, n)) if n.startswith(VAR_PREFIX) else part_pattern(n) for n in ref.parts
        ]
        whole = None if is_var else ".".join(ref.parts)
        line, written = lines.locate(relation_regex(patterns, whole), ref.line)
        if is_var:
            relation = ".".join(f"var({var_names.get(n, n)})" if n.startswith(VAR_PREFIX) else n for n in ref.parts)
        else:
            relation = written or _rendered_text(ref)
        findings.append(RelationFinding(relation, line, KIND_VAR if is_var else KIND_HARD_CODED))
    return tuple(sorted(findings, key=lambda f: (f.line, f.relation)))


def _rendered_text(ref: _RawRef) -> str:
    """Fallback text of a relation when it was not found on the source lines."""
    return ".".join(f'"{n}"' if q else n for n, q in zip(ref.parts, ref.quoted))
