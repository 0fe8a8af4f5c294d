"""Writes on accounts."""

from __future__ import annotations

from typing import Any

from django.core.mail import send_mail
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


# What an administrator changed on a user in the Django admin: the audit entry keeps the values
# of these fields (old, new); of any other field only that it changed.
_ADMIN_CHANGE_VALUES = ("username", "email", "first_name", "last_name", "is_active", "organisation")


@transaction.atomic
def user_changed_in_admin(
    *, actor: Actor, user: User, changed: list[str], old: dict[str, Any]
) -> None:
    """Record a change an administrator made to ``user`` in the Django admin (fields ``changed``,
    their earlier values in ``old``; "password" when the password was set there), and when the
    e-mail address changed, tell the old address, on commit: meeting, question and alert e-mails
    follow the address, so a changed address is a way to read what its owner is sent."""
    if not changed:
        return
    changes: dict[str, Any] = {
        name: [_plain(old.get(name)), _plain(getattr(user, name, None))]
        if name in _ADMIN_CHANGE_VALUES
        else "changed"
        for name in changed
    }
    audit_record(
        actor=actor,
        action="user.admin_change",
        object_type="user",
        object_id=user.username,
        changes=changes,
    )
    old_email = str(old.get("email") or "")
    if "email" in changed and old_email and old_email != user.email:
        subject = "cicnet: the e-mail address of your account was changed"
        body = (
            f"An administrator of this cicnet instance ({actor.username}) changed the e-mail "
            f"address of your account {user.username} to {user.email}. Messages for you "
            "(meetings, questions, alerts) now go there.\n\n"
            "If you did not ask for this, tell your network's Secretariat at once."
        )
        transaction.on_commit(lambda: send_mail(subject, body, None, [old_email]))


def _plain(value: Any) -> Any:
    """A value as the audit log's JSON keeps it (a related object by its id)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return getattr(value, "pk", str(value))
