"""Secretariat appointments go through the policy and the audit log only; the Django admin
neither appoints nor shows secrets, and asks for the second factor (issue 10, item 5)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from cicnet.accounts.services import api_token_create
from cicnet.audit.models import AuditEntry
from cicnet.network.appointments import secretariat_appoint
from cicnet.network.models import Membership, Network, Organisation, Person
from cicnet.network.services import NetworkDenied

from ..factories import UserFactory
from .conftest import ROLES, World

pytestmark = pytest.mark.django_db


def _secretariat_org(network: Network) -> Organisation:
    return Organisation.objects.create(
        network=network, name=f"Secretariat of {network.slug}", org_type="secretariat"
    )


@pytest.mark.parametrize("role", [r for r in ROLES if r not in ("anonymous", "secretariat")])
def test_only_the_networks_secretariat_appoints_once_it_has_one(role: str, world: World) -> None:
    org = _secretariat_org(world.a)
    newcomer = Person.objects.create(name="Fictional Newcomer")
    with pytest.raises(NetworkDenied):
        secretariat_appoint(
            actor=world.actors[role], network=world.a, person=newcomer, organisation=org
        )
    assert not Membership.objects.filter(person=newcomer).exists()


def test_the_secretariat_appoints_audited_and_the_others_are_told(
    world: World, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    org = _secretariat_org(world.a)
    world.users["secretariat"].email = "sec@example.org"
    world.users["secretariat"].save()
    newcomer = Person.objects.create(name="Fictional Newcomer")
    with pytest.MonkeyPatch.context():
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            secretariat_appoint(
                actor=world.actors["secretariat"],
                network=world.a,
                person=newcomer,
                organisation=org,
            )
    assert Membership.objects.get(person=newcomer).role == "secretariat"
    entry = AuditEntry.objects.get(action="network.secretariat.appoint")
    assert entry.changes["person"] == "Fictional Newcomer" and entry.actor_label == "u-secretariat"
    assert [m.to for m in mail.outbox] == [["sec@example.org"]]


def test_the_instance_admin_appoints_only_a_networks_first_secretariat(world: World) -> None:
    fresh = Network.objects.create(slug="fresh", name="Fictional fresh network")
    org = _secretariat_org(fresh)
    first = Person.objects.create(name="Fictional First")
    secretariat_appoint(actor=world.actors["admin"], network=fresh, person=first, organisation=org)
    assert AuditEntry.objects.filter(action="network.secretariat.appoint").count() == 1
    second = Person.objects.create(name="Fictional Second")
    with pytest.raises(NetworkDenied):
        secretariat_appoint(
            actor=world.actors["admin"], network=fresh, person=second, organisation=org
        )


def test_the_command_appoints_the_first_and_refuses_the_second(world: World) -> None:
    fresh = Network.objects.create(slug="fresh", name="Fictional fresh network")
    _secretariat_org(fresh)
    UserFactory(username="first-sec")
    UserFactory(username="second-sec")
    out = io.StringIO()
    call_command("secretariat-appoint", "fresh", "first-sec", "--by", "u-admin", stdout=out)
    assert "is now in the Secretariat" in out.getvalue()
    with pytest.raises(CommandError, match="Only the network's Secretariat appoints"):
        call_command("secretariat-appoint", "fresh", "second-sec", "--by", "u-admin")


def test_the_admin_appoints_nobody_shows_no_secret_and_needs_the_second_factor(
    world: World,
) -> None:
    admin_user = world.users["admin"]
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    token = api_token_create(user=admin_user, label="scripts")
    client = Client()
    client.force_login(admin_user)
    # Not verified by a second factor: no admin page, sent to cicnet's own (throttled) log-in.
    response = client.get("/django-admin/")
    assert response.status_code == 302 and "/django-admin/login/" in response["Location"]
    login = client.get(response["Location"])
    assert login.status_code == 302 and login["Location"].startswith("/accounts/login/")

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.clients import verified_client

    session_client = verified_client(admin_user)
    device = TOTPDevice.objects.get(user=admin_user)
    assert session_client.get("/django-admin/").status_code == 200
    assert session_client.get("/django-admin/network/membership/add/").status_code == 403
    assert session_client.get("/django-admin/network/person/add/").status_code == 403
    assert session_client.get("/django-admin/otp_totp/totpdevice/").status_code == 404
    pages = [
        "/django-admin/accounts/apitoken/",
        f"/django-admin/accounts/apitoken/{token.pk}/change/",
        f"/django-admin/accounts/user/{admin_user.pk}/change/",
        "/django-admin/network/membership/",
    ]
    for page in pages:
        response = session_client.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        assert token.key not in html and device.key not in html, page
    change = session_client.get(f"/django-admin/accounts/user/{admin_user.pk}/change/")
    assert 'name="role"' not in change.content.decode()  # shown, not editable
