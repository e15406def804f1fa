"""Give every existing academy the default life domains and every programme the default
phases. Academies and programmes made later get them from services.life_domains_ensure and
services.phases_ensure the first time they are needed."""

from django.db import migrations

from leerroutes import defaults


def seed(apps, schema_editor):
    Academy = apps.get_model("accounts", "Academy")
    Programme = apps.get_model("accounts", "Programme")
    LifeDomain = apps.get_model("leerroutes", "LifeDomain")
    Phase = apps.get_model("leerroutes", "Phase")
    for academy in Academy.objects.exclude(pk__in=LifeDomain.objects.values("academy")):
        LifeDomain.objects.bulk_create(
            LifeDomain(academy=academy, name=name, order=index)
            for index, name in enumerate(defaults.LIFE_DOMAINS, start=1)
        )
    for programme in Programme.objects.exclude(pk__in=Phase.objects.values("programme")):
        Phase.objects.bulk_create(
            Phase(programme=programme, name=name, description=text, order=index)
            for index, (name, text) in enumerate(defaults.PHASES, start=1)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("leerroutes", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
