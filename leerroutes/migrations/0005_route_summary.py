"""The caseload's route summary: the latest entry, the latest evaluation and the phase decided,
one row per route, so the caseload reads them without a subquery per route.

The rows are filled here from the existing entries and evaluations, by the same rule as
``leerroutes.services.route_summaries_refresh`` (which keeps them up to date from now on)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

BATCH = 2_000


def fill_summaries(apps, schema_editor):
    db = schema_editor.connection.alias
    Traject = apps.get_model("participants", "Traject")
    ProgressEntry = apps.get_model("leerroutes", "ProgressEntry")
    Evaluation = apps.get_model("leerroutes", "Evaluation")
    RouteSummary = apps.get_model("leerroutes", "RouteSummary")
    entry = ProgressEntry.objects.filter(traject=OuterRef("pk")).order_by("-on", "-created_at")
    evaluation = Evaluation.objects.filter(traject=OuterRef("pk")).order_by(
        "-held_on", "-created_at"
    )
    decision = evaluation.filter(phase_decision__isnull=False)
    ids = list(Traject.objects.using(db).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        rows = (
            Traject.objects.using(db)
            .filter(pk__in=ids[start : start + BATCH])
            .order_by()
            .annotate(
                entry_on=Subquery(entry.values("on")[:1]),
                wellbeing=Subquery(entry.values("wellbeing")[:1]),
                evaluation_on=Subquery(evaluation.values("held_on")[:1]),
                next_on=Subquery(evaluation.values("next_on")[:1]),
                decided=Subquery(decision.values("phase_decision")[:1]),
            )
            .values_list("pk", "entry_on", "wellbeing", "evaluation_on", "next_on", "decided")
        )
        RouteSummary.objects.using(db).bulk_create(
            RouteSummary(
                traject_id=pk,
                last_entry_on=entry_on,
                last_wellbeing=wellbeing,
                last_evaluation_on=evaluation_on,
                next_evaluation_on=next_on,
                phase_id=decided,
            )
            for pk, entry_on, wellbeing, evaluation_on, next_on, decided in rows
            if entry_on is not None or evaluation_on is not None
        )


class Migration(migrations.Migration):
    dependencies = [
        ("leerroutes", "0004_participant_voice"),
        ("participants", "0002_participant_user_guardian_access"),
    ]

    operations = [
        migrations.CreateModel(
            name="RouteSummary",
            fields=[
                (
                    "traject",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="summary",
                        serialize=False,
                        to="participants.traject",
                        verbose_name="route",
                    ),
                ),
                ("last_entry_on", models.DateField(null=True, verbose_name="latest entry")),
                (
                    "last_wellbeing",
                    models.PositiveSmallIntegerField(null=True, verbose_name="latest well-being"),
                ),
                (
                    "last_evaluation_on",
                    models.DateField(null=True, verbose_name="latest evaluation"),
                ),
                (
                    "next_evaluation_on",
                    models.DateField(null=True, verbose_name="next evaluation"),
                ),
                (
                    "phase",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="leerroutes.phase",
                        verbose_name="phase decided",
                    ),
                ),
            ],
            options={
                "verbose_name": "route summary",
                "verbose_name_plural": "route summaries",
            },
        ),
        migrations.RunPython(fill_summaries, migrations.RunPython.noop, elidable=False),
    ]
