"""Statistics: who may see which counts.

Jurisprudence statistics count only the tiers and states ``tier_and_state_visible(actor)`` admits
(the rule of ``decisions_visible``), so a chart, table, CSV or API answer never reveals a
decision the actor may not read (a hidden decision is not a
bar, a cell, or one more in a total). The network statistics (meetings, attendance, documents)
are for the network's Secretariat and the instance's administrators; an administrator's figures
leave out the invitees-only meetings (ad hoc coordination meetings), their invitations and
their documents, so such a meeting is never one more in a total (``network_meetings_counted``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .actors import Actor
from .networks import OPEN_MEETING_AUDIENCES

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from cicnet.network.models import Meeting


def can_view_network_statistics(actor: Actor, network_id: int) -> bool:
    """Meetings, attendance and document counts of one network: its Secretariat, admins."""
    if actor.role == "admin":
        return True
    return "secretariat" in actor.network_roles(network_id)


def network_meetings_counted(
    actor: Actor, network_id: int, queryset: QuerySet[Meeting]
) -> QuerySet[Meeting]:
    """The meetings of one network its statistics count for ``actor``: every one for its
    Secretariat; for an administrator, those of an open audience only; none for anyone else."""
    if "secretariat" in actor.network_roles(network_id):
        return queryset.filter(network_id=network_id)
    if can_view_network_statistics(actor, network_id):
        return queryset.filter(network_id=network_id, audience__in=OPEN_MEETING_AUDIENCES)
    return queryset.none()
