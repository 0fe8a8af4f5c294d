"""A two-network world with one user per network role and a document per classification.

Network ``a`` is a public archive; network ``b`` is private (its members only). ``ROLES`` are
the actors every page and endpoint is tested with; ``VISIBLE`` says which documents (keyed
``<network>/<classification>``) each may see — the expectation of the whole access matrix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from cicnet.access import policy
from cicnet.network.models import AgendaItem, Document, Meeting, Network, Session
from cicnet.network.services import document_add

from ..factories import UserFactory
from .factories import MeetingFactory, MembershipFactory, NetworkFactory, PersonFactory

CLASSIFICATIONS = ("public", "network", "closed_session", "secretariat")
ALL_A = {f"a/{c}" for c in CLASSIFICATIONS}
ALL_B = {f"b/{c}" for c in CLASSIFICATIONS}

# role → (network slug, network role) of the user's membership; None: no membership.
ROLE_MEMBERSHIPS: dict[str, tuple[str, str] | None] = {
    "anonymous": None,
    "admin": None,  # instance administrator without a membership
    "other_network": ("b", "national_contact_point"),
    "cso": ("a", "cso_representative"),
    "associate": ("a", "associate_representative"),
    "observer": ("a", "observer_counterpart"),
    "ncp": ("a", "national_contact_point"),
    "secretariat": ("a", "secretariat"),
    "other_secretariat": ("b", "secretariat"),
}
ROLES = tuple(ROLE_MEMBERSHIPS)

VISIBLE: dict[str, set[str]] = {
    "anonymous": {"a/public"},
    "admin": {"a/public"},
    "other_network": {"a/public", "b/public", "b/network", "b/closed_session"},
    "cso": {"a/public", "a/network"},
    "associate": {"a/public", "a/network"},
    "observer": {"a/public", "a/network", "a/closed_session"},
    "ncp": {"a/public", "a/network", "a/closed_session"},
    "secretariat": ALL_A,
    "other_secretariat": {"a/public"} | ALL_B,
}
# Who sees the contact details of network a's people.
SEES_PEOPLE_A = {"associate", "observer", "ncp", "secretariat"}


def marker(key: str) -> str:
    """A word that appears in exactly one document's text."""
    return "marker" + key.replace("/", "").replace("_", "")


@dataclass
class World:
    a: Network
    b: Network
    meeting: Meeting
    open_session: Session
    closed_session: Session
    docs: dict[str, Document]
    users: dict[str, Any]
    actors: dict[str, policy.Actor]

    def client(self, role: str) -> Client:
        client = Client()
        if self.users.get(role) is not None:
            client.force_login(self.users[role])
        return client


@pytest.fixture
def world(db: None) -> World:
    a = NetworkFactory(slug="a", name="Fictional network A", is_public_archive=True)
    b = NetworkFactory(slug="b", name="Fictional network B", is_public_archive=False)
    networks = {"a": a, "b": b}
    users: dict[str, Any] = {"anonymous": None}
    for role, membership in ROLE_MEMBERSHIPS.items():
        if role == "anonymous":
            continue
        user = UserFactory(username=f"u-{role}", role="admin" if role == "admin" else "member")
        users[role] = user
        if membership:
            slug, network_role = membership
            MembershipFactory(
                person=PersonFactory(user=user, name=f"Fictional {role.title()}"),
                network=networks[slug],
                role=network_role,
                organisation__country="FR" if role == "observer" else "DE",
            )
    meeting = MeetingFactory(network=a, number=7, title="Fictional meeting seven")
    open_s = Session.objects.create(meeting=meeting, kind="open")
    closed_s = Session.objects.create(meeting=meeting, kind="closed")
    meeting_b = MeetingFactory(network=b, number=1, title="Fictional meeting of B")
    closed_b = Session.objects.create(meeting=meeting_b, kind="closed")
    Session.objects.create(meeting=meeting_b, kind="open")
    docs: dict[str, Document] = {}
    for slug, network in networks.items():
        for c in CLASSIFICATIONS:
            key = f"{slug}/{c}"
            in_closed = c in ("closed_session", "secretariat")
            m = meeting if slug == "a" else meeting_b
            session = (closed_s if slug == "a" else closed_b) if in_closed else None
            if slug == "a" and not in_closed:
                session = open_s
            docs[key] = document_add(
                actor=None,
                network=network,
                title=f"Doc {key}",
                kind="note",
                classification=c,
                text=f"Shared word atrocity and {marker(key)}.",
                filename=f"{slug}-{c}.txt",
                content=f"content of {key}".encode(),
                meeting=m,
                session=session,
                tags=["common", f"tag-{slug}-{c}".replace("_", "-")],
            )
    for i, c in enumerate(CLASSIFICATIONS, start=1):
        AgendaItem.objects.create(
            meeting=meeting,
            session=closed_s if c in ("closed_session", "secretariat") else open_s,
            order=i,
            title=f"Agenda item {c}",
            classification=c,
        )
    actors = {
        role: policy.ANONYMOUS if user is None else policy.actor_for(user)
        for role, user in users.items()
    }
    return World(a, b, meeting, open_s, closed_s, docs, users, actors)
