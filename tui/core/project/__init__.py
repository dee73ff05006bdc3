"""The dbt project as dbt itself describes it: dbt_project.yml, profiles and targets, layers,
the plain records a scan produces, the manifest, and lineage. The bottom room of the core:
it imports no other room."""
