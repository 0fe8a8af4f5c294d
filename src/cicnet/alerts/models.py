"""Alerts: a saved search or a follow (a proceedings, a crime, a provision, the citations of a
decision), delivered as an e-mail digest and an Atom feed. No access logic here: the policy
(``access/policy/alerts.py``) says whose they are, and delivery reads decisions through the
policy for the owner at send time (``services.py``, ``selectors.py``)."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models

KINDS = {
    "search": "Saved search",
    "proceedings": "Follow a case (its proceedings)",
    "crime": "Follow a crime",
    "provision": "Follow a national provision",
    "citation": "Follow the citations of a decision",
}
FREQUENCIES = {"daily": "Daily", "weekly": "Weekly", "never": "Feed only, no e-mail"}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Alert(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="alerts",
        help_text="Who receives it.",
    )
    kind = models.CharField(
        max_length=20, choices=sorted(KINDS.items()), help_text="What the alert watches."
    )
    name = models.CharField(max_length=200, help_text="The owner's name for it.")
    querystring = models.CharField(
        max_length=2000,
        blank=True,
        help_text="A saved search: the search page's parameters (q, facets, years, sort).",
    )
    target = models.CharField(
        max_length=200,
        blank=True,
        help_text="A follow: proceedings key, crime id, provision key or decision uid.",
    )
    frequency = models.CharField(
        max_length=10,
        choices=sorted(FREQUENCIES.items()),
        default="weekly",
        help_text="How often the e-mail digest goes out.",
    )
    is_active = models.BooleanField(
        default=True, help_text="Off after an unsubscribe: no e-mail, the feed answers 404."
    )
    feed_token_hash = models.CharField(
        max_length=64,
        unique=True,
        help_text="SHA-256 of the private feed token (the token is shown once; rotate to revoke).",
    )
    last_sent_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Decisions published up to this moment have been considered for e-mail.",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was saved.")

    class Meta:
        ordering = ["owner_id", "name", "pk"]
        indexes = [models.Index(fields=["frequency", "is_active"], name="alert_due")]

    def __str__(self) -> str:
        return f"{self.kind} alert {self.pk} of {self.owner_id}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)
