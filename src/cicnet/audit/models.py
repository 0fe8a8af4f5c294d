"""The append-only audit log: who changed what, when."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("the audit log is append-only: entries cannot be updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("the audit log is append-only: entries cannot be deleted")


class AuditEntry(models.Model):
    """One recorded action. Rows are only ever inserted."""

    at = models.DateTimeField(auto_now_add=True, db_index=True, help_text="When it happened (UTC).")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who did it; empty for the system (e.g. a command run without a user).",
    )
    actor_label = models.CharField(
        max_length=150, help_text="The actor's username at the time, or 'system'."
    )
    action = models.CharField(
        max_length=60, db_index=True, help_text="What was done, e.g. 'decision.update'."
    )
    object_type = models.CharField(max_length=60, help_text="The kind of object acted on.")
    object_id = models.CharField(max_length=100, db_index=True, help_text="Its identifier.")
    changes = models.JSONField(
        default=dict, help_text="Field → [old, new] for updates; details for other actions."
    )

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} "
            f"{self.object_type}:{self.object_id}"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("the audit log is append-only: entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("the audit log is append-only: entries cannot be deleted")
