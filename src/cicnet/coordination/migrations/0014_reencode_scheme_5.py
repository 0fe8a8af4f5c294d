"""Re-encode the persons and situations stored under an earlier linkage scheme (decision 0181:
the Latin vowels of a name in Latin letters, as written and widened). Without it an earlier
encoding has no Latin vowel filters, and its Latin names are compared without them. Uses the
app's encoder on purpose, as 0006, 0007 and 0012 do."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def reencode(apps: Any, schema_editor: Any) -> None:
    from cicnet.coordination.crosscheck import reencode_stale

    reencode_stale(
        apps.get_model("coordination", "CasePerson").objects.all(),
        apps.get_model("coordination", "Case").objects.all(),
    )


class Migration(migrations.Migration):
    dependencies = [("coordination", "0013_jit_party_changes")]

    operations = [migrations.RunPython(reencode, migrations.RunPython.noop)]
