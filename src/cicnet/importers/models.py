"""Records of imports from court databases: what was asked, by whom, and what came of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ImportRun(models.Model):
    """One ``cicnet import`` or one import from the curators' page."""

    source = models.CharField(max_length=40, help_text="Importer name, e.g. 'rechtspraak'.")
    identifiers = models.JSONField(
        default=list, help_text="The identifiers as asked for (ECLI or ECLI+ECLI), in order."
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who asked on the curators' page; empty for the console command.",
    )
    via = models.CharField(
        max_length=10,
        choices=[("command", "Console command"), ("web", "Curators' page")],
        help_text="Where the import was started.",
    )
    started_at = models.DateTimeField(auto_now_add=True, help_text="When the import started.")
    finished_at = models.DateTimeField(null=True, blank=True, help_text="When it ended.")
    status = models.CharField(
        max_length=10,
        choices=[
            ("running", "Running"),
            ("ok", "Imported"),
            ("partial", "Partly imported"),
            ("failed", "Failed"),
        ],
        default="running",
        help_text="How the import ended.",
    )
    results = models.JSONField(
        default=list,
        help_text=(
            "One entry per identifier: {identifier, uid, outcome (created, updated, unchanged, "
            "failed), messages (errors and warnings, one line each)}."
        ),
    )

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source} {', '.join(self.identifiers)} ({self.status})"
