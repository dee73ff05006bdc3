"""`python -m tui` is the same as the `dbt-workbench` command."""

from tui.cli import main

raise SystemExit(main())
