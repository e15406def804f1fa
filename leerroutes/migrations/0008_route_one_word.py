"""One code word: every foreign key to the route is `route` (issue 16). Renames only."""

from django.db import migrations

MODELS = [
    "analysis",
    "arrangement",
    "plan",
    "goal",
    "reflection",
    "selfreportedwellbeing",
    "progressentry",
    "evaluation",
    "routesummary",
    "leermeesterassessment",
    "rocresult",
    "certificate",
    "hoursweek",
]


class Migration(migrations.Migration):
    dependencies = [
        ("leerroutes", "0007_route_summary_own_check_in"),
        ("participants", "0004_route_one_word"),
    ]

    operations = [migrations.RenameField(model, "traject", "route") for model in MODELS]
