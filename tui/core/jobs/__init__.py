"""dbt jobs (run, test, build, compile, show, parse).

- spec: argv built from checked names;
- events: dbt's JSON log as typed events;
- results: run_results.json as the result;
- problems: failures in plain words;
- run / collect: one cold child per job, through tui.core.process;
- warm_worker / warm_client: the warm worker that forks a job off a kept manifest;
- project_digest: no stale manifest;
- failing / row_counts / after: read-only reads once dbt exited;
- preview: compiled SQL and a page of rows;
- queue: the session's queue and history;
- one_model: the CLI's run.
"""
