"""Deny by default: every page and endpoint of /coordination/ for every role, against one
expectation table. Names never cross to the other authority before a reveal; administrators
and Secretariats see statistics, never names; the Django admin shows nothing of this app."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin

from cicnet.access import policy
from cicnet.audit.models import AuditEntry
from cicnet.coordination import selectors
from cicnet.coordination.models import MeetingRequest, Reveal
from cicnet.network.models import Membership

from ..network.factories import MembershipFactory, OrganisationFactory
from .conftest import ARABIC, LATIN, ROLES, World

AUTHORITIES = {"de", "de_colleague", "fr", "nl"}
STATISTICS = {"admin", "secretariat", "other_secretariat"}
USERS = AUTHORITIES | STATISTICS
DE = {"de", "de_colleague"}
HIT_SIDES = DE | {"fr"}


def _pages(world: World) -> dict[str, tuple[str, str, dict[str, str], set[str]]]:
    """name → (method, path, form data, roles that get the page; everyone else 404)."""
    case, hit = world.case_de.uid, world.hit.uid
    return {
        "home": ("get", "/coordination/", {}, USERS),
        "case_new": ("get", "/coordination/cases/new/", {}, AUTHORITIES),
        "case_detail": ("get", f"/coordination/cases/{case}/", {}, DE),
        "case_missing": ("get", "/coordination/cases/CC-NOPE/", {}, set()),
        "person_add": (
            "post",
            f"/coordination/cases/{case}/",
            {"names": "Fictional Person", "role": "suspect", "birth_year": "1980"},
            DE,
        ),
        "share": (
            "post",
            f"/coordination/cases/{case}/share",
            {"organisation": str(world.orgs["nl"].pk)},
            DE,
        ),
        "hits": ("get", "/coordination/hits/", {}, USERS),
        "hit_detail": ("get", f"/coordination/hits/{hit}/", {}, HIT_SIDES),
        "reveal": ("post", f"/coordination/hits/{hit}/reveal", {"confirm": "yes"}, HIT_SIDES),
        "log": ("get", "/coordination/log/", {}, USERS),
        "statistics": ("get", "/coordination/statistics/", {}, STATISTICS),
    }


PAGE_NAMES = (
    "home case_new case_detail case_missing hits hit_detail log statistics person_add share reveal"
).split()


@pytest.mark.parametrize("role", ROLES)
def test_every_page_for_every_role(world: World, role: str) -> None:
    """One world per role; the pages run in order, the writes last."""
    pages = _pages(world)
    client = world.client(role)
    for page in PAGE_NAMES:
        method, path, data, allowed = pages[page]
        response = getattr(client, method)(path, data)
        if role == "anonymous":
            assert response.status_code == 302, page
            assert response["Location"].startswith("/accounts/login/")
            continue
        if role in allowed:
            assert response.status_code in (200, 302), (role, page, response.status_code)
            if response.status_code == 302:
                assert "/accounts/" not in response["Location"]
            assert response["Cache-Control"] == "no-store"
        else:
            assert response.status_code == 404, (role, page, response.status_code)


def test_neither_side_sees_the_others_name_until_it_is_revealed(world: World) -> None:
    hit = f"/coordination/hits/{world.hit.uid}/"
    de, fr = world.client("de"), world.client("fr")
    for client, own, theirs in ((de, LATIN, ARABIC), (fr, ARABIC, LATIN)):
        for path in ("/coordination/", "/coordination/hits/", hit, "/coordination/log/"):
            body = client.get(path).content.decode()
            assert theirs not in body, path
        page = client.get(hit).content.decode()
        assert own in page
        assert 'data-testid="not-revealed"' in page
        assert "birth year" in page and "nationality" in page
    # FR reveals: DE reads FR's record, FR still does not read DE's
    assert fr.post(f"{hit}reveal", {"confirm": "yes"}).status_code == 302
    assert ARABIC in de.get(hit).content.decode()
    assert LATIN not in fr.get(hit).content.decode()
    # without the confirmation nothing is revealed
    de.post(f"{hit}reveal", {})
    assert Reveal.objects.count() == 1
    de.post(f"{hit}reveal", {"confirm": "yes"})
    assert LATIN in fr.get(hit).content.decode()


def test_statistics_count_without_names(world: World) -> None:
    body = world.client("admin").get("/coordination/statistics/").content.decode()
    assert 'data-testid="stat-persons">2<' in body
    for secret in (LATIN, ARABIC, world.case_de.uid, world.case_de.reference, "Prosecutor"):
        assert secret not in body
    for role in ("admin", "secretariat"):
        for path in ("/coordination/", "/coordination/hits/", "/coordination/log/"):
            page = world.client(role).get(path).content.decode()
            assert world.case_de.uid not in page and LATIN not in page, (role, path)
    other = world.client("other_secretariat").get("/coordination/statistics/").content.decode()
    assert 'data-testid="stat-cases">0<' in other  # another network's Secretariat: its own only


def test_a_shared_summary_shows_no_persons(world: World) -> None:
    de = world.client("de")
    de.post(f"/coordination/cases/{world.case_de.uid}/share", {"organisation": world.orgs["nl"].pk})
    page = world.client("nl").get(f"/coordination/cases/{world.case_de.uid}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "shared with you" in body and world.case_de.situation in body
    assert LATIN not in body and 'data-testid="person-form"' not in body
    # NL may not add persons to it
    response = world.client("nl").post(
        f"/coordination/cases/{world.case_de.uid}/", {"names": "X Y", "role": "suspect"}
    )
    assert response.status_code == 404


def test_a_closed_session_share_reaches_its_invitees_only(world: World) -> None:
    world.client("fr").post(
        f"/coordination/cases/{world.case_fr.uid}/share", {"session": world.session.pk}
    )
    # NL is the session's only invitee
    assert world.client("nl").get(f"/coordination/cases/{world.case_fr.uid}/").status_code == 200
    for role in ("de", "secretariat", "admin", "cso"):
        response = world.client(role).get(f"/coordination/cases/{world.case_fr.uid}/")
        assert response.status_code == 404, role
    meeting = f"/network/a/meetings/{world.session.meeting.number}/"
    assert world.case_fr.uid in world.client("nl").get(meeting).content.decode()
    for role in ("de", "secretariat", "cso"):
        assert world.case_fr.uid not in world.client(role).get(meeting).content.decode(), role
    cases = selectors.closed_session_cases(actor=world.actors["nl"], session=world.session)
    assert [c.uid for c in cases] == [world.case_fr.uid]
    assert selectors.closed_session_cases(actor=world.actors["de"], session=world.session) == []


def test_form_errors_name_the_field(world: World) -> None:
    de = world.client("de")
    response = de.post(
        f"/coordination/cases/{world.case_de.uid}/", {"names": "", "role": "suspect"}
    )
    assert response.status_code == 400
    assert "a name or a year of birth" in response.content.decode()
    assert 'data-testid="error-names"' in response.content.decode()
    response = de.post(
        "/coordination/cases/new/",
        {"organisation": world.orgs["de"].pk, "reference": "", "situation": "x", "stage": "trial"},
    )
    assert response.status_code == 400
    assert 'data-testid="error-reference"' in response.content.decode()
    response = de.post(
        "/coordination/cases/new/",
        {
            "organisation": world.orgs["fr"].pk,
            "reference": "R",
            "situation": "x",
            "stage": "trial",
            "witness_count": "0",
        },
    )
    assert response.status_code == 400
    assert 'data-testid="error-organisation"' in response.content.decode()


def test_the_django_admin_exposes_no_coordination_data() -> None:
    registered = {m._meta.app_label for m in admin.site._registry}
    assert "coordination" not in registered


def test_an_invitee_whose_membership_ended_no_longer_reads_the_cases_before_the_session(
    world: World,
) -> None:
    """A case put before a closed session reaches its invitees while they are active members of
    the network with closed-session rights, as the meeting itself does (``meetings_visible``):
    NL's contact point, invited, then leaves NL for an authority of another network, keeps a
    login and a coordination page, and must not keep reading FR's case summary."""
    world.client("fr").post(
        f"/coordination/cases/{world.case_fr.uid}/share", {"session": world.session.pk}
    )
    case = f"/coordination/cases/{world.case_fr.uid}/"
    meeting = f"/network/a/meetings/{world.session.meeting.number}/"
    assert world.client("nl").get(case).status_code == 200
    assert world.case_fr.situation in world.client("nl").get(meeting).content.decode()
    nl = world.users["nl"]
    Membership.objects.filter(person__user=nl).update(is_active=False)
    elsewhere = OrganisationFactory(
        network=world.networks["b"],
        name="Fictional Prosecutor NL (B)",
        org_type="national_authority",
    )
    MembershipFactory(
        person=Membership.objects.get(person__user=nl).person,
        network=world.networks["b"],
        organisation=elsewhere,
        role="national_contact_point",
    )
    client = world.client("nl")
    assert client.get("/coordination/").status_code == 200  # still a user of coordination
    assert client.get(case).status_code == 404
    assert world.case_fr.uid not in client.get("/coordination/").content.decode()
    body = client.get(meeting).content.decode()  # network A is a public archive
    assert world.case_fr.uid not in body and world.case_fr.situation not in body
    actor = policy.actor_for(nl)
    assert selectors.closed_session_cases(actor=actor, session=world.session) == []
    # a civil-society member of A invited to the session does not read it either
    world.session.participants.create(
        person=Membership.objects.get(role="cso_representative").person
    )
    assert world.client("cso").get(case).status_code == 404


