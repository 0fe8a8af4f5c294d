"""Writes: the view log, downgrades (audited), documents, the seed archive loader."""

from __future__ import annotations

import pytest

from cicnet.audit.models import AuditEntry
from cicnet.network.models import DocumentView, Meeting
from cicnet.network.seed import seed_meetings
from cicnet.network.services import (
    NetworkDenied,
    NetworkInputError,
    document_add,
    document_downgrade,
    document_view_record,
    meetings_load_from_seed,
)

from .conftest import ROLES, World
from .factories import NetworkFactory


def test_view_of_closed_session_material_is_logged(world: World) -> None:
    ncp = world.actors["ncp"]
    entry = document_view_record(
        actor=ncp, document=world.docs["a/closed_session"], action="download", channel="web"
    )
    assert entry is not None
    assert (entry.user_id, entry.username, entry.classification) == (
        ncp.user_id,
        "u-ncp",
        "closed_session",
    )


def test_views_of_public_and_network_material_are_not_logged(world: World) -> None:
    for key in ("a/public", "a/network"):
        assert (
            document_view_record(
                actor=world.actors["ncp"], document=world.docs[key], action="read", channel="web"
            )
            is None
        )
    assert not DocumentView.objects.exists()


def test_downgrade_by_the_secretariat_is_audited(world: World) -> None:
    doc = world.docs["a/closed_session"]
    document_downgrade(
        actor=world.actors["secretariat"], document_id=doc.pk, to="public", reason="Published."
    )
    doc.refresh_from_db()
    assert doc.classification == "public"
    entry = AuditEntry.objects.get(action="network.document.downgrade")
    assert entry.actor_label == "u-secretariat"
    assert entry.changes["classification"] == ["closed_session", "public"]
    assert entry.changes["reason"] == "Published."


@pytest.mark.parametrize("role", [r for r in ROLES if r != "secretariat"])
def test_downgrade_denied_to_everyone_else(role: str, world: World) -> None:
    doc = world.docs["a/closed_session"]
    with pytest.raises(NetworkDenied):
        document_downgrade(actor=world.actors[role], document_id=doc.pk, to="public", reason="x")
    doc.refresh_from_db()
    assert doc.classification == "closed_session"
    assert not AuditEntry.objects.filter(action="network.document.downgrade").exists()


@pytest.mark.parametrize(
    ("to", "reason", "field"),
    [("bogus", "r", "classification"), ("secretariat", "r", "classification"),
     ("public", "  ", "reason"), ("public", "x" * 501, "reason")],
)  # fmt: skip
def test_downgrade_bad_input_names_the_field(
    world: World, to: str, reason: str, field: str
) -> None:
    with pytest.raises(NetworkInputError) as exc:
        document_downgrade(
            actor=world.actors["secretariat"],
            document_id=world.docs["a/closed_session"].pk,
            to=to,
            reason=reason,
        )
    assert exc.value.field == field


def test_document_add_only_by_the_networks_secretariat(world: World) -> None:
    with pytest.raises(NetworkDenied):
        document_add(
            actor=world.actors["other_secretariat"],
            network=world.a,
            title="x",
            kind="note",
            classification="public",
        )
    doc = document_add(
        actor=world.actors["secretariat"],
        network=world.a,
        title="Agenda",
        kind="agenda",
        classification="network",
        tags=["Planning"],
    )
    assert list(doc.tags.values_list("name", flat=True)) == ["planning"]
    assert AuditEntry.objects.filter(action="network.document.add", object_id=str(doc.pk)).exists()


def test_document_add_rejects_a_session_of_another_meeting(world: World) -> None:
    with pytest.raises(NetworkInputError) as exc:
        document_add(
            actor=None, network=world.a, title="x", kind="note", classification="public",
            session=world.closed_session,
        )  # fmt: skip
    assert exc.value.field == "session"


def test_seed_loader_is_idempotent(db: None) -> None:
    network = NetworkFactory(slug="archive")
    first = meetings_load_from_seed(network=network, meetings=seed_meetings())
    assert (first.created, first.updated) == (36, 0)
    again = meetings_load_from_seed(network=network, meetings=seed_meetings())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 36)
    m36 = Meeting.objects.get(network=network, number=36)
    assert m36.sessions.count() == 2
    assert m36.agenda_items.filter(session__kind="open").count() == 9
