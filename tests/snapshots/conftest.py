from tests.pilot.conftest import built_demo, built_demo_template, demo_project, demo_template  # noqa: F401  (shared fixtures)
