"""The knowledge app (universal jurisdiction, guides, the network's knowledge): its legal facts,
guides and publications are public; what it draws from the database goes through the decision
and network rules (counts through ``decisions_visible``, contacts through
``memberships_visible``). Its own rules are the calendar's:
- a meeting is in a feed when ``meetings_visible`` lets the feed's owner know of it (the public
  feed's owner is the anonymous actor);
- an open session likewise; a closed session only for those who may see that network's
  closed-session material (national contact points, observer-State counterparts, Secretariat),
  so a public feed never carries a closed session; either only when the feed's owner may know
  of the session's meeting (an invitees-only meeting: its invitees and its Secretariat);
- private feeds belong to logged-in users of a known role; each is read as its owner, at the
  moment it is fetched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .actors import _TIERS_BY_ROLE, Actor
from .networks import _meeting_audience_q, _member_networks, classifications_for

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from cicnet.network.models import Session


def can_hold_calendar_feed(actor: Actor) -> bool:
    """Logged-in users of a known role may create private calendar feeds."""
    return actor.user_id is not None and actor.role in _TIERS_BY_ROLE and not actor.is_anonymous


def sessions_visible(actor: Actor, queryset: QuerySet[Session]) -> QuerySet[Session]:
    """Restrict a Session queryset: open sessions of the meetings the actor may know of; closed
    sessions of the networks whose closed-session material the actor may see."""
    from django.db.models import Q

    members = sorted(_member_networks(actor))
    closed_ok = sorted(
        nid for nid in members if "closed_session" in classifications_for(actor, nid)
    )
    open_q = Q(kind="open") & (
        Q(meeting__network__is_public_archive=True) | Q(meeting__network_id__in=members)
    )
    closed_q = Q(kind="closed", meeting__network_id__in=closed_ok)
    return queryset.filter(open_q | closed_q).filter(_meeting_audience_q(actor, "meeting__"))
