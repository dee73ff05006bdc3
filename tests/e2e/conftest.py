"""End-to-end fixtures: Pilot tests that run real dbt jobs live here (they are e2e by what they
run), with the pilot fixtures they share: the demo built with dbt once per test process."""

from tests.pilot.conftest import built_demo, built_demo_template, demo_project, demo_template  # noqa: F401 (fixtures)
