"""Invitation-only registration by a network's Secretariat."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from cicnet.access import policy
from cicnet.accounts.models import User
from cicnet.audit.models import AuditEntry
from cicnet.network.models import Invitation, Organisation

from .conftest import ROLES, World

STRONG = "a-long passphrase 4 demo"


def _org(world: World) -> Organisation:
    return Organisation.objects.filter(network=world.a).first()  # type: ignore[return-value]  # the world has some


@pytest.mark.parametrize("role", ROLES)
def test_only_the_networks_secretariat_may_invite(role: str, world: World) -> None:
    client = world.client(role)
    assert client.get("/network/a/invitations/").status_code == (
        200 if role == "secretariat" else 404
    )
    response = client.post(
        "/network/a/invitations/",
        {
            "email": "x@example.invalid",
            "role": "national_contact_point",
            "organisation": _org(world).pk,
        },
    )
    assert response.status_code == (302 if role == "secretariat" else 404)


def test_invited_person_registers_and_becomes_a_member(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    client = world.client("secretariat")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]  # pytest-django fixture
        client.post(
            "/network/a/invitations/",
            {
                "email": "New@Example.invalid",
                "role": "observer_counterpart",
                "organisation": _org(world).pk,
            },
        )
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new@example.invalid"]
    link = re.search(r"http://testserver(/network/join/[^/\s]+/)", mail.outbox[0].body).group(1)  # type: ignore[union-attr]  # asserted by the next line
    token = link.split("/")[3]
    assert not Invitation.objects.filter(token_hash=token).exists()  # only the hash is stored
    guest = Client()
    assert guest.get(link).status_code == 200
    weak = guest.post(link, {"name": "Fictional New", "username": "newbie", "password": "123"})
    assert weak.status_code == 400 and b"password:" in weak.content
    taken = guest.post(link, {"name": "Fictional New", "username": "u-ncp", "password": STRONG})
    assert taken.status_code == 400 and b"username:" in taken.content
    ok = guest.post(link, {"name": "Fictional New", "username": "newbie", "password": STRONG})
    assert ok.status_code == 302
    user = User.objects.get(username="newbie")
    actor = policy.actor_for(user)
    assert actor.network_roles(world.a.pk) == frozenset({"observer_counterpart"})
    assert "closed_session" in policy.classifications_for(actor, world.a.pk)
    assert AuditEntry.objects.filter(action="network.invitation.accept").exists()
    # A link works once.
    assert guest.get(link).status_code == 404


def test_bad_invitation_input_names_the_field(world: World) -> None:
    client = world.client("secretariat")
    response = client.post(
        "/network/a/invitations/",
        {"email": "nope", "role": "national_contact_point", "organisation": _org(world).pk},
    )
    assert (
        response.status_code == 400 and b"email: enter a valid e-mail address" in response.content
    )
    other_org = Organisation.objects.filter(network=world.b).first()
    response = client.post(
        "/network/a/invitations/",
        {
            "email": "a@example.invalid",
            "role": "national_contact_point",
            "organisation": other_org.pk,
        },  # type: ignore[union-attr]  # exists
    )
    assert (
        response.status_code == 400 and b"organisation: choose an organisation" in response.content
    )


def test_unknown_link_is_404_with_a_message(db: None) -> None:
    response = Client().get("/network/join/not-a-token/")
    assert response.status_code == 404 and b"unknown, used or expired" in response.content
