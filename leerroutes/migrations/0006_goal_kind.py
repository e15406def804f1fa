"""Goals get a kind: work goal or support goal. Existing goals take it from their analysis
life domain (the work domains of leerroutes.defaults.WORK_LIFE_DOMAINS make a work goal); a
goal of any other domain, or without one, becomes a support goal: the safe side, since only
work goals reach the employer."""

from django.db import migrations, models

from leerroutes import defaults


def kinds_from_domains(apps, schema_editor):
    Goal = apps.get_model("leerroutes", "Goal")
    Goal.objects.filter(domain__name__in=defaults.WORK_LIFE_DOMAINS).update(
        kind=defaults.GOAL_KIND_WORK
    )


class Migration(migrations.Migration):
    dependencies = [
        ("leerroutes", "0005_route_summary"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="goal",
            options={
                "ordering": ["traject", "order", "pk"],
                "verbose_name": "goal",
                "verbose_name_plural": "goals",
            },
        ),
        migrations.AddField(
            model_name="goal",
            name="kind",
            field=models.CharField(
                choices=[("werkdoel", "Work goal"), ("ondersteuningsdoel", "Support goal")],
                default="ondersteuningsdoel",
                max_length=20,
                verbose_name="kind of goal",
            ),
        ),
        migrations.RunPython(kinds_from_domains, migrations.RunPython.noop),
    ]
