"""Random public ids for hits and meeting requests (docs/decisions/0173): added empty, then
filled for the existing rows; 0009 makes them required and unique (two migrations, so that
PostgreSQL does not alter a table with the fill's updates pending)."""

from django.db import migrations, models


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]  # migration signature
    from cicnet.coordination.uids import fill_public_uids

    fill_public_uids(apps, (("Hit", "HIT"), ("MeetingRequest", "MR")))


class Migration(migrations.Migration):
    dependencies = [("coordination", "0007_reencode_scheme_3")]

    operations = [
        migrations.AddField(
            model_name="hit",
            name="uid",
            field=models.CharField(max_length=20, null=True),
        ),
        migrations.AddField(
            model_name="meetingrequest",
            name="uid",
            field=models.CharField(max_length=20, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
