"""Reading the project's files fast, without dbt: model files, the schema YAML index and its
cache, the scan forked at start-up, the file watcher, and the scan as JSON for scripts."""
