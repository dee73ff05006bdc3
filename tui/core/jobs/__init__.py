"""dbt jobs (run, test, build, compile, show, parse) in child processes, one at a time through
one queue, with dbt's structured events streamed back. Empty for now: the child processes
themselves start through tui.core.process."""
