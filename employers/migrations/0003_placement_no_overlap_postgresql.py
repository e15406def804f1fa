"""On PostgreSQL: no two main placements of one participant may overlap in time (mini-stages
may). An exclusion constraint over the inclusive date range; an open end is unbounded. Other
databases (the SQLite demo) rely on the service and on placement_one_open_main."""

from django.db import migrations

CONSTRAINT = "placement_no_overlapping_main"

EXTENSION = "CREATE EXTENSION IF NOT EXISTS btree_gist;"
CREATE = f"""
ALTER TABLE employers_placement ADD CONSTRAINT {CONSTRAINT}
    EXCLUDE USING gist (
        participant_id WITH =,
        daterange(start_date, end_date, '[]') WITH &&
    ) WHERE (kind <> 'snuffelstage');
"""
DROP = f"ALTER TABLE employers_placement DROP CONSTRAINT IF EXISTS {CONSTRAINT};"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(EXTENSION)
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("employers", "0002_employer_details_and_placements"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
