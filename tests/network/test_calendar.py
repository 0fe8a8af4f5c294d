"""The calendar: upcoming visible meetings and the EU Day Against Impunity."""

from __future__ import annotations

import datetime as dt

from cicnet.network.calendar import annual_events, calendar_for

from .conftest import World
from .factories import MeetingFactory


def test_eu_day_against_impunity_on_23_may_each_year_since_2016(world: World) -> None:
    (event,) = annual_events()
    assert (event.month, event.day, event.since) == (5, 23, 2016)
    entries = calendar_for(actor=world.actors["anonymous"], today=dt.date(2026, 1, 10))
    days = [e for e in entries if e.kind == "event"]
    assert [(e.start, e.title) for e in days] == [
        (dt.date(2026, 5, 23), "EU Day Against Impunity 2026")
    ]
    assert (
        calendar_for(actor=world.actors["anonymous"], today=dt.date(2015, 1, 1), horizon_days=300)
        == []
    )


def test_upcoming_meetings_of_private_networks_only_for_their_members(world: World) -> None:
    MeetingFactory(
        network=world.a, number=50, start_date=dt.date(2026, 3, 1), end_date=dt.date(2026, 3, 2)
    )
    MeetingFactory(
        network=world.b, number=51, start_date=dt.date(2026, 4, 1), end_date=dt.date(2026, 4, 1)
    )
    today = dt.date(2026, 1, 10)
    public = [e.url for e in calendar_for(actor=world.actors["anonymous"], today=today) if e.url]
    assert public == ["/network/a/meetings/50/"]
    member_b = calendar_for(actor=world.actors["other_network"], today=today)
    assert [e.url for e in member_b if e.url] == [
        "/network/a/meetings/50/",
        "/network/b/meetings/51/",
    ]


def test_calendar_page(world: World) -> None:
    response = world.client("anonymous").get("/network/calendar/")
    assert response.status_code == 200
    assert b"EU Day Against Impunity" in response.content
