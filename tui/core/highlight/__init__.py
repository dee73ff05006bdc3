"""Incremental pygments highlighting of SQL with Jinja, YAML and Python, lexing only what an
edit changed."""
