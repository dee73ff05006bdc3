"""The lint rules (dbt-project-evaluator's layer rules, naming, docs, primary-key tests, the
guard's hard-coded relations) and running them on one model or the whole project."""
