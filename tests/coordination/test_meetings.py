"""Ad hoc coordination meetings: a national authority's contact point asks the Secretariat for
a meeting on a case, naming the authorities concerned; the Secretariat accepts (a meeting of the
network with a closed session inviting the contact points concerned; the case summary goes on
that session's agenda for its invitees only) or declines with a reason the requester reads.
Every page for every role; bad input names the field."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from cicnet.coordination.meeting_requests import (
    ADHOC_NUMBER_BASE,
    ADHOC_NUMBER_SPAN,
    meeting_number_offer,
)
from cicnet.coordination.models import MeetingRequest
from cicnet.network.models import Meeting

from .conftest import ROLES, World, add_observer

REQUESTERS = {"de", "de_colleague", "fr", "nl", "observer"}
SECRETARIATS = {"secretariat", "other_secretariat"}
OWNERS = {"de", "de_colleague"}  # the requesting authority's people


def _client(w: World, role: str) -> Client:
    return add_observer(w) if role == "observer" else w.client(role)


def _ask(w: World, client: Client, **overrides: Any) -> Any:
    data: dict[str, Any] = {
        "requester": w.orgs["de"].pk,
        "subject_kind": "case",
        "case": w.case_de.uid,
        "subject": "",
        "reason": "Same suspect; coordinate hearings and an arrest.",
        "concerned": [w.orgs["fr"].pk],
    }
    data.update(overrides)
    return client.post("/coordination/meetings/", data)


def _accept(client: Client, request: MeetingRequest, **overrides: Any) -> Any:
    data: dict[str, Any] = {
        "decision": "accept",
        "number": 1001,
        "title": "Ad hoc coordination meeting",
        "start_date": "2027-03-02",
        "end_date": "",
        "place": "",
        "meeting_format": "online",
    }
    data.update(overrides)
    return client.post(f"/coordination/meetings/{request.uid}/", data)


@pytest.mark.parametrize("role", (*ROLES, "observer"))
def test_every_meeting_page_for_every_role(world: World, role: str) -> None:
    _ask(world, world.client("de"))
    request = MeetingRequest.objects.get()
    client = _client(world, role)
    pages: list[tuple[str, str, set[str]]] = [
        ("list", "/coordination/meetings/", REQUESTERS | SECRETARIATS),
        ("detail", f"/coordination/meetings/{request.uid}/", OWNERS | {"secretariat"}),
        ("missing", "/coordination/meetings/999999/", set()),
    ]
    for name, path, allowed in pages:
        response = client.get(path)
        if role == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        elif role in allowed:
            assert response.status_code == 200, (role, name)
            assert response["Cache-Control"] == "no-store"
            if name == "list":  # exactly the requests the role may read: DE's one, or none
                rows = response.content.decode().count('data-testid="meeting-request-row"')
                assert rows == (1 if role in OWNERS | {"secretariat"} else 0), (role, rows)
        else:
            assert response.status_code == 404, (role, name, response.status_code)
    # writes: asking (contact points of authorities), deciding (the network's Secretariat)
    own = {"fr": "fr", "nl": "nl"}.get(role, "de")
    org = world.orgs[own].pk if role != "observer" else None
    ask = _ask(
        world,
        client,
        requester=org or _observer_org(world),
        subject_kind="topic",
        case="",
        subject="Open-source video as evidence",
        concerned=[world.orgs["nl" if own != "nl" else "fr"].pk],
    )
    expected_ask = 302 if role in REQUESTERS else 404
    assert ask.status_code == (302 if role == "anonymous" else expected_ask), (role, "ask")
    decide = _accept(client, request)
    if role == "anonymous":
        assert decide.status_code == 302 and "/accounts/login/" in decide["Location"]
    elif role == "secretariat":
        assert decide.status_code == 302
        request.refresh_from_db()
        assert request.state == "accepted"
    else:
        assert decide.status_code == 404, (role, "decide")
        request.refresh_from_db()
        assert request.state == "requested"


def _observer_org(w: World) -> int:
    from cicnet.network.models import Organisation

    return Organisation.objects.get(org_type="observer_state_authority").pk


def test_accepted_request_schedules_a_closed_session_for_the_authorities_concerned(
    world: World,
) -> None:
    de, fr, secretariat = world.client("de"), world.client("fr"), world.client("secretariat")
    assert _ask(world, de).status_code == 302
    request = MeetingRequest.objects.get()
    assert request.subject == world.case_de.situation  # a case's situation by default
    # the Secretariat sees it; the number offered is the first of the ad hoc meetings' block
    listing = secretariat.get("/coordination/meetings/").content.decode()
    assert "Fictional Prosecutor DE" in listing and "Requested" in listing
    page = secretariat.get(f"/coordination/meetings/{request.uid}/").content.decode()
    # ad hoc meetings are numbered apart from the plenaries (no gap in the public archive)
    offered = int(re.search(r'name="number" value="(\d+)"', page)[1])  # type: ignore[index]
    assert ADHOC_NUMBER_BASE <= offered < ADHOC_NUMBER_BASE + ADHOC_NUMBER_SPAN
    # the authority concerned does not see the request itself
    assert fr.get(f"/coordination/meetings/{request.uid}/").status_code == 404
    assert _accept(secretariat, request).status_code == 302
    request.refresh_from_db()
    meeting = request.meeting
    assert request.state == "accepted" and meeting is not None and meeting.number == 1001
    assert list(meeting.sessions.values_list("kind", flat=True)) == ["closed"]
    session = meeting.sessions.get()
    invited = set(session.participants.values_list("person__user__username", flat=True))
    assert invited == {"c-de", "c-de_colleague", "c-fr"}
    # the case summary is on that closed session's agenda for its invitees only
    path = f"/network/a/meetings/{meeting.number}/"
    assert world.case_de.uid in fr.get(path).content.decode()
    for role in ("nl", "cso", "secretariat"):
        assert world.case_de.uid not in world.client(role).get(path).content.decode(), role
    assert fr.get(f"/coordination/cases/{world.case_de.uid}/").status_code == 200
    assert world.client("nl").get(f"/coordination/cases/{world.case_de.uid}/").status_code == 404
    # the requester sees the status and the meeting
    mine = de.get(f"/coordination/meetings/{request.uid}/").content.decode()
    assert 'data-testid="meeting-request-state">Accepted<' in mine
    assert 'data-testid="scheduled-meeting"' in mine
    # decided once: a second decision is refused
    assert _accept(secretariat, request, number=1002).status_code == 404


def test_declined_request_shows_the_reason_to_the_requester(world: World) -> None:
    _ask(world, world.client("de"))
    request = MeetingRequest.objects.get()
    secretariat = world.client("secretariat")
    path = f"/coordination/meetings/{request.uid}/"
    response = secretariat.post(path, {"decision": "decline", "reason": ""})
    assert response.status_code == 400 and 'data-testid="error-reason"' in response.content.decode()
    response = secretariat.post(
        path, {"decision": "decline", "reason": "Discuss it at the next plenary's closed session."}
    )
    assert response.status_code == 302
    page = world.client("de").get(path).content.decode()
    assert 'data-testid="meeting-request-state">Declined<' in page
    assert "next plenary" in page
    assert not Meeting.objects.filter(number=1001).exists()


def test_bad_input_names_the_field(world: World) -> None:
    de = world.client("de")
    for overrides, field in (
        ({"concerned": []}, "concerned"),
        ({"concerned": [world.orgs["cso"].pk]}, "concerned"),
        ({"case": ""}, "case"),
        ({"case": world.case_fr.uid}, "case"),  # another authority's case
        ({"requester": world.orgs["fr"].pk}, "requester"),
        ({"subject_kind": "topic", "case": "", "subject": ""}, "subject"),
    ):
        response = _ask(world, de, **overrides)
        assert response.status_code == 400, overrides
        assert f'data-testid="error-{field}"' in response.content.decode(), overrides
    assert not MeetingRequest.objects.exists()
    _ask(world, de)
    request = MeetingRequest.objects.get()
    secretariat = world.client("secretariat")
    taken = world.session.meeting.number
    for overrides, field in (
        ({"number": taken}, "number"),
        ({"title": ""}, "title"),
        ({"start_date": ""}, "start_date"),
        ({"end_date": "2027-01-01"}, "end_date"),
    ):
        response = _accept(secretariat, request, **overrides)
        assert response.status_code == 400, overrides
        assert f'data-testid="error-{field}"' in response.content.decode(), overrides
    request.refresh_from_db()
    assert request.state == "requested"


def test_the_number_offered_does_not_count_the_earlier_ad_hoc_meetings(world: World) -> None:
    """Each ad hoc meeting is known to its own invitees only: the number offered for the next
    one is a free number of the block drawn at random, not the count of those held so far."""
    network_id = world.networks["a"].pk
    _ask(world, world.client("de"))
    assert _accept(world.client("secretariat"), MeetingRequest.objects.get()).status_code == 302
    used = set(Meeting.objects.filter(network_id=network_id).values_list("number", flat=True))
    offers = {meeting_number_offer(network_id=network_id) for _ in range(30)}
    assert len(offers) > 1  # not a sequence: 1002 would say "one before yours"
    for number in offers:
        assert ADHOC_NUMBER_BASE <= number < ADHOC_NUMBER_BASE + ADHOC_NUMBER_SPAN
        assert number not in used
