"""Lint models: the hard-coded relation guard plus the layer, naming, docs and test rules.

`lint_model` checks the text being edited (a few milliseconds, for the lint panel);
`lint_project` reads every enabled model file (for the CLI and the project-wide screen) and, on a
large project, spreads the SQL parsing over forked worker processes. Both apply the configuration:
per-rule severity (`off` drops a rule) and per-model ignores, from LintSettings. No Textual here.
"""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass
from typing import Iterable, Sequence

from tui.core.lint.settings import LintSettings
from tui.core.sql.relations import find_hard_coded_relations
from tui.core.project.records import ModelFile, ProjectScan
from tui.core.lint.rules import (
    HARD_CODED,
    NOT_CHECKED,
    RULES,
    Finding,
    LayerView,
    ModelFacts,
    Severity,
    layer_findings,
    naming_findings,
    rejected_file_finding,
    schema_findings,
)
from tui.core.scan.model_reading import ProjectReading
from tui.core.scan.model_files import calls_in, decode_text
from tui.core.project.dbt_project import DbtProject

__all__ = ["Finding", "LintSettings", "RULES", "Severity", "lint_model", "lint_project", "sql_approval_blockers"]

PARALLEL_FROM = 200
"""Below this many models, forking workers costs more than it saves."""
GUARD_MAX_CHARS = 2_000_000
"""Bigger models are not parsed (sqlglot needs minutes and gigabytes there); they are `not_checked`."""


@dataclass(frozen=True)
class _Context:
    """Everything a model's lint needs besides its own text; built once per lint."""

    scan: ProjectScan
    view: LayerView
    dialect: str | None
    root: str
    reading: ProjectReading


def _context(
    scan: ProjectScan, settings: LintSettings, dialect: str | None, reading: ProjectReading | None, root: str = ""
) -> _Context:
    view = LayerView(settings.layer_rules, {model.name: model.layer for model in scan.models if model.enabled})
    return _Context(scan, view, dialect, root, reading or ProjectReading(adapter_type=dialect or "default"))


def lint_model(
    scan: ProjectScan,
    model: ModelFile | str,
    sql_text: str,
    settings: LintSettings | None = None,
    dialect: str | None = "duckdb",
    reading: ProjectReading | None = None,
) -> list[Finding]:
    """Findings for one model from the text being edited (its refs and sources are read from that text).

    `dialect` is a dbt adapter type or a sqlglot dialect (None: unknown, every common one is tried);
    `reading` brings the project's macros and vars. A disabled model has no findings.
    """
    settings = settings or LintSettings()
    found = scan.model_named(model) if isinstance(model, str) else model
    if found is None:
        raise KeyError(f"no model named {model!r} in the scan")
    if not found.enabled:
        return []
    findings = _lint_text(_context(scan, settings, dialect, reading), found, sql_text, calls_in(sql_text))
    return settings.apply(findings)


def lint_project(
    project: DbtProject,
    scan: ProjectScan,
    settings: LintSettings | None = None,
    *,
    select: Iterable[str] | None = None,
    workers: int | None = None,
) -> list[Finding]:
    """Findings for every enabled model (or the selected ones), sorted by rule, model, line.

    Lineage comes from the scan (the manifest's when it was fresh). `workers`: processes for the SQL
    parsing; default one per available core on large projects. Forking from a process that runs
    threads is unsafe, so the app should pass `workers=1` (and run this in a worker thread).
    """
    settings = settings or LintSettings()
    wanted = set(select) if select is not None else None
    models = [m for m in scan.models if m.enabled and (wanted is None or m.name in wanted)]
    reading = ProjectReading.of(project)
    reading.library  # loaded before forking, so every worker shares it
    context = _context(scan, settings, project.sql_dialect_source, reading, str(project.root))
    count = _worker_count(workers, len(models))
    if count > 1:
        per_model = _lint_in_workers(context, models, count)
    else:
        per_model = [_lint_file(context, model) for model in models]
    rejected = _rejected_files_naming_no_model(scan) if select is None else []
    findings = settings.apply([*rejected, *(finding for group in per_model for finding in group)])
    return sorted(findings, key=lambda f: (f.rule, f.model, f.path, f.line or 0, f.message))


def _rejected_files_naming_no_model(scan: ProjectScan) -> list[Finding]:
    """Schema files dbt would refuse that mention no model (those are reported on each model named)."""
    names = {model.name for model in scan.models if model.enabled}
    covered = {id(problem) for name, problem in scan.schema.named_in_rejected.items() if name in names}
    return [rejected_file_finding(p) for p in scan.schema.problems if p.rejected and id(p) not in covered]