def test_hit_and_meeting_request_addresses_count_nothing(world: World) -> None:
    """A hit's or a meeting request's address is a random public id, not the row's counter:
    ``/coordination/hits/7/`` told DE that six hits had been found between other authorities
    (counts the Secretariat alone sees), a request's number how many others had asked. JIT
    documents, requests for assistance and questions: ``test_jits``, ``test_requests``,
    ``test_questions``."""
    body = world.client("de").get("/coordination/hits/").content.decode()
    links = re.findall(r'href="/coordination/hits/([^/"]+)/"', body)
    assert world.hit.uid in links and len(links) == 2  # the person hit and the situation hit
    assert all(re.fullmatch(r"HIT-[2-9A-HJKMNP-TV-Z]{10}", uid) for uid in links), links
    assert world.client("de").get(f"/coordination/hits/{world.hit.pk}/").status_code == 404
    de = world.client("de")
    response = de.post(
        "/coordination/meetings/",
        {
            "requester": world.orgs["de"].pk,
            "subject_kind": "topic",
            "case": "",
            "subject": "A fictional topic",
            "reason": "",
            "concerned": [world.orgs["fr"].pk],
        },
    )
    assert response.status_code == 302
    (request,) = MeetingRequest.objects.all()
    assert response["Location"] == f"/coordination/meetings/{request.uid}/"
    assert re.fullmatch(r"MR-[2-9A-HJKMNP-TV-Z]{10}", request.uid)
    listing = world.client("secretariat").get("/coordination/meetings/").content.decode()
    assert f"/coordination/meetings/{request.uid}/" in listing
    assert f"/coordination/meetings/{request.pk}/" not in listing


