"""A contact point of two member organisations of a team says which one it acts for when it
proposes, agrees to or declines an amendment, or withdraws: a required "Acting for" choice,
refused naming the field when missing or not one of its organisations; a contact point of one
organisation is not asked (docs/decisions/0185, point 7)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages

from cicnet.access import policy
from cicnet.coordination import jit_parties
from cicnet.coordination.models import JointTeam, JointTeamAmendment
from cicnet.coordination.services import CoordinationDenied, CoordinationInputError
from cicnet.network.models import Organisation

from ..evidence.conftest import World, world  # noqa: F401  # the vault's world
from ..factories import UserFactory
from ..network.factories import MembershipFactory, OrganisationFactory, PersonFactory
from .test_jit_parties import a_team, propose_nl


def add_double(w: World) -> Organisation:
    """A person who is DE's national contact point and the observer counterpart of an
    observer State's authority (BA) of network A; returns BA."""
    ba = OrganisationFactory(
        network=w.networks["a"],
        name="Fictional Prosecutor BA (observer State)",
        org_type="observer_state_authority",
        country="BA",
    )
    user = UserFactory(username="e-double", role="member")
    person = PersonFactory(user=user, name="Fictional double", email="double@example.invalid")
    for org, role in ((w.orgs["de"], "national_contact_point"), (ba, "observer_counterpart")):
        MembershipFactory(person=person, network=w.networks["a"], organisation=org, role=role)
    w.users["double"] = user
    w.actors["double"] = policy.actor_for(user)
    w.orgs["ba"] = ba
    return ba


def team_with_double(w: World) -> JointTeam:
    add_double(w)
    return a_team(w, "de", "fr", "ba")


def test_agreeing_for_two_parties_needs_the_party_named(world: World) -> None:  # noqa: F811
    team = team_with_double(world)
    de, ba = world.orgs["de"], world.orgs["ba"]
    amendment = propose_nl(world, team)
    double = world.actors["double"]
    with pytest.raises(CoordinationInputError) as exc:
        jit_parties.amendment_agree(actor=double, amendment=amendment)
    assert exc.value.field == "acting_for"
    assert "Acting for" in exc.value.message and de.name in exc.value.message
    assert ba.name in exc.value.message
    for not_theirs in (world.orgs["fr"].pk, world.orgs["nl"].pk, 999_999):
        with pytest.raises(CoordinationInputError) as exc:
            jit_parties.amendment_agree(actor=double, amendment=amendment, acting_for=not_theirs)
        assert exc.value.field == "acting_for" and "pick a party" in exc.value.message
    # DE proposed (it agreed by proposing): the double agrees for BA, which it names
    assert set(amendment.consents.values_list("organisation_id", flat=True)) == {de.pk}
    in_force = jit_parties.amendment_agree(actor=double, amendment=amendment, acting_for=ba.pk)
    assert not in_force  # FR is awaited
    assert set(amendment.consents.values_list("organisation_id", flat=True)) == {de.pk, ba.pk}
    with pytest.raises(CoordinationInputError) as exc:
        jit_parties.amendment_agree(actor=double, amendment=amendment, acting_for=ba.pk)
    assert exc.value.field == "amendment" and ba.name in exc.value.message
    # a contact point of one party is not asked, and cannot name another's
    with pytest.raises(CoordinationInputError) as exc:
        jit_parties.amendment_agree(
            actor=world.actors["authority_fr"], amendment=amendment, acting_for=de.pk
        )
    assert exc.value.field == "acting_for"
    assert jit_parties.amendment_agree(actor=world.actors["authority_fr"], amendment=amendment)


def test_the_team_page_asks_which_party_agrees_or_declines(world: World) -> None:  # noqa: F811
    team = team_with_double(world)
    ba = world.orgs["ba"]
    amendment = propose_nl(world, team)
    client = world.client("double")
    page = client.get(f"/coordination/jits/{team.uid}/").content.decode()
    assert 'data-testid="amendment-acting-for"' in page
    assert f'<label for="acting-for-{amendment.uid}">Acting for</label>' in page
    assert f'<option value="{ba.pk}">{ba.name}</option>' in page
    # one party: no choice on the page
    fr_page = world.client("authority_fr").get(f"/coordination/jits/{team.uid}/")
    assert 'name="acting_for"' not in fr_page.content.decode()
    agree = f"/coordination/jits/{team.uid}/amendments/{amendment.uid}/agree"
    for data in ({}, {"acting_for": ""}, {"acting_for": "BA"}, {"acting_for": world.orgs["fr"].pk}):
        response = client.post(agree, data, follow=True)
        assert response.redirect_chain[-1][1] == 302, data
        (message,) = [str(m) for m in get_messages(response.wsgi_request)]
        assert message.startswith("Acting for: "), (data, message)
        assert amendment.consents.count() == 1, data  # DE's, by proposing
    response = client.post(agree, {"acting_for": ba.pk})
    assert response.status_code == 302
    assert set(amendment.consents.values_list("organisation_id", flat=True)) == {
        world.orgs["de"].pk,
        ba.pk,
    }
    # declining for DE, which proposed: DE takes its proposal back, named as the decliner
    decline = f"/coordination/jits/{team.uid}/amendments/{amendment.uid}/decline"
    response = client.post(decline, {})
    amendment.refresh_from_db()
    assert amendment.state == "proposed"
    response = client.post(decline, {"acting_for": world.orgs["de"].pk})
    amendment.refresh_from_db()
    assert amendment.state == "declined" and amendment.declined_by_id == world.orgs["de"].pk


