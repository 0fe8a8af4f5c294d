"""A joint investigation team's parties change over its life: an authority is added by an
amendment every party agrees to (it sees nothing before, the whole space after), a member
withdraws by its own contact point (its people lose access at once, what it shared stays), a
team keeps two parties; every step is audited without names and e-mailed to the parties'
contact points (docs/decisions/0185)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail

from cicnet.access import policy
from cicnet.audit.models import AuditEntry
from cicnet.coordination import jit_documents, jit_parties, jits
from cicnet.coordination.models import JointTeam, JointTeamAmendment
from cicnet.coordination.services import CoordinationDenied, CoordinationInputError
from cicnet.evidence.custody_log import custody_check, custody_entries
from cicnet.network.models import Organisation, Person

from ..evidence.conftest import ROLES, World, world  # noqa: F401  # the vault's world
from ..factories import UserFactory
from ..network.factories import MembershipFactory, OrganisationFactory, PersonFactory
from .test_jits import team_data

PDF = b"%PDF-1.4 fictional operational action plan"
CaptureOnCommit = Callable[..., Any]


def add_person(
    w: World, key: str, *, org: Organisation | None = None, role: str = "national_contact_point"
) -> Organisation:
    """A person ``key`` of ``org`` (default: a new authority of network A, BE), in ``w``."""
    if org is None:
        org = OrganisationFactory(
            network=w.networks["a"],
            name=f"Fictional Prosecutor {key.upper()}",
            org_type="national_authority",
            country="BE",
        )
    user = UserFactory(username=f"e-{key}", role="member")
    MembershipFactory(
        person=PersonFactory(user=user, name=f"Fictional {key}", email=f"{key}@example.invalid"),
        network=w.networks["a"],
        organisation=org,
        role=role,
    )
    w.users[key] = user
    w.actors[key] = policy.actor_for(user)
    w.orgs[key] = org
    return org


def a_team(w: World, *keys: str) -> JointTeam:
    return jits.jit_create(
        actor=w.actors["authority"],
        data=team_data(w, member_ids=[w.orgs[k].pk for k in keys]),
    )


def a_document(w: World, team: JointTeam, role: str = "authority") -> str:
    return jit_documents.document_upload(
        actor=w.actors[role],
        team=team,
        title="Fictional operational action plan",
        kind="working",
        filename="plan.pdf",
        chunks=[PDF],
        size=len(PDF),
    ).document.uid


def propose_nl(w: World, team: JointTeam, **overrides: Any) -> JointTeamAmendment:
    values: dict[str, Any] = {
        "organisation_id": w.orgs["nl"].pk,
        "dated": dt.date(2025, 6, 1),
        "note": "Amendment 1",
    }
    values.update(overrides)
    return jit_parties.member_propose(actor=w.actors["authority"], team=team, **values)


def space_paths(team: JointTeam, doc: str) -> list[str]:
    return [
        f"/coordination/jits/{team.uid}/",
        f"/coordination/jits/{team.uid}/documents/",
        f"/coordination/jits/{team.uid}/documents/{doc}/",
        f"/coordination/jits/{team.uid}/documents/{doc}/v1",
        f"/coordination/jits/{team.uid}/members/new/",
        f"/coordination/jits/{team.uid}/withdraw/",
    ]


def test_membership_pages_deny_by_default_for_every_role(world: World) -> None:  # noqa: F811
    """Each new page and endpoint, for every role: anonymous (login), other authorities,
    the authority proposed but not added, a withdrawn party, a member's person who is not a
    contact point, the Secretariat, the instance administrator."""
    add_person(world, "withdrawn")  # BE: a party that withdrew
    add_person(world, "de_associate", org=world.orgs["de"], role="associate_representative")
    team = a_team(world, "de", "fr", "withdrawn")
    jit_parties.member_withdraw(
        actor=world.actors["withdrawn"],
        team=team,
        withdrawn_on=dt.date(2025, 3, 1),
        reason="Fictional: our case was closed",
    )
    amendment = propose_nl(world, team)
    base = f"/coordination/jits/{team.uid}"
    # role -> (member page, withdraw page) status; POSTs to agree/decline follow the same rule
    # as the member page for non-parties (404), tested below.
    expected: dict[str, tuple[int, int]] = {
        "anonymous": (302, 302),
        "admin": (404, 404),
        "cso": (404, 404),
        "cso_colleague": (404, 404),
        "other_cso": (404, 404),
        "authority": (200, 200),
        "authority_fr": (200, 200),
        "other_authority": (404, 404),  # NL: proposed, not added
        "secretariat": (404, 404),
        "other_secretariat": (404, 404),
        "withdrawn": (404, 404),
        "de_associate": (404, 404),  # reads the team, does not speak for DE
    }
    assert set(expected) == set(ROLES) | {"withdrawn", "de_associate"}
    for role, (member_page, withdraw_page) in expected.items():
        client = world.client(role)
        assert client.get(f"{base}/members/new/").status_code == member_page, role
        assert client.get(f"{base}/withdraw/").status_code == withdraw_page, role
        if member_page == 200:
            continue
        for action in ("agree", "decline"):
            response = client.post(f"{base}/amendments/{amendment.uid}/{action}")
            assert response.status_code == member_page, (role, action)
        response = client.post(
            f"{base}/members/new/",
            {"organisation": world.orgs["cso"].pk, "dated": "2025-06-01"},
        )
        assert response.status_code == member_page, role
        response = client.post(
            f"{base}/withdraw/",
            {"withdrawn_on": "2025-06-01", "reason": "x", "confirm": "on"},
        )
        assert response.status_code == withdraw_page, role
        # the team itself: only DE's associate reads it (a member's person)
        seen = role == "de_associate"
        team_page = client.get(f"{base}/").status_code
        assert team_page == (302 if role == "anonymous" else 200 if seen else 404), role
        assert (jits.jit_get(actor=world.actors[role], uid=team.uid) is not None) is seen, role
    # nothing changed: still awaiting FR, nobody withdrew besides BE, no organisation added
    amendment.refresh_from_db()
    assert amendment.state == "proposed"
    assert set(amendment.consents.values_list("organisation_id", flat=True)) == {
        world.orgs["de"].pk
    }
    assert team.members.filter(withdrawn_at__isnull=True).count() == 2
    # a Secretariat that is a participant (Eurojust) speaks for itself only: it withdraws but
    # does not propose, agree or decline
    with_participant = a_team(world, "de", "fr", "secretariat")
    sec = world.client("secretariat")
    assert sec.get(f"/coordination/jits/{with_participant.uid}/").status_code == 200
    assert sec.get(f"/coordination/jits/{with_participant.uid}/members/new/").status_code == 404
    assert sec.get(f"/coordination/jits/{with_participant.uid}/withdraw/").status_code == 200
    with pytest.raises(CoordinationDenied):
        jit_parties.member_propose(
            actor=world.actors["secretariat"],
            team=with_participant,
            organisation_id=world.orgs["nl"].pk,
            dated=dt.date(2025, 6, 1),
            note="",
        )


def test_an_added_authority_sees_nothing_before_and_the_whole_file_after(
    world: World,  # noqa: F811
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    team = a_team(world, "de", "fr")
    doc = a_document(world, team)
    jits.item_share(
        actor=world.actors["authority_fr"],
        team=team,
        submission_uid=world.submission.uid,
        item_uid=world.open_item.uid,
    )
    nl = world.client("other_authority")
    de = world.client("authority")
    response = de.post(
        f"/coordination/jits/{team.uid}/members/new/",
        {"organisation": world.orgs["nl"].pk, "dated": "2025-06-01", "note": "Amendment 1"},
    )
    assert response.status_code == 302
    amendment = JointTeamAmendment.objects.get(team=team)
    assert amendment.state == "proposed"
    # proposed, not added: NL sees nothing, not even the list entry
    for path in space_paths(team, doc):
        assert nl.get(path).status_code == 404, path
    assert team.uid not in nl.get("/coordination/jits/").content.decode()
    purpose = {"purpose": "Fictional: analysis"}
    item_path = f"/coordination/jits/{team.uid}/items/{world.open_item.uid}/download"
    assert nl.post(item_path, purpose).status_code == 404
    page = de.get(f"/coordination/jits/{team.uid}/").content.decode()
    assert amendment.uid in page and "awaited: Fictional Prosecutor FR" in page
    # FR agrees: in force at that moment
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("authority_fr").post(
            f"/coordination/jits/{team.uid}/amendments/{amendment.uid}/agree"
        )
    assert response.status_code == 302
    amendment.refresh_from_db()
    assert amendment.state == "in_force"
    member = team.members.get(organisation=world.orgs["nl"])
    assert member.joined_on == dt.date(2025, 6, 1) and member.role == "party"
    # NL now reads the whole file: the earlier document, its version, the shared item
    page = nl.get(f"/coordination/jits/{team.uid}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert doc in body and world.open_item.uid in body
    assert nl.get(f"/coordination/jits/{team.uid}/documents/{doc}/v1").status_code == 200
    assert nl.post(item_path, purpose).status_code == 200
    # the item's custody log says the team grew, and still verifies
    actions = [(e["action"], e["purpose"]) for e in custody_entries(world.open_item)]
    assert any(a == "shared" and amendment.uid in p for a, p in actions)
    assert custody_check(world.open_item) == []
    # e-mailed to the contact points of the three parties, NL included; no names in the mail
    recipients = sorted(r for m in mail.outbox for r in m.to)
    assert len(recipients) == 3
    for m in mail.outbox:
        assert team.uid in m.body
        assert "Fictional Prosecutor" not in m.body + m.subject
    # agreeing twice, or to what is in force, is refused with a message naming the amendment
    with pytest.raises(CoordinationInputError) as exc:
        jit_parties.amendment_agree(actor=world.actors["authority_fr"], amendment=amendment)
    assert exc.value.field == "amendment"


def test_a_withdrawn_party_loses_access_at_once_and_what_it_shared_stays(
    world: World,  # noqa: F811
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    team = a_team(world, "de", "fr", "nl")
    doc = a_document(world, team, role="other_authority")  # NL uploaded it
    jits.item_share(
        actor=world.actors["authority_fr"],
        team=team,
        submission_uid=world.submission.uid,
        item_uid=world.open_item.uid,
    )
    task = jits.task_add(
        actor=world.actors["authority"],
        team=team,
        title="Hear witness W-1",
        assignee_id=world.orgs["nl"].pk,
        due=None,
    )
    nl = world.client("other_authority")
    item_path = f"/coordination/jits/{team.uid}/items/{world.open_item.uid}/download"
    for path in space_paths(team, doc):
        assert nl.get(path).status_code == 200, path
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = nl.post(
            f"/coordination/jits/{team.uid}/withdraw/",
            {"withdrawn_on": "2025-09-30", "reason": "Fictional: case closed", "confirm": "on"},
        )
    assert response.status_code == 302
    # from that moment: every page, download, list entry and service is closed to NL
    for path in space_paths(team, doc):
        assert nl.get(path).status_code == 404, path
    assert nl.post(item_path, {"purpose": "Fictional"}).status_code == 404
    assert team.uid not in nl.get("/coordination/jits/").content.decode()
    nl_actor = policy.actor_for(world.users["other_authority"])
    assert jits.jit_get(actor=nl_actor, uid=team.uid) is None
    for call in (
        lambda: jits.task_done(actor=nl_actor, team=team, task_id=task.pk),
        lambda: jits.team_items(actor=nl_actor, team=team),
        lambda: jit_documents.team_documents(actor=nl_actor, team=team),
    ):
        with pytest.raises(CoordinationDenied):
            call()
    # the others read the history, NL's document and the item with its custody log intact
    body = world.client("authority").get(f"/coordination/jits/{team.uid}/").content.decode()
    assert 'data-testid="former-member"' in body
    assert "withdrew on 30 September 2025" in body and "Fictional: case closed" in body
    assert doc in body and "Custody log intact" in body
    assert custody_check(world.open_item) == []
    # the withdrawal mail went to the remaining parties' contact points, not to NL
    recipients = {r for m in mail.outbox for r in m.to}
    nl_email = Person.objects.get(user=world.users["other_authority"]).email
    assert len(recipients) == 2 and nl_email not in recipients
    assert all("case closed" not in m.body for m in mail.outbox)
    # a new task cannot be assigned to the former member
    with pytest.raises(CoordinationInputError):
        jits.task_add(
            actor=world.actors["authority"],
            team=team,
            title="x",
            assignee_id=world.orgs["nl"].pk,
            due=None,
        )


def test_a_team_never_drops_below_two_parties(world: World) -> None:  # noqa: F811
    team = a_team(world, "de", "fr", "secretariat")  # two parties, Eurojust as participant
    response = world.client("authority").post(
        f"/coordination/jits/{team.uid}/withdraw/",
        {"withdrawn_on": "2025-09-30", "reason": "Fictional", "confirm": "on"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Parties: a joint investigation team keeps 2 or more national authorities" in body
    assert team.members.filter(withdrawn_at__isnull=True).count() == 3
    with pytest.raises(CoordinationInputError) as exc:
        jit_parties.member_withdraw(
            actor=world.actors["authority_fr"],
            team=team,
            withdrawn_on=dt.date(2025, 9, 30),
            reason="Fictional",
        )
    assert exc.value.field == "parties"
    # the participant is not a party: it may leave a two-party team
    jit_parties.member_withdraw(
        actor=world.actors["secretariat"],
        team=team,
        withdrawn_on=dt.date(2025, 9, 30),
        reason="Fictional: Eurojust support ends",
    )
    assert jits.jit_get(actor=world.actors["secretariat"], uid=team.uid) is None


def test_bad_input_names_the_field(world: World) -> None:  # noqa: F811
    team = a_team(world, "de", "fr")
    de = world.actors["authority"]
    for overrides, field, words in (
        ({"dated": dt.date(2024, 12, 31)}, "dated", "before the agreement was signed"),
        ({"dated": dt.date(2026, 2, 1)}, "dated", "after the agreement ends"),
        ({"organisation_id": world.orgs["fr"].pk}, "organisation", "already a member"),
        ({"organisation_id": world.orgs["cso"].pk}, "organisation", "pick a national"),
        ({"organisation_id": world.orgs["secretariat_b"].pk}, "organisation", "pick a national"),
    ):
        with pytest.raises(CoordinationInputError) as exc:
            propose_nl(world, team, **overrides)
        assert exc.value.field == field and words in exc.value.message, overrides
    amendment = propose_nl(world, team)
    with pytest.raises(CoordinationInputError) as exc:
        propose_nl(world, team)
    assert exc.value.field == "organisation" and amendment.uid in exc.value.message
    # the same through the page: the error is on the field, 400, no 500
    client = world.client("authority")
    for data, testid in (
        ({"organisation": world.orgs["cso"].pk, "dated": "2025-06-01"}, "error-organisation"),
        ({"organisation": world.orgs["nl"].pk, "dated": "2025-06-01"}, "error-organisation"),
        ({"organisation": world.orgs["secretariat"].pk, "dated": "2024-01-01"}, "error-dated"),
        ({"organisation": world.orgs["secretariat"].pk, "dated": "not a date"}, "error-dated"),
    ):
        response = client.post(f"/coordination/jits/{team.uid}/members/new/", data)
        assert response.status_code == 400, data
        assert f'data-testid="{testid}"' in response.content.decode(), data
    for data, testid in (
        ({"withdrawn_on": "2024-01-01", "reason": "x", "confirm": "on"}, "error-withdrawn_on"),
        ({"withdrawn_on": "2999-01-01", "reason": "x", "confirm": "on"}, "error-withdrawn_on"),
        ({"withdrawn_on": "2025-06-01", "reason": "", "confirm": "on"}, "error-reason"),
        ({"withdrawn_on": "2025-06-01", "reason": "x"}, "error-confirm"),
    ):
        response = client.post(f"/coordination/jits/{team.uid}/withdraw/", data)
        assert response.status_code == 400, data
        assert f'data-testid="{testid}"' in response.content.decode(), data
    with pytest.raises(CoordinationInputError) as exc:
        jit_parties.member_withdraw(
            actor=de, team=team, withdrawn_on=dt.date(2025, 6, 1), reason=" "
        )
    assert exc.value.field == "reason"


def test_a_decline_closes_and_a_withdrawal_lapses_or_completes_proposals(
    world: World,  # noqa: F811
) -> None:
    add_person(world, "be")
    team = a_team(world, "de", "fr", "be")
    declined = propose_nl(world, team)
    jit_parties.amendment_decline(actor=world.actors["authority_fr"], amendment=declined)
    declined.refresh_from_db()
    assert declined.state == "declined" and declined.declined_by == world.orgs["fr"]
    assert jits.jit_get(actor=world.actors["other_authority"], uid=team.uid) is None
    # FR agrees to DE's new proposal; BE, the last party awaited, withdraws: in force
    pending = propose_nl(world, team, note="Amendment 2")
    assert jit_parties.amendment_agree(actor=world.actors["authority_fr"], amendment=pending) is (
        False
    )
    jit_parties.member_withdraw(
        actor=world.actors["be"], team=team, withdrawn_on=dt.date(2025, 7, 1), reason="Fictional"
    )
    pending.refresh_from_db()
    assert pending.state == "in_force"
    assert jits.jit_get(actor=world.actors["other_authority"], uid=team.uid) is not None
    # a proposal of a party that withdraws lapses
    add_person(world, "it")
    lapsing = jit_parties.member_propose(
        actor=world.actors["other_authority"],
        team=team,
        organisation_id=world.orgs["it"].pk,
        dated=dt.date(2025, 8, 1),
        note="",
    )
    jit_parties.member_withdraw(
        actor=world.actors["other_authority"],
        team=team,
        withdrawn_on=dt.date(2025, 8, 2),
        reason="Fictional",
    )
    lapsing.refresh_from_db()
    assert lapsing.state == "lapsed"
    assert jits.jit_get(actor=world.actors["it"], uid=team.uid) is None


def test_every_step_is_audited_with_ids_and_counts_only(
    world: World,  # noqa: F811
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    """The administrators read the audit log and see no team (decisions 0171, 0174): the
    entries name the team and the amendment, never the organisations, the note or the
    reason; each step e-mails the parties' contact points."""
    add_person(world, "be")
    team = a_team(world, "de", "fr", "be")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        amendment = propose_nl(world, team, note="Fictional secret reference 42")
    assert len(mail.outbox) == 3  # DE, FR, BE's contact points; NL is not told
    # DE proposed, so it agreed already: only FR and BE are asked for their agreement
    proposer_email = Person.objects.get(user=world.users["authority"]).email
    asked = {r for m in mail.outbox if "awaits your agreement" in m.subject for r in m.to}
    assert len(asked) == 2 and proposer_email not in asked
    told = [m for m in mail.outbox if proposer_email in m.to]
    assert len(told) == 1 and "Your authority proposed" in told[0].subject
    nl_email = Person.objects.get(user=world.users["other_authority"]).email
    assert nl_email not in {r for m in mail.outbox for r in m.to}
    with django_capture_on_commit_callbacks(execute=True):
        jit_parties.amendment_agree(actor=world.actors["authority_fr"], amendment=amendment)
    assert len(mail.outbox) == 6
    with django_capture_on_commit_callbacks(execute=True):
        jit_parties.amendment_agree(actor=world.actors["be"], amendment=amendment)
    assert len(mail.outbox) == 10  # the addition: four parties, NL included
    with django_capture_on_commit_callbacks(execute=True):
        jit_parties.member_withdraw(
            actor=world.actors["be"],
            team=team,
            withdrawn_on=dt.date(2025, 9, 1),
            reason="Fictional confidential reason",
        )
    assert len(mail.outbox) == 13
    entries = list(AuditEntry.objects.filter(object_id=team.uid).order_by("pk"))
    actions = [e.action for e in entries]
    assert actions == [
        "coordination.jit_create",
        "coordination.jit_member_propose",
        "coordination.jit_member_agree",
        "coordination.jit_member_agree",
        "coordination.jit_member_add",
        "coordination.jit_member_withdraw",
    ]
    for entry in entries:
        assert "Fictional" not in str(entry.changes), entry.action
        assert set(entry.changes) <= {"amendment", "agreed", "parties", "members"}, entry.action
    assert entries[-1].changes == {"members": 3}
    assert entries[-2].changes == {"amendment": amendment.uid, "members": 4}
    for m in mail.outbox:
        assert "Fictional" not in m.subject + m.body
