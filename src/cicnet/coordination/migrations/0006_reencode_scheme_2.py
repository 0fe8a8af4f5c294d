"""Re-encode the persons and situations stored under an earlier linkage scheme (decision 0141
changed the name rules and the bits per bigram): without it they would no longer compare with
new encodings. Uses the app's encoder on purpose: the encodings must be what the code running
the cross-checks makes (``linkage.SCHEME``); a later scheme brings a migration of its own."""

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
    dependencies = [("coordination", "0005_jit_documents_meeting_requests")]

    operations = [migrations.RunPython(reencode, migrations.RunPython.noop)]
