"""The network part of the policy module: deny by default, per network and classification."""

from __future__ import annotations

import pytest

from cicnet.access import policy
from cicnet.network.models import AgendaItem, Document, Meeting, Network

from ..factories import UserFactory
from .conftest import ROLES, SEES_PEOPLE_A, VISIBLE, World
from .factories import MembershipFactory, PersonFactory


@pytest.mark.parametrize("role", ROLES)
def test_documents_visible_matches_matrix(role: str, world: World) -> None:
    actor = world.actors[role]
    visible = policy.documents_visible(actor, Document.objects.all())
    assert set(visible.values_list("title", flat=True)) == {f"Doc {k}" for k in VISIBLE[role]}
    for key, document in world.docs.items():
        assert policy.can_view_document(actor, document) is (key in VISIBLE[role]), key


@pytest.mark.parametrize("role", ROLES)
def test_agenda_items_follow_the_same_classifications(role: str, world: World) -> None:
    items = policy.agenda_items_visible(world.actors[role], AgendaItem.objects.all())
    expected = {f"Agenda item {k.split('/')[1]}" for k in VISIBLE[role] if k.startswith("a/")}
    assert set(items.values_list("title", flat=True)) == expected


@pytest.mark.parametrize("role", ROLES)
def test_private_network_and_its_meetings_only_for_its_members(role: str, world: World) -> None:
    actor = world.actors[role]
    in_b = role in ("other_network", "other_secretariat")
    networks = set(
        policy.networks_visible(actor, Network.objects.all()).values_list("slug", flat=True)
    )
    assert networks == ({"a", "b"} if in_b else {"a"})
    meetings = policy.meetings_visible(actor, Meeting.objects.all())
    assert meetings.filter(network=world.b).exists() is in_b
    assert meetings.filter(network=world.a).exists()


@pytest.mark.parametrize("role", ROLES)
def test_person_details_only_for_members_of_the_same_network(role: str, world: World) -> None:
    actor = world.actors[role]
    assert policy.can_view_person_details(actor, network_id=world.a.pk) is (role in SEES_PEOPLE_A)


def test_a_person_sees_their_own_details_even_as_cso(world: World) -> None:
    cso = world.actors["cso"]
    assert not policy.can_view_person_details(cso, network_id=world.a.pk)
    assert policy.can_view_person_details(cso, network_id=world.a.pk, person_user_id=cso.user_id)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_networks_own_secretariat_administers_and_downgrades(
    role: str, world: World
) -> None:
    actor = world.actors[role]
    assert policy.can_administer_network(actor, world.a.pk) is (role == "secretariat")
    assert policy.can_view_document_log(actor, world.a.pk) is (role == "secretariat")
    assert policy.can_administer_network(actor, world.b.pk) is (role == "other_secretariat")
    closed = world.docs["a/closed_session"]
    assert policy.can_downgrade(actor, closed, to="public") is (role == "secretariat")


def test_downgrade_goes_down_only(world: World) -> None:
    sec = world.actors["secretariat"]
    closed = world.docs["a/closed_session"]
    assert policy.can_downgrade(sec, closed, to="network")
    assert not policy.can_downgrade(sec, closed, to="secretariat")
    assert not policy.can_downgrade(sec, closed, to="closed_session")
    assert not policy.can_downgrade(sec, closed, to="bogus")
    assert not policy.can_downgrade(sec, world.docs["a/public"])


def test_inactive_membership_gives_nothing(world: World) -> None:
    user = UserFactory(username="former-ncp")
    MembershipFactory(person=PersonFactory(user=user), network=world.a, is_active=False)
    actor = policy.actor_for(user)
    assert actor.memberships == frozenset()
    assert policy.classifications_for(actor, world.a.pk) == frozenset({"public"})


def test_unknown_network_role_is_denied() -> None:
    actor = policy.Actor(role="member", user_id=5, network_memberships=frozenset({(1, "intruder")}))
    assert policy.classifications_for(actor, 1) == frozenset({"public"})
    assert not policy.is_network_member(actor, 1)
    assert not policy.can_view_person_details(actor, network_id=1)
    assert not policy.can_administer_network(actor, 1)


def test_instance_admin_sees_no_confidential_network_material(world: World) -> None:
    admin = world.actors["admin"]
    assert admin.role == "admin" and policy.can_view_audit_log(admin)
    assert policy.classifications_for(admin, world.a.pk) == frozenset({"public"})


def test_actor_without_memberships_equals_the_old_actor(world: World) -> None:
    """Backward compatible: an actor for a user without memberships is what it always was."""
    user = world.users["admin"]
    assert policy.actor_for(user) == policy.Actor(
        role="admin", user_id=user.pk, username=user.username
    )


def test_closed_session_participants_only_for_closed_session_roles(world: World) -> None:
    for role in ROLES:
        allowed = policy.can_view_session_participants(
            world.actors[role], network_id=world.a.pk, session_kind="closed"
        )
        assert allowed is (role in ("observer", "ncp", "secretariat")), role


@pytest.mark.parametrize("role", ROLES)
def test_a_meeting_of_an_unknown_audience_is_denied_to_all_but_the_secretariat(
    world: World, role: str
) -> None:
    """Deny by default: an audience the policy does not know is treated as invitees-only, and
    this meeting has no invitees, so only network A's Secretariat knows of it."""
    Meeting.objects.filter(pk=world.meeting.pk).update(audience="unheard-of")
    world.meeting.refresh_from_db()
    actor = world.actors[role]
    expected = role == "secretariat"
    mine = Meeting.objects.filter(pk=world.meeting.pk)
    assert policy.meetings_visible(actor, mine).exists() is expected
    assert policy.can_view_meeting(actor, world.meeting) is expected
    assert policy.sessions_visible(actor, world.meeting.sessions.all()).exists() is expected
    assert policy.agenda_items_visible(actor, world.meeting.agenda_items.all()).exists() is (
        expected
    )
