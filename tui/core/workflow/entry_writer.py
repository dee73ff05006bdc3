"""Writing one model entry as YAML text, the way the YAML pane shows it ("- name: ..." at column 0).

Keys keep their order; a description goes right after the name. Scalars are written plain when
YAML 1.1 reads them back as the same string, else in double quotes, else as PyYAML writes them:
so 'yes', 'null', '1.0', '2024-01-01' or '{{ doc("x") }}' stay strings, and a Jinja reference
keeps its text. A column may carry a comment (where its description came from).
"""

from __future__ import annotations

from typing import Any, Mapping

import yaml

_LOADERS = (getattr(yaml, "CSafeLoader", yaml.SafeLoader), yaml.SafeLoader)


def scalar(value: Any) -> str:
    """One scalar as YAML text that reads back (YAML 1.1, as dbt reads it) as the same value."""
    if not isinstance(value, str):
        return _dumped(value)
    forms = [value, "'" + value.replace("'", "''") + "'"]
    if '"' not in value and "\\" not in value:
        forms.insert(1, f'"{value}"')
    for form in forms:
        if "\n" not in form and _reads_back(form, value):
            return form
    return _dumped(value)


def _reads_back(form: str, value: str) -> bool:
    """Read the same by libyaml and by PyYAML's own reader (they differ on tabs, for one)."""
    try:
        return all(yaml.load(f"k: {form}\n", Loader=loader) == {"k": value} for loader in _LOADERS)
    except yaml.YAMLError:
        return False


def _dumped(value: Any) -> str:
    text = yaml.safe_dump(value, allow_unicode=True, width=10**6, default_flow_style=True).strip()
    return text.removesuffix("\n...").removesuffix("...").strip()


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key, as dbt projects write them (PyYAML writes them flush)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def _dump(data: Any) -> list[str]:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100).splitlines()


def _block(key: str, value: Any, indent: str) -> list[str]:
    """`key: value` for a scalar, or a nested block for a list or mapping."""
    if not isinstance(value, (list, dict)) or not value:
        return [f"{indent}{key}: {scalar(value) if value not in ([], {}) else _dumped(value)}"]
    return [f"{indent}{line}" for line in _dump({key: value})]


def _key_value(key: str, value: Any, indent: str, comment: str | None = None) -> list[str]:
    """A scalar under its key; a text with line breaks as a literal block, as it reads back exactly."""
    tail = f"  # {comment}" if comment else ""
    if isinstance(value, str) and "\n" in value.rstrip("\n"):
        return _literal(key, value, indent, tail)
    if isinstance(value, str) and value.endswith("\n") and value.strip():
        return _literal(key, value, indent, tail)
    return [f"{indent}{key}: {scalar(value)}{tail}"]


def _literal(key: str, value: str, indent: str, tail: str) -> list[str]:
    trailing = len(value) - len(value.rstrip("\n"))
    chomp = "-" if trailing == 0 else ("" if trailing == 1 else "+")
    body = value.rstrip("\n").split("\n") + [""] * (trailing - 1 if trailing > 1 else 0)
    if body and body[0].startswith(" "):
        chomp = "2" + chomp  # leading spaces need the indent said
    return [f"{indent}{key}: |{chomp}{tail}", *(f"{indent}  {line}" if line else "" for line in body)]


def entry_text_of(entry: Mapping[str, Any], comments: Mapping[str, str] | None = None) -> str:
    """The entry as the pane shows it; `comments` by column name go after its description."""
    comments = comments or {}
    lines = [f"- name: {scalar(entry['name'])}"]
    if "description" in entry:
        lines.extend(_key_value("description", entry["description"], "  "))
    for key, value in entry.items():
        if key in ("name", "description", "columns"):
            continue
        lines.extend(_block(key, value, "  "))
    columns = entry.get("columns")
    if isinstance(columns, list):
        lines.append("  columns:")
        for column in columns:
            lines.extend(_column_lines(column, comments))
    return "\n".join(lines) + "\n"


def _column_lines(column: Any, comments: Mapping[str, str]) -> list[str]:
    if not isinstance(column, dict) or "name" not in column:
        return [f"    {line}" for line in _dump([column])]
    lines = [f"    - name: {scalar(column['name'])}"]
    if "description" in column:
        lines.extend(_key_value("description", column["description"], "      ", comments.get(str(column["name"]))))
    for key, value in column.items():
        if key not in ("name", "description"):
            lines.extend(_block(key, value, "      "))
    return lines

