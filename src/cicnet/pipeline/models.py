"""Records of pipeline stage runs."""

from __future__ import annotations

from django.db import models


class StageRun(models.Model):
    """One run of one pipeline stage on one document."""

    source = models.CharField(
        max_length=300, db_index=True, help_text="The document: metadata file path or decision uid."
    )
    decision_uid = models.CharField(
        max_length=120, blank=True, db_index=True, help_text="The decision, once known."
    )
    stage = models.CharField(max_length=40, help_text="Stage name, e.g. 'extract'.")
    version = models.CharField(
        max_length=20,
        help_text="Stage version; a stage is idempotent for the same input and version.",
    )
    status = models.CharField(
        max_length=10,
        choices=[("ok", "OK"), ("skipped", "Skipped"), ("failed", "Failed")],
        help_text="How the run ended.",
    )
    duration_ms = models.FloatField(help_text="Wall-clock duration in milliseconds.")
    error = models.TextField(blank=True, help_text="The error message for failed runs.")
    started_at = models.DateTimeField(auto_now_add=True, help_text="When the run started.")

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.stage}@{self.version} {self.status} {self.source}"
