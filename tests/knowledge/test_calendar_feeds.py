"""The calendar as iCal feeds: the public feed never carries a closed session or a private
network's meeting; a private feed carries what its owner may see when it is fetched, through a
token stored only as a hash and revocable in one click."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from cicnet.access import policy
from cicnet.knowledge.models import CalendarFeed
from cicnet.network.models import Membership, Session

from .conftest import ROLES, World

pytestmark = pytest.mark.django_db

# Which sessions (network/kind) each role's feed carries.
SESSIONS_SEEN = {
    "anonymous": {"a/open"},
    "admin": {"a/open"},
    "other_network": {"a/open", "b/open", "b/closed"},
    "cso": {"a/open"},
    "associate": {"a/open"},
    "observer": {"a/open", "a/closed"},
    "ncp": {"a/open", "a/closed"},
    "secretariat": {"a/open", "a/closed"},
    "other_secretariat": {"a/open", "b/open", "b/closed"},
}


def _dated_world(world: World) -> World:
    """Put the world's meetings and sessions in the coming weeks."""
    today = timezone.localdate()
    for i, session in enumerate(Session.objects.select_related("meeting")):
        meeting = session.meeting
        meeting.start_date = today + dt.timedelta(days=10)
        meeting.end_date = today + dt.timedelta(days=11)
        meeting.save(update_fields=["start_date", "end_date"])
        session.date = today + dt.timedelta(days=10 + i % 2)
        session.save(update_fields=["date"])
    return world


def _events(body: bytes) -> dict[str, str]:
    cal = Calendar.from_ical(body)
    return {str(e["UID"]): str(e["SUMMARY"]) for e in cal.walk("VEVENT")}


def _sessions_in(events: dict[str, str]) -> set[str]:
    out = set()
    for uid in events:
        if uid.startswith("session-"):
            _, slug, _number, kind = uid.split("@")[0].split("-")
            out.add(f"{slug}/{kind}")
    return out


def test_public_feed_never_carries_closed_sessions_or_private_networks(world: World) -> None:
    _dated_world(world)
    response = Client().get("/knowledge/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = _events(response.content)
    assert _sessions_in(events) == {"a/open"}
    assert "meeting-a-7@cicnet" in events and "meeting-b-1@cicnet" not in events
    assert any(uid.startswith("eu-day-against-impunity-") for uid in events)
    # Logged in or not, the public feed is the public's.
    ncp = world.client("ncp").get("/knowledge/calendar.ics")
    assert _sessions_in(_events(ncp.content)) == {"a/open"}


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_private_feed_carries_exactly_what_its_owner_may_see(world: World, role: str) -> None:
    _dated_world(world)
    client = world.client(role)
    created = client.post("/knowledge/calendar/", {"label": "phone"})
    assert created.status_code == 200
    url = created.context["new_url"]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    # Only the hash is stored.
    assert not CalendarFeed.objects.filter(token_hash=token).exists()
    assert CalendarFeed.objects.filter(token_hash=CalendarFeed.hash_token(token)).exists()
    feed = Client().get(f"/knowledge/calendar/{token}.ics")  # a calendar program: no session
    assert feed.status_code == 200
    assert feed["Cache-Control"] == "private, no-store"
    events = _events(feed.content)
    assert _sessions_in(events) == SESSIONS_SEEN[role]
    assert ("meeting-b-1@cicnet" in events) == (role in {"other_network", "other_secretariat"})


def test_policy_sessions_visible_matches_the_matrix(world: World) -> None:
    for role in ROLES:
        qs = policy.sessions_visible(world.actors[role], Session.objects.all())
        seen = {f"{s.meeting.network.slug}/{s.kind}" for s in qs.select_related("meeting__network")}
        assert seen == SESSIONS_SEEN[role], role


def test_revoking_a_feed_and_losing_a_membership_take_effect_at_once(world: World) -> None:
    _dated_world(world)
    client = world.client("ncp")
    token = client.post("/knowledge/calendar/", {}).context["new_url"].rsplit("/", 1)[1][:-4]
    feed_url = f"/knowledge/calendar/{token}.ics"
    assert "a/closed" in _sessions_in(_events(Client().get(feed_url).content))
    Membership.objects.filter(person__user=world.users["ncp"]).update(is_active=False)
    after = Client().get(feed_url)
    assert _sessions_in(_events(after.content)) == {"a/open"}
    assert after["Cache-Control"] == "private, no-store"  # still a secret address
    feed = CalendarFeed.objects.get(user=world.users["ncp"])
    assert feed.last_used_at is not None
    # Someone else cannot revoke it (404, not revealed); its owner can, in one click.
    assert world.client("cso").post(f"/knowledge/calendar/{feed.pk}/revoke/").status_code == 404
    assert Client().get(feed_url).status_code == 200
    assert client.post(f"/knowledge/calendar/{feed.pk}/revoke/").status_code == 302
    assert Client().get(feed_url).status_code == 404
    assert Client().get("/knowledge/calendar/not-a-token.ics").status_code == 404


def test_feed_management_needs_a_login_and_checks_the_label(world: World) -> None:
    anonymous = Client().get("/knowledge/calendar/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert Client().post("/knowledge/calendar/", {}).status_code == 302
    assert CalendarFeed.objects.count() == 0
    too_long = world.client("cso").post("/knowledge/calendar/", {"label": "x" * 101})
    assert too_long.status_code == 400 and CalendarFeed.objects.count() == 0
    assert too_long.context["error"].startswith("label: at most 100 characters")