# role -> (case rows on the home page, hit rows, check-log rows); None: the pages answer 404.
SEEN_COUNTS: dict[str, tuple[int, int, int] | None] = {
    "member": None,
    "cso": None,
    "de": (1, 2, 4),  # its case; the situation and person hits; 2 checks + 2 hits logged
    "de_colleague": (1, 2, 4),  # the same authority
    "fr": (1, 2, 4),
    "nl": (0, 0, 0),  # another authority: nothing of DE's or FR's
    "secretariat": (0, 0, 0),  # counts only, on the statistics page
    "other_secretariat": (0, 0, 0),
    "admin": (0, 0, 0),
}


def test_what_each_role_counts_on_the_coordination_pages(world: World) -> None:
    """Exactly what each role sees listed — rows, not only the status — and the statistics'
    figures for whoever reads them (another network's Secretariat: its own network's, none)."""
    assert set(SEEN_COUNTS) | {"anonymous"} == set(ROLES)
    for role, counts in SEEN_COUNTS.items():
        client = world.client(role)
        pages = ("/coordination/", "/coordination/hits/", "/coordination/log/")
        responses = [client.get(path) for path in pages]
        if counts is None:
            assert [r.status_code for r in responses] == [404, 404, 404], role
            continue
        bodies = [r.content.decode() for r in responses]
        seen = tuple(
            body.count(f'data-testid="{row}"')
            for body, row in zip(bodies, ("case-row", "hit-row", "log-row"), strict=True)
        )
        assert seen == counts, (role, seen)
        for case in (world.case_de, world.case_fr):
            mine = case.organisation_id in policy.authority_ids(world.actors[role])
            assert (case.reference in bodies[0]) is mine, (role, case.reference)
            if not mine:  # another authority's reference is on none of the pages
                assert all(case.reference not in body for body in bodies), (role, case.reference)
    expected = {"admin": "2", "secretariat": "2", "other_secretariat": "0"}
    for role, cases in expected.items():
        body = world.client(role).get("/coordination/statistics/").content.decode()
        assert f'data-testid="stat-cases">{cases}<' in body, role
        assert f'data-testid="stat-persons">{cases}<' in body, role
    for role in ("member", "cso", "de", "fr", "nl"):
        assert world.client(role).get("/coordination/statistics/").status_code == 404, role


def test_the_audit_log_read_by_administrators_carries_no_case_content(world: World) -> None:
    """The instance administrators read the audit log but no case, person, hit or authority
    pairing: the coordination entries name the case and the actor, never a case's crimes or
    stage, a person's role, whom a case was shared with, or the other case of a hit."""
    de = world.client("de")
    de.post(f"/coordination/cases/{world.case_de.uid}/share", {"organisation": world.orgs["nl"].pk})
    de.post(f"/coordination/hits/{world.hit.uid}/reveal", {"confirm": "yes"})
    entries = AuditEntry.objects.filter(action__startswith="coordination.")
    assert {e.action for e in entries} >= {
        "coordination.case_register",
        "coordination.person_add",
        "coordination.case_share",
        "coordination.reveal",
    }
    allowed = {"person", "with", "case"}
    for entry in entries:
        assert set(entry.changes) <= allowed, (entry.action, entry.changes)
        assert world.case_fr.uid not in str(entry.changes), entry.action
    admin = world.users["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    body = world.client("admin").get("/audit/").content.decode()
    for secret in ("7(1)(f)", "suspect", "investigation"):
        assert secret not in body.split("<main", 1)[-1], secret
