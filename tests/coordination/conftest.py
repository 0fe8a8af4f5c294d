"""A world for case coordination: three national authorities of network A (DE and FR register
cases, NL none), a civil-society organisation, A's Secretariat, B's Secretariat and an
instance administrator; DE's case with a suspect in Latin script, FR's with the same man in
Arabic script (a candidate hit), a closed session of a meeting of A with one invitee.

``ROLES`` are the actors every page and endpoint is tested with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from cicnet.access import policy
from cicnet.coordination import services
from cicnet.coordination.models import Case, CasePerson, Hit
from cicnet.network.models import Network, Organisation, Session

from ..factories import UserFactory
from ..network.factories import (
    MeetingFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    PersonFactory,
    SessionFactory,
)

# role → (network, organisation key, network role); None: no membership.
MEMBERSHIPS: dict[str, tuple[str, str, str] | None] = {
    "anonymous": None,
    "admin": None,
    "member": None,
    "de": ("a", "de", "national_contact_point"),
    "de_colleague": ("a", "de", "national_contact_point"),
    "fr": ("a", "fr", "national_contact_point"),
    "nl": ("a", "nl", "national_contact_point"),
    "cso": ("a", "cso", "cso_representative"),
    "secretariat": ("a", "secretariat", "secretariat"),
    "other_secretariat": ("b", "secretariat_b", "secretariat"),
}
ROLES = tuple(MEMBERSHIPS)
ORGS = {
    "de": ("a", "Fictional Prosecutor DE", "national_authority", "DE"),
    "fr": ("a", "Fictional Prosecutor FR", "national_authority", "FR"),
    "nl": ("a", "Fictional Prosecutor NL", "national_authority", "NL"),
    "cso": ("a", "Fictional Documentation Centre", "civil_society", ""),
    "secretariat": ("a", "Fictional Secretariat A", "secretariat", ""),
    "secretariat_b": ("b", "Fictional Secretariat B", "secretariat", ""),
}
LATIN = "Mohammed al-Hamad"
ARABIC = "محمد الحمد"


@dataclass
class World:
    networks: dict[str, Network]
    orgs: dict[str, Organisation]
    users: dict[str, Any]
    actors: dict[str, policy.Actor]
    case_de: Case
    case_fr: Case
    person_de: CasePerson
    person_fr: CasePerson
    hit: Hit
    session: Session

    def client(self, role: str) -> Client:
        client = Client()
        if self.users.get(role) is not None:
            client.force_login(self.users[role])
        return client


def case_data(org: Organisation, **overrides: Any) -> services.CaseData:
    values: dict[str, Any] = {
        "organisation_id": org.pk,
        "reference": "FICT-1",
        "situation": "Fictional detention facility, Branch 251, Damascus",
        "crimes": ["7(1)(f)"],
        "period_start": 2011,
        "period_end": 2012,
        "places": "Damascus",
        "stage": "investigation",
        "jit_sought": False,
        "witness_count": 4,
        "evidence_categories": ["witness_testimony"],
    }
    values.update(overrides)
    return services.CaseData(**values)


def person_data(**overrides: Any) -> services.PersonData:
    values: dict[str, Any] = {
        "names": [LATIN],
        "birth_date": None,
        "birth_year": 1970,
        "nationality": "SY",
        "role": "suspect",
        "unit": "Fictional unit",
    }
    values.update(overrides)
    return services.PersonData(**values)


@pytest.fixture
def world(db: None) -> World:
    networks = {
        "a": NetworkFactory(slug="a", name="Fictional network A"),
        "b": NetworkFactory(slug="b", name="Fictional network B", is_public_archive=False),
    }
    orgs = {
        key: OrganisationFactory(network=networks[n], name=name, org_type=kind, country=country)
        for key, (n, name, kind, country) in ORGS.items()
    }
    users: dict[str, Any] = {"anonymous": None}
    persons = {}
    for role, membership in MEMBERSHIPS.items():
        if role == "anonymous":
            continue
        user = UserFactory(username=f"c-{role}", role="admin" if role == "admin" else "member")
        users[role] = user
        if membership:
            net, org, network_role = membership
            persons[role] = PersonFactory(user=user, name=f"Fictional {role}")
            MembershipFactory(
                person=persons[role],
                network=networks[net],
                organisation=orgs[org],
                role=network_role,
            )
    actors = {
        role: policy.ANONYMOUS if u is None else policy.actor_for(u) for role, u in users.items()
    }
    case_de = services.case_register(actor=actors["de"], data=case_data(orgs["de"]))
    case_fr = services.case_register(
        actor=actors["fr"], data=case_data(orgs["fr"], reference="FR-PNAT-7")
    )
    person_de, _ = services.person_add(actor=actors["de"], case=case_de, data=person_data())
    person_fr, hits = services.person_add(
        actor=actors["fr"], case=case_fr, data=person_data(names=[ARABIC], unit="")
    )
    assert len(hits) == 1
    meeting = MeetingFactory(network=networks["a"])
    session = SessionFactory(meeting=meeting, kind="closed")
    session.participants.create(person=persons["nl"])
    return World(
        networks=networks,
        orgs=orgs,
        users=users,
        actors=actors,
        case_de=case_de,
        case_fr=case_fr,
        person_de=person_de,
        person_fr=person_fr,
        hit=hits[0],
        session=session,
    )


def add_observer(w: Any) -> Client:
    """An observer State's counterpart in network A of ``w`` (this package's world or the
    vault's: anything with ``networks["a"]``)."""
    org = OrganisationFactory(
        network=w.networks["a"],
        name="Fictional Prosecutor of an observer State",
        org_type="observer_state_authority",
        country="CH",
    )
    user = UserFactory(username="c-observer", role="member")
    MembershipFactory(
        person=PersonFactory(user=user, name="Fictional observer"),
        network=w.networks["a"],
        organisation=org,
        role="observer_counterpart",
    )
    client = Client()
    client.force_login(user)
    return client
