"""User accounts. The role decides what the policy module lets a user see and do."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models

from cicnet.vocabularies import vocabulary


class User(AbstractUser):
    """A person who logs in. Anonymous visitors have no row."""

    role = models.CharField(
        max_length=20,
        choices=vocabulary("accounts", "roles").choices(),
        default="member",
        help_text=(
            "What this user may see and do; see accounts/vocab/roles.yaml and access/policy/."
        ),
    )
    organisation = models.CharField(
        max_length=200,
        blank=True,
        help_text="The authority or organisation the user belongs to, as shown to other members.",
    )


class ApiToken(models.Model):
    """A bearer token a member uses for the JSON API (``Authorization: Bearer <key>``)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", help_text="Whose token it is."
    )
    key = models.CharField(
        max_length=64, unique=True, help_text="The secret token string; shown once on creation."
    )
    label = models.CharField(max_length=100, blank=True, help_text="What the token is used for.")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the token was issued.")
    last_used_at = models.DateTimeField(
        null=True, blank=True, help_text="When the token was last used to authenticate."
    )

    def __str__(self) -> str:
        return f"token {self.label or self.pk} of {self.user}"

    @staticmethod
    def new_key() -> str:
        return secrets.token_urlsafe(32)