def test_declining_for_a_party_that_agreed_is_refused(world: World) -> None:  # noqa: F811
    team = team_with_double(world)
    amendment = jit_parties.member_propose(
        actor=world.actors["authority_fr"],
        team=team,
        organisation_id=world.orgs["nl"].pk,
        dated=dt.date(2025, 6, 1),
        note="",
    )
    double, ba = world.actors["double"], world.orgs["ba"]
    jit_parties.amendment_agree(actor=double, amendment=amendment, acting_for=ba.pk)
    with pytest.raises(CoordinationInputError) as exc:
        jit_parties.amendment_decline(actor=double, amendment=amendment, acting_for=ba.pk)
    assert exc.value.field == "amendment" and "has agreed" in exc.value.message
    jit_parties.amendment_decline(actor=double, amendment=amendment, acting_for=world.orgs["de"].pk)
    amendment.refresh_from_db()
    assert amendment.state == "declined" and amendment.declined_by_id == world.orgs["de"].pk


def test_proposing_for_two_parties_names_the_proposer(world: World) -> None:  # noqa: F811
    team = team_with_double(world)
    ba = world.orgs["ba"]
    page = f"/coordination/jits/{team.uid}/members/new/"
    client = world.client("double")
    form = client.get(page).content.decode()
    assert 'name="acting_for"' in form and "Acting for" in form
    response = client.post(page, {"organisation": world.orgs["nl"].pk, "dated": "2025-06-01"})
    assert response.status_code == 400
    assert 'data-testid="error-acting_for"' in response.content.decode()
    assert not JointTeamAmendment.objects.exists()
    response = client.post(
        page, {"organisation": world.orgs["nl"].pk, "dated": "2025-06-01", "acting_for": ba.pk}
    )
    assert response.status_code == 302
    amendment = JointTeamAmendment.objects.get()
    assert amendment.proposed_by_id == ba.pk
    assert list(amendment.consents.values_list("organisation_id", flat=True)) == [ba.pk]
    # one party: no field, and the service needs no choice
    assert 'name="acting_for"' not in world.client("authority_fr").get(page).content.decode()


def test_withdrawing_one_of_two_members_names_it(world: World) -> None:  # noqa: F811
    team = team_with_double(world)
    ba = world.orgs["ba"]
    page = f"/coordination/jits/{team.uid}/withdraw/"
    client = world.client("double")
    data = {"withdrawn_on": "2025-06-01", "reason": "Fictional: closed", "confirm": "on"}
    response = client.post(page, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="error-acting_for"' in body and "Acting for: pick the member" in body
    response = client.post(page, {**data, "acting_for": world.orgs["fr"].pk})
    assert response.status_code == 400  # not one of the double's organisations
    assert not team.members.filter(withdrawn_at__isnull=False).exists()
    response = client.post(page, {**data, "acting_for": ba.pk})
    assert response.status_code == 302
    (gone,) = team.members.filter(withdrawn_at__isnull=False)
    assert gone.organisation_id == ba.pk
    # the double still reads the team, for DE; asked no more, as it now speaks for one member
    assert client.get(f"/coordination/jits/{team.uid}/").status_code == 200
    assert 'name="acting_for"' not in client.get(page).content.decode()
    with pytest.raises(CoordinationInputError) as exc:
        jit_parties.member_withdraw(
            actor=world.actors["double"],
            team=team,
            withdrawn_on=dt.date(2025, 6, 1),
            reason="x",
            acting_for=ba.pk,
        )
    assert exc.value.field == "acting_for"
    # someone who speaks for no member is denied, whatever it names
    with pytest.raises(CoordinationDenied):
        jit_parties.member_withdraw(
            actor=world.actors["other_authority"],
            team=team,
            withdrawn_on=dt.date(2025, 6, 1),
            reason="x",
            acting_for=world.orgs["de"].pk,
        )
