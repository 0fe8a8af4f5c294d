"""Writes on accounts."""

from __future__ import annotations

from django.db import transaction

from cicnet.accounts.models import ApiToken, User
from cicnet.vocabularies import vocabulary


@transaction.atomic
def user_create(*, username: str, password: str, role: str, email: str = "",
                first_name: str = "", last_name: str = "", organisation: str = "") -> User:
    """Create a user with a role from the roles vocabulary."""
    if role not in vocabulary("accounts", "roles"):
        raise ValueError(f"role: unknown role {role!r}; use one of {vocabulary('accounts', 'roles').ids()}")
    user = User(username=username, email=email, role=role, first_name=first_name,
                last_name=last_name, organisation=organisation,
                is_staff=role == "admin", is_superuser=role == "admin")
    user.set_password(password)
    user.save()
    return user


def api_token_create(*, user: User, label: str = "") -> ApiToken:
    """Issue a new API token for ``user``."""
    return ApiToken.objects.create(user=user, key=ApiToken.new_key(), label=label)
