"""Demo accounts: one fictional person per role, with fixed passwords printed by ``demo_logins``.

These exist only so a newcomer can see what each role sees. A deployment must not load them
(``cicnet load_demo`` is for ``make demo``; see docs/deploy.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from cicnet.accounts.models import User
from cicnet.accounts.services import user_create

DEMO_ORGANISATION = "Fictional Prosecution Service (demo)"
DEMO_SECRETARIAT = "Fictional Network Secretariat (demo)"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    organisation: str
    sees: str  # what the role can see and do, for the printed list


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        "demo-member",
        "demo-member-password",
        "member",
        DEMO_ORGANISATION,
        "published decisions of the public and network tiers; API tokens",
    ),
    DemoLogin(
        "demo-curator",
        "demo-curator-password",
        "curator",
        DEMO_SECRETARIAT,
        "every decision in every tier and state; edits and publishes (curation queue); translator",
    ),
    DemoLogin(
        "demo-admin",
        "demo-admin-password",
        "admin",
        DEMO_SECRETARIAT,
        "everything the curator sees, plus the audit log and the Django admin; reviews",
    ),
)
ANONYMOUS_SEES = "published decisions of the public tier only (no login)"


@transaction.atomic
def demo_users_ensure() -> list[str]:
    """Create the demo users that do not exist yet; return the usernames created.

    Existing users are left alone (their passwords and roles may have been changed on purpose).
    """
    created: list[str] = []
    for login in DEMO_LOGINS:
        if User.objects.filter(username=login.username).exists():
            continue
        first, _, last = login.username.partition("-")
        user_create(
            username=login.username,
            password=login.password,
            role=login.role,
            first_name=first.capitalize(),
            last_name=f"{last.capitalize()} (fictional)",
            email=f"{login.username}@example.invalid",
            organisation=login.organisation,
        )
        created.append(login.username)
    return created
