"""An ad hoc coordination meeting is invitees-only (``Meeting.audience``): its existence, title,
dates, agenda and documents reach its invitees (the contact points of the requesting authority
and of the authorities concerned) and the network's Secretariat, and nobody else — not the
public of a public-archive network, not other members, not the instance administrator — in no
list, page, count, search, calendar, iCal feed, statistics, e-mail or admin page.

Deny by default: one expectation table (``SEES``), every role, every surface."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib import admin
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from cicnet.access import policy
from cicnet.coordination import meeting_requests, services
from cicnet.coordination.meeting_requests import MeetingRequestData, ScheduleData
from cicnet.coordination.models import MeetingRequest
from cicnet.coordination.services import CoordinationInputError
from cicnet.insights.selectors import network_statistics
from cicnet.knowledge.services import calendar_feed_create
from cicnet.network import selectors as network_selectors
from cicnet.network.models import AgendaItem, Document, Meeting, Membership
from cicnet.network.seed import SeedMeeting
from cicnet.network.services import NetworkInputError, document_add, meetings_load_from_seed

from ..clients import verified_client
from ..factories import UserFactory
from ..network.factories import PersonFactory
from .conftest import World, add_observer, case_data

# Every role of the brief: anonymous, a logged-in user of no network, CSO member, NCPs of the
# requesting authority (two), of the authority concerned and of an unrelated authority, an
# observer-State counterpart, the network's Secretariat, another network's Secretariat, the
# instance administrator.
ROLES = (
    "anonymous",
    "member",
    "cso",
    "de",
    "de_colleague",
    "fr",
    "nl",
    "observer",
    "secretariat",
    "other_secretariat",
    "admin",
)
SEES = frozenset({"de", "de_colleague", "fr", "secretariat"})
TITLE = "Kestrel coordination meeting"
AGENDA = "Kestrel agenda: joint hearing of witnesses"
DOC = "Kestrel briefing note"
NUMBER = 1001


@dataclass
class Adhoc:
    world: World
    clients: dict[str, Client]
    actors: dict[str, policy.Actor]
    emails: dict[str, str]
    request: MeetingRequest
    meeting: Meeting
    document: Document
    request_mail: list[Any]  # the Secretariat's e-mail on the request
    schedule_mail: list[Any]  # e-mails sent on acceptance
    document_mail: list[Any]  # e-mails sent when a document is added to the meeting


@pytest.fixture
def adhoc(world: World, django_capture_on_commit_callbacks: Any) -> Adhoc:
    cache.clear()
    observer_client = add_observer(world)
    users = dict(world.users)
    users["observer"] = Membership.objects.get(role="observer_counterpart").person.user
    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save()
    emails = {}
    for role, user in users.items():
        if user is not None:
            user.email = f"{role}@example.invalid"
            user.save(update_fields=["email"])
            emails[role] = user.email
    actors = {r: policy.ANONYMOUS if u is None else policy.actor_for(u) for r, u in users.items()}
    clients = {r: world.client(r) for r in ROLES if r != "observer"}
    clients["observer"] = observer_client
    with django_capture_on_commit_callbacks(execute=True):
        request = meeting_requests.meeting_request(
            actor=actors["de"],
            data=MeetingRequestData(
                requester_id=world.orgs["de"].pk,
                subject_kind="case",
                case_uid=world.case_de.uid,
                subject="Hearing the same suspect",
                reason="Both authorities investigate the same man.",
                concerned_ids=[world.orgs["fr"].pk],
            ),
        )
    request_mail = list(mail.outbox)
    start = timezone.localdate() + dt.timedelta(days=30)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meeting_requests.meeting_request_accept(
            actor=actors["secretariat"],
            request=request,
            data=ScheduleData(
                number=NUMBER,  # the Secretariat may take any free number of the block
                title=TITLE,
                start_date=start,
                end_date=start,
                place="Videoconference",
                meeting_format="online",
            ),
        )
    schedule_mail = list(mail.outbox)
    session = meeting.sessions.get(kind="closed")
    AgendaItem.objects.create(
        meeting=meeting, session=session, order=1, title=AGENDA, classification="closed_session"
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        document = document_add(
            actor=actors["secretariat"],
            network=world.networks["a"],
            title=DOC,
            kind="note",
            classification="closed_session",
            text="Kestrel",
            meeting=meeting,
            session=session,
        )
    document_mail = list(mail.outbox)
    calendar_feed = {}
    for role, actor in actors.items():
        if policy.can_hold_calendar_feed(actor):
            calendar_feed[role] = calendar_feed_create(actor=actor).token
    adhoc = Adhoc(
        world=world,
        clients=clients,
        actors=actors,
        emails=emails,
        request=request,
        meeting=meeting,
        document=document,
        request_mail=request_mail,
        schedule_mail=schedule_mail,
        document_mail=document_mail,
    )
    adhoc.feeds = calendar_feed  # type: ignore[attr-defined]  # tokens of the private feeds
    return adhoc


def test_the_meeting_is_invitees_only_and_numbered_apart(adhoc: Adhoc) -> None:
    assert adhoc.meeting.audience == "invitees"
    assert adhoc.meeting.number == NUMBER  # the plenaries' numbering shows no gap
    invited = set(
        adhoc.meeting.sessions.get(kind="closed").participants.values_list(
            "person__user__username", flat=True
        )
    )
    assert invited == {"c-de", "c-de_colleague", "c-fr"}


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_invitees_only_meeting(adhoc: Adhoc, role: str) -> None:
    """Pages, API, search, calendar, iCal, the policy and the selectors, for one role."""
    sees = role in SEES
    client = adhoc.clients[role]
    actor = adhoc.actors[role]
    link = f"/network/a/meetings/{NUMBER}/"
    # the policy: the queryset rule and the one-object rule agree
    visible = policy.meetings_visible(actor, Meeting.objects.filter(pk=adhoc.meeting.pk))
    assert visible.exists() is sees, role
    assert policy.can_view_meeting(actor, adhoc.meeting) is sees, role
    assert policy.can_view_document(actor, adhoc.document) is sees, role
    # the network's pages: list, detail, home, library, document, calendar, global search
    for path in ("/network/a/meetings/", "/network/a/", "/network/calendar/"):
        body = client.get(path).content.decode()
        assert (TITLE in body) is sees, (role, path)
        assert (link in body) is sees, (role, path)
    detail = client.get(link)
    assert detail.status_code == (200 if sees else 404), role
    if sees:
        page = detail.content.decode()
        assert TITLE in page and AGENDA in page and DOC in page
        assert 'data-testid="meeting-audience">Invitees only' in page
    for path in ("/network/search/?q=Kestrel", "/network/a/library/?q=Kestrel"):
        body = client.get(path).content.decode()
        assert (link in body or DOC in body) is sees, (role, path)
        assert (AGENDA in body) is False  # agenda items are never listed outside the meeting
    document = client.get(f"/network/a/documents/{adhoc.document.pk}/")
    assert document.status_code == (200 if sees else 404), role
    # the JSON API
    listed = client.get("/api/v1/networks/a/meetings").json()["results"]
    assert (NUMBER in {m["number"] for m in listed}) is sees, role
    assert client.get(f"/api/v1/networks/a/meetings/{NUMBER}").status_code == (200 if sees else 404)
    documents = client.get("/api/v1/networks/a/documents").json()["results"]
    assert (DOC in {d["title"] for d in documents}) is sees, role
    # the selectors behind counts and searches
    network = adhoc.world.networks["a"]
    assert (adhoc.meeting in network_selectors.meetings_for(actor=actor, network=network)) is sees
    assert (adhoc.meeting in network_selectors.meetings_search(actor=actor, q="Kestrel")) is sees
    assert policy.agenda_items_visible(actor, AgendaItem.objects.filter(title=AGENDA)).exists() is (
        sees and role != "cso"
    )
    # iCal: the public feed never; a private feed as its owner
    public_feed = client.get("/knowledge/calendar.ics").content.decode()
    assert "Kestrel" not in public_feed
    token = adhoc.feeds.get(role)  # type: ignore[attr-defined]
    if token is not None:
        feed = Client().get(f"/knowledge/calendar/{token}.ics").content.decode()
        assert ("Kestrel" in feed) is sees, role
    else:
        assert not sees


@pytest.mark.parametrize("role", ROLES)
def test_who_is_emailed_about_the_invitees_only_meeting(adhoc: Adhoc, role: str) -> None:
    """The request reaches the Secretariat only; the new-meeting and new-document e-mails reach
    the invitees and the Secretariat, never the rest of the network."""
    email = adhoc.emails.get(role)
    to_request = {a for m in adhoc.request_mail for a in m.to}
    assert (email in to_request) is (role == "secretariat"), role
    to_schedule = {a for m in adhoc.schedule_mail for a in m.to}
    assert (email in to_schedule) is (role in SEES), role
    to_document = {a for m in adhoc.document_mail for a in m.to}
    assert (email in to_document) is (role in SEES), role
    for message in adhoc.schedule_mail + adhoc.document_mail:
        assert len(message.to) == 1  # one message per recipient: no address is disclosed


def test_the_secretariat_request_email_names_no_case_details(adhoc: Adhoc) -> None:
    (message,) = adhoc.request_mail
    text = message.subject + message.body
    assert f"/coordination/meetings/{adhoc.request.uid}/" in message.body
    for secret in (
        adhoc.world.case_de.uid,
        adhoc.world.case_de.situation,
        "Hearing the same suspect",
        "same man",
        "Fictional Prosecutor",
        "Mohammed",
    ):
        assert secret not in text, secret


def test_statistics_count_it_for_the_secretariat_only(adhoc: Adhoc) -> None:
    network = adhoc.world.networks["a"]
    plenaries = Meeting.objects.filter(network=network, audience="network").count()
    figures = {
        role: network_statistics(actor=adhoc.actors[role], network=network) for role in ROLES
    }
    assert {r for r, s in figures.items() if s is not None} == {"secretariat", "admin"}
    secretariat, administrator = figures["secretariat"], figures["admin"]
    assert secretariat is not None and administrator is not None
    assert secretariat.meetings_total == plenaries + 1
    assert administrator.meetings_total == plenaries
    assert administrator.documents_total == secretariat.documents_total - 1
    invited = {r.value: r.count for r in secretariat.attendance}["invited"]
    invited_admin = {r.value: r.count for r in administrator.attendance}["invited"]
    assert invited - invited_admin == 3  # the ad hoc meeting's three invitations
    page = adhoc.clients["admin"].get("/statistics/network/a/").content.decode()
    assert f"{plenaries} meeting" in page and "Kestrel" not in page


def test_the_instance_administrator_sees_nothing_of_it_in_the_django_admin(adhoc: Adhoc) -> None:
    for model in ("meeting", "session", "sessionparticipant", "agendaitem", "document"):
        assert not any(
            m._meta.app_label == "network" and m._meta.model_name == model
            for m in admin.site._registry
        ), model
    client = verified_client(adhoc.world.users["admin"])
    start = adhoc.meeting.start_date.isoformat()
    for path in ("/django-admin/", "/django-admin/audit/auditentry/"):
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        assert "Kestrel" not in body and start not in body, path
    assert client.get(f"/django-admin/network/meeting/{adhoc.meeting.pk}/change/").status_code in (
        302,
        404,
    )
    # the audit entries it may read record ids only: no date, no authorities concerned
    from cicnet.audit.models import AuditEntry

    entries = AuditEntry.objects.filter(
        action__in=("network.meeting.schedule", "coordination.meeting_request")
    )
    assert entries.count() == 2
    for entry in entries:
        assert start not in str(entry.changes)
        assert "requester" not in entry.changes
        assert not isinstance(entry.changes.get("concerned", 0), list)
    # nor the title of a document of the meeting (the audit page and the admin's entry view)
    for path in (
        "/audit/",
        *(f"/django-admin/audit/auditentry/{e.pk}/change/" for e in AuditEntry.objects.all()),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Kestrel" not in response.content.decode(), path
    (added,) = AuditEntry.objects.filter(action="network.document.add")
    assert "title" not in added.changes


def test_a_contact_point_who_joins_later_does_not_see_the_scheduled_meeting(
    adhoc: Adhoc,
) -> None:
    """The request page shows the meeting only to those who may know of it."""
    user = UserFactory(username="c-de-new", role="member")
    Membership.objects.create(
        person=PersonFactory(user=user, name="Fictional newcomer DE"),
        network=adhoc.world.networks["a"],
        organisation=adhoc.world.orgs["de"],
        role="national_contact_point",
    )
    newcomer = Client()
    newcomer.force_login(user)
    path = f"/coordination/meetings/{adhoc.request.uid}/"
    page = newcomer.get(path).content.decode()
    assert 'data-testid="meeting-request-state">Accepted<' in page
    assert "scheduled-meeting" not in page and TITLE not in page
    assert TITLE in adhoc.clients["de"].get(path).content.decode()


def test_another_authority_cannot_put_a_case_before_its_closed_session(adhoc: Adhoc) -> None:
    from cicnet.coordination.selectors import share_targets

    nl = adhoc.actors["nl"]
    case = services.case_register(
        actor=nl, data=case_data(adhoc.world.orgs["nl"], reference="NL-1")
    )
    session = adhoc.meeting.sessions.get(kind="closed")
    _, sessions = share_targets(actor=nl, case=case)
    assert session not in sessions
    assert adhoc.world.session in sessions  # the plenary's closed session is still offered
    with pytest.raises(CoordinationInputError) as raised:
        services.case_share(actor=nl, case=case, session_id=session.pk)
    assert raised.value.field == "session"


def test_the_number_must_be_in_the_ad_hoc_block_and_the_seed_never_overwrites_it(
    adhoc: Adhoc, world: World
) -> None:
    _ = world
    with pytest.raises(NetworkInputError) as raised:
        meetings_load_from_seed(
            network=adhoc.world.networks["a"],
            meetings=[
                SeedMeeting(
                    number=NUMBER,
                    start_date=dt.date(2027, 5, 1),
                    end_date=dt.date(2027, 5, 2),
                    heading="1001st meeting",
                    topics=("A public topic",),
                )
            ],
        )
    assert raised.value.field == "number"
    adhoc.meeting.refresh_from_db()
    assert adhoc.meeting.title == TITLE
    assert not AgendaItem.objects.filter(meeting=adhoc.meeting, classification="public").exists()
