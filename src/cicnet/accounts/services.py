"""Writes on accounts."""

from __future__ import annotations

from django.db import transaction

from cicnet.access.policy import Actor, can_use_api_token
from cicnet.accounts.models import ApiToken, User
from cicnet.audit.services import audit_record
from cicnet.vocabularies import vocabulary


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    organisation: str = "",
) -> User:
    """Create a user with a role from the roles vocabulary."""
    if role not in vocabulary("accounts", "roles"):
        raise ValueError(
            f"role: unknown role {role!r}; use one of {vocabulary('accounts', 'roles').ids()}"
        )
    user = User(
        username=username,
        email=email,
        role=role,
        first_name=first_name,
        last_name=last_name,
        organisation=organisation,
        is_staff=role == "admin",
        is_superuser=role == "admin",
    )
    user.set_password(password)
    user.save()
    return user


def api_token_create(*, user: User, label: str = "") -> ApiToken:
    """Issue a new API token for ``user``."""
    return ApiToken.objects.create(user=user, key=ApiToken.new_key(), label=label)


@transaction.atomic
def api_token_issue(*, actor: Actor, user: User, label: str = "") -> ApiToken:
    """Issue a token for ``user`` on their own request (the tokens page), audited."""
    if actor.user_id != user.pk or not can_use_api_token(actor):
        raise PermissionError("Only members may hold API tokens, and only for themselves.")
    token = api_token_create(user=user, label=label.strip()[:100])
    audit_record(
        actor=actor,
        action="api_token.create",
        object_type="api_token",
        object_id=token.pk,
        changes={"label": token.label},
    )
    return token


@transaction.atomic
def api_token_revoke(*, actor: Actor, token_id: int) -> bool:
    """Revoke (delete) one of the actor's own tokens; ``False`` when there is no such token of
    theirs (someone else's token is treated as missing)."""
    if actor.user_id is None:
        return False
    token = ApiToken.objects.filter(pk=token_id, user_id=actor.user_id).first()
    if token is None:
        return False
    audit_record(
        actor=actor,
        action="api_token.revoke",
        object_type="api_token",
        object_id=token.pk,
        changes={"label": token.label},
    )
    token.delete()
    return True


@transaction.atomic
def user_role_set(*, actor: Actor, user: User, role: str) -> User:
    """Change a user's instance role (which decision tiers they read): instance administrators
    only, audited. Not in the Django admin, where it went unaudited."""
    if actor.role != "admin":
        raise PermissionError("only an instance administrator changes roles")
    if role not in vocabulary("accounts", "roles"):
        raise ValueError(
            f"role: unknown role {role!r}; use one of {vocabulary('accounts', 'roles').ids()}"
        )
    old = user.role
    if old != role:
        user.role = role
        user.is_staff = user.is_superuser = role == "admin"
        user.save(update_fields=["role", "is_staff", "is_superuser"])
        audit_record(
            actor=actor,
            action="user.role",
            object_type="user",
            object_id=user.username,
            changes={"role": [old, role]},
        )
    return user
