"""Alerts and feeds (saved searches, follows): who may keep them and whose they are.

- anonymous: no alerts (there is no one to e-mail; public feeds are the search pages);
- member, curator, admin: their own alerts only; nobody reads, changes or receives another
  person's alerts, administrators included (a saved query can say what someone investigates).

What an alert *delivers* is not decided here but at send time, through ``decisions_visible``
for the owner as they are then (a demoted or deactivated owner gets less, or nothing): the
owner's actor is built from the stored user by ``alert_recipient``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .actors import Actor, actor_for

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from cicnet.accounts.models import User
    from cicnet.alerts.models import Alert

_KEEPS_ALERTS = frozenset({"member", "curator", "admin"})


def can_keep_alerts(actor: Actor) -> bool:
    """Save searches and follow cases, provisions, crimes and citations."""
    return actor.role in _KEEPS_ALERTS and actor.user_id is not None


def alerts_visible(actor: Actor, queryset: QuerySet[Alert]) -> QuerySet[Alert]:
    """The actor's own alerts; nothing for anyone else."""
    if not can_keep_alerts(actor):
        return queryset.none()
    return queryset.filter(owner_id=actor.user_id)


def alert_recipient(owner: User) -> Actor | None:
    """The actor an alert is delivered to, read at send time; ``None`` when the owner may no
    longer keep alerts (deactivated, or a role without them): nothing is sent or served."""
    actor = actor_for(owner)
    return actor if can_keep_alerts(actor) else None
