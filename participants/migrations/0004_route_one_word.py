"""One code word: the model Traject is now Route and its foreign keys are `route` (issue 16).
Renames only: no data moves."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0003_group_route_label"),
        # Every migration that names "participants.Traject" runs before the rename.
        ("leerroutes", "0007_route_summary_own_check_in"),
    ]

    operations = [
        migrations.RenameModel("Traject", "Route"),
        migrations.RenameField("participant", "current_traject", "current_route"),
        migrations.RenameField("statuschange", "traject", "route"),
        migrations.RenameField("followup", "traject", "route"),
    ]
