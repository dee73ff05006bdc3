"""What the lint is told by configuration: the layer rules, per-rule severities, per-model ignores.

The lint does not read configuration itself (tui.core.config builds these settings from the
user's and the project's files), so the lint can be run with any settings, in tests and scripts.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable, Mapping

from tui.core.lint.rules import SEVERITY_OFF, Finding, Severity
from tui.core.project.layers import LayerRules


@dataclass(frozen=True, slots=True)
class LintIgnore:
    """One model exempt from one lint rule, with the reason someone recorded."""

    model: str
    rule: str
    reason: str


@dataclass(frozen=True, slots=True)
class LintSettings:
    """Defaults apply where nothing is set: every rule at its own severity, nothing ignored."""

    layer_rules: LayerRules = field(default_factory=LayerRules)
    severity: Mapping[str, str] = field(default_factory=dict)
    """Rule id -> 'error', 'warning' or 'off'; rules not named keep their default severity."""
    ignores: tuple[LintIgnore, ...] = ()

    def apply(self, findings: Iterable[Finding]) -> list[Finding]:
        """Drop ignored findings and rules set to `off`; give the others their configured severity."""
        ignored = {(ignore.model, ignore.rule) for ignore in self.ignores}
        result = []
        for finding in findings:
            setting = self.severity.get(finding.rule)
            if setting == SEVERITY_OFF or (finding.model, finding.rule) in ignored:
                continue
            if setting is not None and setting != finding.severity.value:
                finding = replace(finding, severity=Severity(setting))
            result.append(finding)
        return result
