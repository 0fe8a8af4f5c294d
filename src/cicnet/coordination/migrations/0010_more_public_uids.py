"""Random public ids for JIT documents, requests for assistance and questions (docs/decisions/0173): added empty, then
filled for the existing rows; 0011 makes them required and unique (two migrations, so that
PostgreSQL does not alter a table with the fill's updates pending)."""

from django.db import migrations, models


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]  # migration signature
    from cicnet.coordination.uids import fill_public_uids

    fill_public_uids(apps, (("JointTeamDocument", "DOC"), ("AssistanceRequest", "RQ"), ("Question", "Q")))


class Migration(migrations.Migration):
    dependencies = [("coordination", "0009_public_uids_required")]

    operations = [
        migrations.AddField(
            model_name="jointteamdocument",
            name="uid",
            field=models.CharField(max_length=20, null=True),
        ),
        migrations.AddField(
            model_name="assistancerequest",
            name="uid",
            field=models.CharField(max_length=20, null=True),
        ),
        migrations.AddField(
            model_name="question",
            name="uid",
            field=models.CharField(max_length=20, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
