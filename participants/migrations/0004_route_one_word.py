"""One code word: the model Traject is now Route and its foreign keys are `route` (issue 16).
Renames only: no data moves.

The unique constraint naming the renamed field is taken off before the rename and put back
after it (same name, the field's new name): on SQLite a rename rebuilds the table, and the
rebuild would build the constraint from the migration state, where RenameField leaves the old
field name (Django updates no constraint's fields). 0005 then re-creates it as before."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0003_group_route_label"),
        # Every migration that names "participants.Traject" runs before the rename.
        ("leerroutes", "0007_route_summary_own_check_in"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="followup", name="followup_unique_moment"),
        migrations.RenameModel("Traject", "Route"),
        migrations.RenameField("participant", "current_traject", "current_route"),
        migrations.RenameField("statuschange", "traject", "route"),
        migrations.RenameField("followup", "traject", "route"),
        migrations.AddConstraint(
            model_name="followup",
            constraint=models.UniqueConstraint(
                fields=("route", "months_after"), name="followup_unique_moment"
            ),
        ),
    ]
