"""Reads on networks. Every function takes the actor and filters through access/policy/.

A network, meeting or document the actor may not see is ``None`` here, exactly like a missing
one, so views and the API answer 404 either way and reveal nothing.
"""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from cicnet.access import policy
from cicnet.network.models import (
    AgendaItem,
    Document,
    DocumentView,
    Meeting,
    Membership,
    Network,
    Organisation,
    Person,
    Session,
    SessionParticipant,
    Tag,
)

MAX_QUERY_WORDS = 10


def networks_for(*, actor: policy.Actor) -> QuerySet[Network]:
    return policy.networks_visible(actor, Network.objects.all())


def network_get(*, actor: policy.Actor, slug: str) -> Network | None:
    return networks_for(actor=actor).filter(slug=slug).first()


# --- meetings ---------------------------------------------------------------------------------


def meetings_for(*, actor: policy.Actor, network: Network) -> QuerySet[Meeting]:
    """The network's meetings, newest first (none when the network is hidden from the actor)."""
    return policy.meetings_visible(actor, Meeting.objects.filter(network=network)).order_by(
        "-number"
    )


def meetings_list(*, actor: policy.Actor, network: Network) -> QuerySet[Meeting]:
    """``meetings_for`` with each meeting's agenda items that ``actor`` may see, as
    ``visible_agenda_items`` (so a count on the list never includes a closed-session item)."""
    return meetings_for(actor=actor, network=network).prefetch_related(
        Prefetch(
            "agenda_items",
            queryset=policy.agenda_items_visible(actor, AgendaItem.objects.all()).order_by("order"),
            to_attr="visible_agenda_items",
        )
    )


def meeting_get(*, actor: policy.Actor, network: Network, number: int) -> Meeting | None:
    return meetings_for(actor=actor, network=network).filter(number=number).first()


@dataclass
class SessionView:
    """What one actor sees of a session."""

    session: Session
    agenda_items: list[AgendaItem] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    participants: list[SessionParticipant] | None = None  # None: not shown to this actor
    may_attend: bool = False


@dataclass
class MeetingView:
    meeting: Meeting
    sessions: list[SessionView]
    unassigned_items: list[AgendaItem]  # agenda items the source did not put in a session
    documents: list[Document]  # meeting documents outside any session


def meeting_view(*, actor: policy.Actor, meeting: Meeting) -> MeetingView:
    """The meeting as ``actor`` may see it: per session, the visible agenda items and documents,
    and the invitation list only where the policy allows. A fixed number of queries."""
    nid = meeting.network_id
    items = list(
        policy.agenda_items_visible(actor, AgendaItem.objects.filter(meeting=meeting)).order_by(
            "order"
        )
    )
    docs = list(
        policy.documents_visible(actor, Document.objects.filter(meeting=meeting))
        .prefetch_related("tags")
        .order_by("title")
    )
    sessions = list(
        Session.objects.filter(meeting=meeting).prefetch_related(
            Prefetch(
                "participants",
                queryset=SessionParticipant.objects.select_related("person").order_by(
                    "person__name"
                ),
            )
        )
    )
    views = []
    for s in sorted(sessions, key=lambda s: s.kind != "open"):
        allowed = policy.can_view_session_participants(actor, network_id=nid, session_kind=s.kind)
        views.append(
            SessionView(
                session=s,
                agenda_items=[i for i in items if i.session_id == s.pk],
                documents=[d for d in docs if d.session_id == s.pk],
                participants=list(s.participants.all()) if allowed else None,
                may_attend=_may_attend(actor, nid, s.kind),
            )
        )
    return MeetingView(
        meeting=meeting,
        sessions=views,
        unassigned_items=[i for i in items if i.session_id is None],
        documents=[d for d in docs if d.session_id is None],
    )


def _may_attend(actor: policy.Actor, network_id: int, kind: str) -> bool:
    if kind == "closed":
        return "closed_session" in policy.classifications_for(actor, network_id)
    return policy.is_network_member(actor, network_id)


def meetings_search(*, actor: policy.Actor, q: str, limit: int = 20) -> list[Meeting]:
    """Visible meetings whose title, or one of whose *visible* agenda items, contains every word
    (so a closed-session item never makes its meeting match for someone who may not see it)."""
    words = q.split()[:MAX_QUERY_WORDS]
    if not words:
        return []
    items = policy.agenda_items_visible(actor, AgendaItem.objects.all())
    for w in words:
        items = items.filter(title__icontains=w)
    title_q = functools.reduce(operator.and_, (Q(title__icontains=w) for w in words))
    qs = policy.meetings_visible(actor, Meeting.objects.all()).filter(
        title_q | Q(pk__in=items.values("meeting_id"))
    )
    return list(qs.select_related("network").order_by("-start_date", "network__slug")[:limit])


# --- documents --------------------------------------------------------------------------------


def documents_for(
    *,
    actor: policy.Actor,
    network: Network | None = None,
    q: str = "",
    tag: str = "",
    kind: str = "",
    classification: str = "",
) -> QuerySet[Document]:
    """Visible documents, newest first, filtered by words (every word in the title or the
    text, case-insensitive), tag, kind and classification. ``network=None``: every network."""
    qs = policy.documents_visible(actor, Document.objects.all())
    if network is not None:
        qs = qs.filter(network=network)
    words = q.split()[:MAX_QUERY_WORDS]
    if words:
        qs = qs.filter(
            functools.reduce(
                operator.and_, (Q(title__icontains=w) | Q(text__icontains=w) for w in words)
            )
        )
    if tag:
        qs = qs.filter(tags__name=tag)
    if kind:
        qs = qs.filter(kind=kind)
    if classification:
        qs = qs.filter(classification=classification)
    return (
        qs.select_related("network", "meeting", "session")
        .prefetch_related("tags")
        .order_by("-created_at", "-id")
    )


