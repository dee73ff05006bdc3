"""The code editor, one editor pane, and the area holding the SQL and YAML panes."""
