"""A world for secure cooperation: a civil-society organisation, three national authorities
(two addressed), a Secretariat in each of two networks, an instance administrator; a submitted
submission with two items (one may be passed on, one may not) and a draft.

``ROLES`` are the actors every page and endpoint is tested with; ``SIDE`` says how each one
reads the submitted submission (None: not at all) — the expectation of the access matrix.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from cicnet.access import policy
from cicnet.evidence import selectors, services, uploads
from cicnet.evidence.models import EvidenceItem, Submission
from cicnet.network.models import Network, Organisation

from ..factories import UserFactory
from ..network.factories import (
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    PersonFactory,
)

# role → (network, organisation key, network role); None: no membership.
MEMBERSHIPS: dict[str, tuple[str, str, str] | None] = {
    "anonymous": None,
    "admin": None,
    "cso": ("a", "cso", "cso_representative"),
    "cso_colleague": ("a", "cso", "cso_representative"),
    "other_cso": ("a", "other_cso", "cso_representative"),
    "authority": ("a", "de", "national_contact_point"),
    "authority_fr": ("a", "fr", "national_contact_point"),
    "other_authority": ("a", "nl", "national_contact_point"),
    "secretariat": ("a", "secretariat", "secretariat"),
    "other_secretariat": ("b", "secretariat_b", "secretariat"),
}
ROLES = tuple(MEMBERSHIPS)
SIDE: dict[str, str | None] = {
    "anonymous": None,
    "admin": None,
    "cso": "cso",
    "cso_colleague": "cso",
    "other_cso": None,
    "authority": "authority",
    "authority_fr": "authority",
    "other_authority": None,
    "secretariat": None,
    "other_secretariat": None,
}
ORGS = {
    "cso": ("a", "Fictional Documentation Centre", "civil_society", ""),
    "other_cso": ("a", "Fictional Other NGO", "civil_society", ""),
    "de": ("a", "Fictional Prosecutor DE", "national_authority", "DE"),
    "fr": ("a", "Fictional Prosecutor FR", "national_authority", "FR"),
    "nl": ("a", "Fictional Prosecutor NL", "national_authority", "NL"),
    "secretariat": ("a", "Fictional Secretariat A", "secretariat", ""),
    "secretariat_b": ("b", "Fictional Secretariat B", "secretariat", ""),
}
OPEN_BYTES = b"\xff\xd8\xff\xe0 fictional photo bytes " * 1000
RESTRICTED_BYTES = b"%PDF-1.4 fictional witness list " * 500


@dataclass
class World:
    networks: dict[str, Network]
    orgs: dict[str, Organisation]
    users: dict[str, Any]
    actors: dict[str, policy.Actor]
    submission: Submission
    draft: Submission
    open_item: EvidenceItem
    restricted_item: EvidenceItem

    def client(self, role: str) -> Client:
        client = Client()
        if self.users.get(role) is not None:
            client.force_login(self.users[role])
        return client

    def context(
        self, role: str, submission: Submission | None = None
    ) -> selectors.SubmissionContext:
        context = selectors.submission_context(
            actor=self.actors[role], uid=(submission or self.submission).uid
        )
        assert context is not None, role
        return context


def metadata(**overrides: Any) -> dict[str, Any]:
    """Item metadata as ``forms.ItemMetadataForm.metadata`` returns it."""
    data: dict[str, Any] = {
        "description": "Fictional photo of a destroyed school.",
        "captured_at": "2022-03-05T10:00:00+00:00",
        "captured_note": "",
        "capture_place": "Fictional town",
        "capture_method": "phone camera",
        "collector": "Collector A (pseudonym)",
        "source": "",
        "source_anonymous": True,
        "consent_reference": "CONSENT-1",
        "consent_scope": "use by national prosecutors",
        "handling_code": "unrestricted",
        "source_reliability": "X",
        "information_reliability": "4",
        "sensitive_sgbv": False,
        "sensitive_child": False,
        "sensitive_protected_witness": False,
        "parent": "",
        "derivation": "",
        "related": [],
    }
    data.update(overrides)
    return data


def add_item(
    actor: policy.Actor,
    context: selectors.SubmissionContext,
    content: bytes,
    filename: str = "photo.jpg",
    chunk: int = 4096,
    **meta: Any,
) -> EvidenceItem:
    """An item through the real upload path: start, chunks, complete with the right hash."""
    upload = uploads.upload_start(
        actor=actor,
        context=context,
        filename=filename,
        size=len(content),
        metadata=metadata(**meta),
    )
    for offset in range(0, len(content), chunk):
        uploads.upload_chunk(
            actor=actor,
            upload_id=upload.upload_id,
            offset=offset,
            data=content[offset : offset + chunk],
        )
    return uploads.upload_complete(
        actor=actor,
        context=context,
        upload_id=upload.upload_id,
        declared_sha256=hashlib.sha256(content).hexdigest(),
    )


def submission_data(addressees: list[Organisation], **overrides: Any) -> services.SubmissionData:
    values: dict[str, Any] = {
        "title": "Fictional shelling of a school",
        "narrative": "A fictional account of events, for tests.",
        "places": "Fictional town",
        "period_start": None,
        "period_end": None,
        "period_note": "spring 2022",
        "crimes": ["8(2)(b)(ix)"],
        "persons": [{"ref": "W-1", "role": "witness", "note": ""}],
        "victims_count": 3,
        "languages": ["uk"],
        "assessment": "",
        "addressees": addressees,
    }
    values.update(overrides)
    return services.SubmissionData(**values)


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
    for role, membership in MEMBERSHIPS.items():
        if role == "anonymous":
            continue
        user = UserFactory(username=f"e-{role}", role="admin" if role == "admin" else "member")
        users[role] = user
        if membership:
            net, org, network_role = membership
            MembershipFactory(
                person=PersonFactory(user=user, name=f"Fictional {role}"),
                network=networks[net],
                organisation=orgs[org],
                role=network_role,
            )
    actors = {
        role: policy.ANONYMOUS if u is None else policy.actor_for(u) for role, u in users.items()
    }
    cso = actors["cso"]
    submission = services.submission_create(
        actor=cso, organisation=orgs["cso"], data=submission_data([orgs["de"], orgs["fr"]])
    )
    context = selectors.submission_context(actor=cso, uid=submission.uid)
    assert context is not None
    open_item = add_item(cso, context, OPEN_BYTES, "school.jpg")
    context = selectors.submission_context(actor=cso, uid=submission.uid)
    assert context is not None
    restricted = add_item(
        cso,
        context,
        RESTRICTED_BYTES,
        "witnesses.pdf",
        handling_code="no_onward_sharing",
        sensitive_protected_witness=True,
    )
    context = selectors.submission_context(actor=cso, uid=submission.uid)
    assert context is not None
    services.submission_submit(actor=cso, context=context)
    draft = services.submission_create(
        actor=cso,
        organisation=orgs["cso"],
        data=submission_data([orgs["de"]], title="Fictional draft not yet sent"),
    )
    submission.refresh_from_db()
    return World(networks, orgs, users, actors, submission, draft, open_item, restricted)
