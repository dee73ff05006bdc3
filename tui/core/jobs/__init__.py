"""dbt jobs (run, test, build, compile, show, parse): argv built from checked names (spec), dbt's
JSON log as typed events (events), run_results.json as the result (results), failures in plain
words (problems), one child per job through tui.core.process (run), failing test rows read
read-only (failing), and the session's queue and history (queue)."""
