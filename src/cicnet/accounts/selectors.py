"""Reads on accounts."""

from __future__ import annotations

from django.db.models import QuerySet

from cicnet.access.policy import Actor
from cicnet.accounts.models import ApiToken, User


def api_tokens_for(*, actor: Actor) -> QuerySet[ApiToken]:
    """The actor's own API tokens, newest first (none for anonymous visitors)."""
    if actor.user_id is None:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user_id=actor.user_id).order_by("-created_at", "-pk")


def user_by_username(username: str) -> User | None:
    """The user with this username, active or not (for commands that name an actor)."""
    return User.objects.filter(username=username).first()