def sql_approval_blockers(findings: Sequence[Finding]) -> list[Finding]:
    """The findings that stop a model's SQL being approved: hard-coded relations (after ignores).

    `not_checked` does not block here; the step tracker decides what to ask of an undecided model.
    """
    return [finding for finding in findings if finding.rule == HARD_CODED]


def _lint_file(context: _Context, model: ModelFile) -> list[Finding]:
    """Read the model's file and lint it with the scan's lineage; an unreadable file is not checked."""
    try:
        with open(os.path.join(context.root, model.path), "rb") as stream:
            text, _ = decode_text(stream.read())
    except OSError as error:
        message = f"not checked: cannot read {model.path}: {error.strerror}"
        return [Finding(NOT_CHECKED, RULES[NOT_CHECKED].severity, model.name, message, model.path, None)]
    return _lint_text(context, model, text, (model.refs, model.sources))


def _lint_text(
    context: _Context, model: ModelFile, text: str, lineage: tuple[tuple[str, ...], tuple[tuple[str, str], ...]]
) -> list[Finding]:
    findings, rendered_refs, rendered_sources = _guard_findings(model, text, context)
    refs = tuple(dict.fromkeys((*lineage[0], *rendered_refs)))
    sources = tuple(dict.fromkeys((*lineage[1], *rendered_sources)))
    entry = context.scan.entry_for(model.name)
    rejected = context.scan.schema.named_in_rejected.get(model.name) if entry is None else None
    facts = ModelFacts(model, refs, sources, text, entry, rejected)
    if rejected is not None:
        findings.append(rejected_file_finding(rejected, model.name))
    findings.extend(layer_findings(facts, context.view))
    findings.extend(naming_findings(facts, context.view))
    findings.extend(schema_findings(facts))
    return findings


def _guard_findings(model: ModelFile, text: str, context: _Context) -> tuple[list[Finding], tuple, tuple]:
    """Each relation the guard found, or one `not_checked` saying why it could not decide; and the
    refs and sources the render saw (a macro's included), for the lineage rules."""
    if model.language != "sql":
        why = f"not checked: {model.language} models are not parsed for hard-coded relations"
        return [Finding(NOT_CHECKED, RULES[NOT_CHECKED].severity, model.name, why, model.path, None)], (), ()
    if len(text) > GUARD_MAX_CHARS:
        why = f"not checked: {len(text):,} characters is too large to parse (the guard's limit is {GUARD_MAX_CHARS:,})"
        return [Finding(NOT_CHECKED, RULES[NOT_CHECKED].severity, model.name, why, model.path, None)], (), ()
    reading = context.reading
    result = find_hard_coded_relations(text, context.dialect, reading.library, reading.project_vars)
    findings = [
        Finding(
            HARD_CODED,
            RULES[HARD_CODED].severity,
            model.name,
            f"reads {found.relation} directly ({found.kind}); use ref() or source()"
            + (f"; {found.note}" if found.note else ""),
            model.path,
            found.line,
        )
        for found in result.findings
    ]
    if not result.checked and not findings:
        why = result.why_not or "not checked"
        findings.append(Finding(NOT_CHECKED, RULES[NOT_CHECKED].severity, model.name, why, model.path, None))
    return findings, result.refs, result.sources


def _worker_count(requested: int | None, models: int) -> int:
    if requested is not None:
        return max(1, requested)
    if models < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(available, 8))


_FORKED_CONTEXT: tuple[_Context, list[ModelFile]] | None = None
"""Set just before forking so the workers inherit the context instead of unpickling it per task."""


def _lint_nth(index: int) -> list[Finding]:
    assert _FORKED_CONTEXT is not None
    context, models = _FORKED_CONTEXT
    return _lint_file(context, models[index])


def _lint_in_workers(context: _Context, models: list[ModelFile], count: int) -> list[list[Finding]]:
    """Lint in `count` forked processes; results come back in model order."""
    global _FORKED_CONTEXT
    _FORKED_CONTEXT = (context, models)
    try:
        with multiprocessing.get_context("fork").Pool(count) as pool:
            chunk = max(1, min(64, len(models) // (count * 8)))
            return pool.map(_lint_nth, range(len(models)), chunksize=chunk)
    finally:
        _FORKED_CONTEXT = None