def document_get(*, actor: policy.Actor, network: Network, document_id: int) -> Document | None:
    return (
        policy.documents_visible(actor, Document.objects.filter(network=network))
        .select_related("network", "meeting", "session")
        .prefetch_related("tags")
        .filter(pk=document_id)
        .first()
    )


def tags_for(*, actor: policy.Actor, network: Network) -> list[tuple[str, int]]:
    """Tags of the documents the actor may see in ``network``, with those counts."""
    visible = documents_for(actor=actor, network=network).values("pk")
    rows = (
        Tag.objects.filter(documents__in=visible)
        .annotate(n=Count("documents", filter=Q(documents__in=visible), distinct=True))
        .order_by("name")
        .values_list("name", "n")
    )
    return [(name, int(n)) for name, n in rows]


def document_views_for(*, actor: policy.Actor, network: Network) -> QuerySet[DocumentView]:
    """The view log of ``network``: its Secretariat only, nothing for anyone else."""
    if not policy.can_view_document_log(actor, network.pk):
        return DocumentView.objects.none()
    return DocumentView.objects.filter(document__network=network).select_related(
        "document", "document__meeting"
    )


# --- directory --------------------------------------------------------------------------------


def organisations_for(
    *, actor: policy.Actor, network: Network, country: str = ""
) -> QuerySet[Organisation]:
    """Organisations of a network the actor may know of (not personal data)."""
    if not policy.network_visible(actor, network):
        return Organisation.objects.none()
    qs = Organisation.objects.filter(network=network)
    if country:
        qs = qs.filter(country=country)
    return qs.order_by("org_type", "country", "name")


def people_for(*, actor: policy.Actor, network: Network, country: str = "") -> QuerySet[Membership]:
    """Active memberships (person, role, organisation) whose details ``actor`` may see."""
    qs = policy.memberships_visible(
        actor, Membership.objects.filter(network=network, is_active=True)
    ).select_related("person", "organisation")
    if country:
        qs = qs.filter(organisation__country=country)
    return qs.order_by("role", "organisation__country", "person__name")


def people_count(*, network: Network, country: str = "") -> dict[str, int]:
    """How many active members per role (numbers only, not personal data)."""
    qs = Membership.objects.filter(network=network, is_active=True)
    if country:
        qs = qs.filter(organisation__country=country)
    return {r: int(n) for r, n in qs.values_list("role").annotate(n=Count("pk")).order_by()}


def countries_for(*, actor: policy.Actor, network: Network) -> list[tuple[str, int]]:
    """Countries with organisations in the network, with their number of organisations."""
    rows = (
        organisations_for(actor=actor, network=network)
        .exclude(country="")
        .values_list("country")
        .annotate(n=Count("pk"))
        .order_by("country")
    )
    return [(c, int(n)) for c, n in rows]


@dataclass
class CountryPage:
    country: str
    organisations: list[Organisation]
    contact_points: list[Membership]
    people_counts: dict[str, int]
    may_see_people: bool
    decisions: list[Any]
    decisions_count: int


def country_page(*, actor: policy.Actor, network: Network, country: str) -> CountryPage:
    """A country in a network: its authorities, its contact points (members only) and its
    decisions in the jurisprudence database (through that app's own selector and policy)."""
    from cicnet.jurisprudence.listing import DecisionFilters, decisions_browse

    decisions = decisions_browse(actor=actor, filters=DecisionFilters(country=(country,)))
    return CountryPage(
        country=country,
        organisations=list(organisations_for(actor=actor, network=network, country=country)),
        contact_points=list(people_for(actor=actor, network=network, country=country)),
        people_counts=people_count(network=network, country=country),
        may_see_people=policy.can_view_person_details(actor, network_id=network.pk),
        decisions=list(decisions[:20]),
        decisions_count=decisions.count(),
    )


# --- a person's own data ----------------------------------------------------------------------


def my_person(*, actor: policy.Actor) -> Person | None:
    if actor.user_id is None:
        return None
    return Person.objects.filter(user_id=actor.user_id).first()


def my_data(*, actor: policy.Actor) -> dict[str, Any]:
    """Everything stored about the actor as a network person (their right of access): the
    person record, memberships, session invitations and their own logged views."""
    person = my_person(actor=actor)
    if person is None or actor.user_id is None:
        return {"person": None, "memberships": [], "sessions": [], "document_views": []}
    memberships = person.memberships.select_related("network", "organisation").order_by("pk")
    participations = person.sessions.select_related(
        "session", "session__meeting", "session__meeting__network"
    ).order_by("pk")
    views = DocumentView.objects.filter(user_id=actor.user_id).select_related("document")
    return {
        "person": {
            "name": person.name,
            "function": person.function,
            "email": person.email,
            "phone": person.phone,
            "username": actor.username,
        },
        "memberships": [
            {
                "network": m.network.slug,
                "organisation": m.organisation.name,
                "country": m.organisation.country,
                "role": m.role,
                "is_active": m.is_active,
                "since": m.since.isoformat() if m.since else None,
            }
            for m in memberships
        ],
        "sessions": [
            {
                "network": p.session.meeting.network.slug,
                "meeting": p.session.meeting.number,
                "session": p.session.kind,
                "attended": p.attended,
            }
            for p in participations
        ],
        "document_views": [
            {
                "document": v.document_id,
                "title": v.document.title,
                "at": v.at.isoformat(),
                "action": v.action,
                "channel": v.channel,
            }
            for v in views
        ],
    }
