"""The calendar as an iCalendar feed (RFC 5545, written with the ``icalendar`` library;
docs/decisions/0155).

``calendar_feed(actor=…)`` holds the meetings and sessions the actor may know of (through
``policy.meetings_visible`` and ``policy.sessions_visible``) and the annual EU Day Against
Impunity. The public feed is the anonymous actor's: it never carries a closed session or a
meeting of a network that is not a public archive. Each event has a stable UID, so calendar
programs update an event instead of duplicating it.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event

from cicnet.access import policy
from cicnet.network.calendar import annual_events
from cicnet.network.models import Meeting, Session

# How far back a feed reaches: calendar programs keep past events they have seen, but a new
# subscriber should also see the recent meetings.
PAST_DAYS = 730
AHEAD_DAYS = 800
PRODID = "-//cicnet//knowledge calendar//EN"


def _event(
    *, uid: str, start: dt.date, end: dt.date, summary: str, url: str = "", description: str = ""
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", dt.datetime.now(dt.UTC))
    event.add("dtstart", start)
    event.add("dtend", end + dt.timedelta(days=1))  # all-day events end on the next day
    event.add("summary", summary)
    if url:
        event.add("url", url)
    if description:
        event.add("description", description)
    return event


def calendar_feed(
    *, actor: policy.Actor, today: dt.date, base_url: str, name: str = "cicnet"
) -> bytes:
    """The iCalendar file for ``actor``: visible meetings and sessions from ``PAST_DAYS`` ago to
    ``AHEAD_DAYS`` ahead, and the EU Day Against Impunity of those years."""
    since = today - dt.timedelta(days=PAST_DAYS)
    until = today + dt.timedelta(days=AHEAD_DAYS)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    meetings = policy.meetings_visible(
        actor, Meeting.objects.filter(end_date__gte=since, start_date__lte=until)
    ).select_related("network")
    for m in meetings.order_by("start_date", "pk"):
        cal.add_component(
            _event(
                uid=f"meeting-{m.network.slug}-{m.number}@cicnet",
                start=m.start_date,
                end=m.end_date,
                summary=f"{m.title} ({m.network.name})",
                url=f"{base_url}/network/{m.network.slug}/meetings/{m.number}/",
                description=f"Place: {m.place or 'not recorded'}.",
            )
        )
    sessions = policy.sessions_visible(
        actor,
        Session.objects.filter(date__isnull=False, date__gte=since, date__lte=until),
    ).select_related("meeting", "meeting__network")
    for s in sessions.order_by("date", "pk"):
        m = s.meeting
        cal.add_component(
            _event(
                uid=f"session-{m.network.slug}-{m.number}-{s.kind}@cicnet",
                start=s.date,  # type: ignore[arg-type]  # filtered to non-null above
                end=s.date,  # type: ignore[arg-type]
                summary=f"{s.get_kind_display()} · {m.title} ({m.network.name})",
                url=f"{base_url}/network/{m.network.slug}/meetings/{m.number}/",
            )
        )
    for event in annual_events():
        for year in range(since.year, until.year + 1):
            day = dt.date(year, event.month, event.day)
            if year >= event.since and since <= day <= until:
                cal.add_component(
                    _event(
                        uid=f"{event.id}-{year}@cicnet",
                        start=day,
                        end=day,
                        summary=f"{event.label} {year}",
                        url=f"{base_url}/knowledge/eu-day/",
                        description=event.description,
                    )
                )
    return bytes(cal.to_ical())
