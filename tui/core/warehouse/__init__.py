"""Adapter-neutral data access for previews and profiling: DuckDB read-only, other adapters
through `dbt show`. Empty for now."""
