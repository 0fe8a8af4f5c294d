"""The network demo: the real archive, a fictional regional network, a login per role."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from cicnet.access import policy
from cicnet.accounts.models import User
from cicnet.network.demo import NETWORK_DEMO_LOGINS, network_demo_load
from cicnet.network.models import Document, Meeting, Membership, Organisation, Person

pytestmark = pytest.mark.django_db


def test_demo_loads_36_archive_meetings_and_every_role_once() -> None:
    first = network_demo_load()
    assert first.meetings_created == 36
    assert Meeting.objects.filter(network__slug="genocide-network").count() == 36
    roles = set(
        Membership.objects.filter(network__slug="genocide-network").values_list("role", flat=True)
    )
    assert roles == set(policy.NETWORK_ROLES)
    again = network_demo_load()
    assert (again.meetings_created, again.documents_created, again.users_created) == (0, 0, [])


def test_demo_people_and_invented_organisations_are_clearly_fictional() -> None:
    network_demo_load()
    assert all(p.is_fictional and "(fictional)" in p.name for p in Person.objects.all())
    for org in Organisation.objects.filter(is_fictional=True):
        assert "(demo)" in org.name and "Fictional" in org.name
    for doc in Document.objects.filter(is_fictional=True):
        assert "fictional demo" in doc.title.lower()
    # Real organisations come from the seed page and say so.
    assert all(o.source_note for o in Organisation.objects.filter(is_fictional=False))


def test_demo_logins_work_and_are_printed() -> None:
    network_demo_load()
    for login in NETWORK_DEMO_LOGINS:
        user = User.objects.get(username=login.username)
        assert user.check_password(login.password)
        assert (user.network_person.memberships.get().role) == login.role
    out = StringIO()
    call_command("demo_logins", stdout=out)
    for login in NETWORK_DEMO_LOGINS:
        assert login.username in out.getvalue() and login.password in out.getvalue()
