"""One code word: every foreign key to the route is `route` (issue 16). Renames only.

The constraints and indexes naming the renamed field are taken off before the renames and put
back after them (same names, the field's new name): on SQLite a rename rebuilds the table from
the migration state, where RenameField leaves the old field name in them. 0009 then gives them
their final form."""

from django.db import migrations, models

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


# (model, name, other field) of each unique constraint on the route and one more field.
UNIQUE = [
    ("analysis", "analysis_unique_number", "number"),
    ("arrangement", "arrangement_unique_number", "number"),
    ("hoursweek", "hoursweek_unique", "week_start"),
    ("plan", "plan_unique_number", "number"),
    ("selfreportedwellbeing", "selfwellbeing_one_per_week", "week_start"),
]
# (model, name, other field) of each index on the route and one more field.
INDEXES = [
    ("goal", "goal_traject_status", "status"),
    ("progressentry", "progress_traject_on", "-on"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("leerroutes", "0007_route_summary_own_check_in"),
        ("participants", "0004_route_one_word"),
    ]

    operations = [
        *(migrations.RemoveConstraint(model_name=m, name=name) for m, name, _ in UNIQUE),
        *(migrations.RemoveIndex(model_name=m, name=name) for m, name, _ in INDEXES),
        *(migrations.RenameField(model, "traject", "route") for model in MODELS),
        *(
            migrations.AddConstraint(
                model_name=m, constraint=models.UniqueConstraint(fields=("route", f), name=name)
            )
            for m, name, f in UNIQUE
        ),
        *(
            migrations.AddIndex(model_name=m, index=models.Index(fields=["route", f], name=name))
            for m, name, f in INDEXES
        ),
    ]
