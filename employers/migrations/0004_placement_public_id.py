"""A placement's public id: the unguessable uuid its URLs carry instead of the counting primary
key (which arrangements and audit events keep referencing).

Three steps, so every existing row gets its own uuid: add the column nullable, fill each row
with a fresh uuid4, then make it unique and required with the model's default."""

import uuid

from django.db import migrations, models

BATCH = 500


def fill_public_ids(apps, schema_editor):
    Placement = apps.get_model("employers", "Placement")
    empty = Placement.objects.using(schema_editor.connection.alias).filter(public_id__isnull=True)
    while batch := list(empty.only("pk").order_by("pk")[:BATCH]):
        for placement in batch:
            placement.public_id = uuid.uuid4()
        Placement.objects.using(schema_editor.connection.alias).bulk_update(batch, ["public_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("employers", "0003_placement_no_overlap_postgresql"),
    ]

    operations = [
        migrations.AddField(
            model_name="placement",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="placement",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
