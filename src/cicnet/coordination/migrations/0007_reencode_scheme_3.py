"""Re-encode the persons and situations stored under an earlier linkage scheme (decision 0165:
soft "c", zah as "z", name order and vowel marks compared): without it they would compare by
their names' bigrams only. Uses the app's encoder on purpose, as 0006 does: the encodings must
be what the code running the cross-checks makes (``linkage.SCHEME``). A hit's band may now be
"weak" too."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models


def reencode(apps: Any, schema_editor: Any) -> None:
    from cicnet.coordination.crosscheck import reencode_stale

    reencode_stale(
        apps.get_model("coordination", "CasePerson").objects.all(),
        apps.get_model("coordination", "Case").objects.all(),
    )


class Migration(migrations.Migration):
    dependencies = [("coordination", "0006_reencode_scheme_2")]

    operations = [
        migrations.AlterField(
            model_name="hit",
            name="band",
            field=models.CharField(
                help_text="'strong', 'possible' or 'weak' (linkage.Match; docs/coordination.md).",
                max_length=20,
            ),
        ),
        migrations.RunPython(reencode, migrations.RunPython.noop),
    ]
