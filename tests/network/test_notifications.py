"""E-mail notifications of new documents and meetings, by policy and per-user preference."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from cicnet.network.services import NetworkDenied, NetworkInputError, document_add, meeting_schedule

from .conftest import VISIBLE, World


@pytest.fixture
def emails(world: World) -> World:
    for role, user in world.users.items():
        if user is not None:
            user.email = f"{role}@example.invalid"
            user.save(update_fields=["email"])
    return world


def _recipients() -> set[str]:
    return {m.to[0].split("@")[0] for m in mail.outbox}


def test_new_closed_session_document_mails_only_those_who_may_see_it(
    emails: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        document_add(
            actor=emails.actors["secretariat"], network=emails.a, title="Closed note",
            kind="note", classification="closed_session", text="secret body",
        )  # fmt: skip
    assert _recipients() == {r for r, v in VISIBLE.items() if "a/closed_session" in v}
    assert all("secret body" not in m.body for m in mail.outbox)  # never the content


def test_opting_out_stops_the_mail(emails: World, django_capture_on_commit_callbacks: Any) -> None:
    client = emails.client("ncp")
    assert client.get("/network/me/notifications/").status_code == 200
    client.post("/network/me/notifications/", {"new_meetings": "on"})  # documents off
    with django_capture_on_commit_callbacks(execute=True):
        document_add(
            actor=emails.actors["secretariat"], network=emails.a, title="Network note",
            kind="note", classification="network",
        )  # fmt: skip
    assert "ncp" not in _recipients() and "cso" in _recipients()


def test_scheduling_a_meeting_mails_the_networks_members(
    emails: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meeting_schedule(
            actor=emails.actors["secretariat"], network=emails.a, number=8,
            title="Fictional meeting eight", start_date=dt.date(2027, 5, 3),
            end_date=dt.date(2027, 5, 4),
        )  # fmt: skip
    assert meeting.sessions.count() == 2
    assert _recipients() == {"cso", "associate", "observer", "ncp", "secretariat"}


def test_only_the_secretariat_schedules_and_bad_dates_name_the_field(emails: World) -> None:
    kwargs: dict[str, Any] = {
        "network": emails.a, "number": 9, "title": "x",
        "start_date": dt.date(2027, 5, 3), "end_date": dt.date(2027, 5, 1),
    }  # fmt: skip
    with pytest.raises(NetworkDenied):
        meeting_schedule(actor=emails.actors["ncp"], **kwargs)
    with pytest.raises(NetworkInputError) as exc:
        meeting_schedule(actor=emails.actors["secretariat"], **kwargs)
    assert exc.value.field == "end_date"


def test_an_invitees_only_meeting_mails_its_invitees_and_the_secretariat_only(
    emails: World, django_capture_on_commit_callbacks: Any
) -> None:
    """Scheduling sends nothing (there are no invitees yet); once invited, the usual message
    goes to those the policy lets know of the meeting, never to the network."""
    from cicnet.network.models import Person
    from cicnet.network.notifications import meeting_recipients, notify_new_meeting

    with django_capture_on_commit_callbacks(execute=True):
        meeting = meeting_schedule(
            actor=emails.actors["secretariat"], network=emails.a, number=1001,
            title="Fictional ad hoc meeting", start_date=dt.date(2027, 5, 3),
            end_date=dt.date(2027, 5, 3), audience="invitees",
        )  # fmt: skip
    assert mail.outbox == []
    closed = meeting.sessions.get(kind="closed")
    closed.participants.create(person=Person.objects.get(user=emails.users["observer"]))
    assert {u.username for u in meeting_recipients(meeting)} == {
        emails.users["observer"].username,
        emails.users["secretariat"].username,
    }
    with django_capture_on_commit_callbacks(execute=True):
        notify_new_meeting(meeting)
    assert _recipients() == {"observer", "secretariat"}


def test_an_unknown_audience_names_the_field(emails: World) -> None:
    with pytest.raises(NetworkInputError) as exc:
        meeting_schedule(
            actor=emails.actors["secretariat"], network=emails.a, number=10, title="x",
            start_date=dt.date(2027, 5, 3), end_date=dt.date(2027, 5, 3), audience="everyone",
        )  # fmt: skip
    assert exc.value.field == "audience"
