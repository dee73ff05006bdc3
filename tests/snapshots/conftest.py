from tests.pilot.conftest import demo_project, demo_template  # noqa: F401  (shared fixtures)
