"""Re-encode the persons and situations stored under an earlier linkage scheme (decision 0180:
vowel marks tagged with their token's place, hamza below alif read as "i", an article joined by
a capital split off, an article before each of two names no mark of the order). Without it a
scheme-3 encoding compares its untagged marks in both orders and keeps its old skeletons. Uses
the app's encoder on purpose, as 0006 and 0007 do."""

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
    dependencies = [("coordination", "0011_more_public_uids_required")]

    operations = [migrations.RunPython(reencode, migrations.RunPython.noop)]
