"""Errors the workbench reports to people as messages, never as tracebacks."""

from __future__ import annotations


class WorkbenchError(Exception):
    """A problem the user can fix; its text is shown as-is, without a traceback."""


class ProjectNotFoundError(WorkbenchError):
    """No dbt_project.yml in the given folder or any folder above it."""


class ProjectFileError(WorkbenchError):
    """dbt_project.yml (or profiles.yml) cannot be read or is not valid."""


class ConfigError(WorkbenchError):
    """The workbench configuration file has a mistake; the text names the key."""
