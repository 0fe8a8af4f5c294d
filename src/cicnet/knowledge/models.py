"""Tables of the knowledge app: the private calendar feeds (the rest of the app is data files)."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models


class CalendarFeed(models.Model):
    """A private iCal feed of one user: the address carries a secret token, stored here only as
    its SHA-256 hash, shown once on creation and revocable. The feed holds what its owner may
    see at the moment it is fetched (their memberships then), never more."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
        help_text="Whose feed it is; the feed shows what this user may see.",
    )
    token_hash = models.CharField(
        max_length=64, unique=True, help_text="SHA-256 (hex) of the secret token in the address."
    )
    label = models.CharField(
        max_length=100, blank=True, help_text="What the owner uses it for (e.g. 'work phone')."
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the feed was created.")
    last_used_at = models.DateTimeField(
        null=True, blank=True, help_text="When a calendar program last fetched it."
    )
    revoked_at = models.DateTimeField(
        null=True, blank=True, help_text="When the owner revoked it; a revoked feed answers 404."
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"calendar feed {self.label or self.pk} of {self.user}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8")).hexdigest()
