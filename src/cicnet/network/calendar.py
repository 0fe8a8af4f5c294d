"""The calendar: upcoming meetings of the networks an actor may see, and the annual events
(``vocab/annual_events.yaml``, e.g. the EU Day Against Impunity on 23 May)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import resources

from cicnet.access import policy
from cicnet.network.models import Meeting
from cicnet.strict_yaml import load_yaml

DEFAULT_HORIZON_DAYS = 400


@dataclass(frozen=True)
class AnnualEvent:
    id: str
    label: str
    description: str
    month: int
    day: int
    since: int


@dataclass(frozen=True)
class CalendarEntry:
    start: dt.date
    end: dt.date
    title: str
    kind: str  # "meeting" or "event"
    network: str = ""  # network short name, for meetings
    url: str = ""
    description: str = ""


@cache
def annual_events() -> tuple[AnnualEvent, ...]:
    text = resources.files("cicnet.network").joinpath("vocab", "annual_events.yaml").read_text()
    out = []
    for e in load_yaml(text, source="cicnet/network/vocab/annual_events.yaml"):
        month, day = (int(p) for p in str(e["date"]).split("-"))
        out.append(
            AnnualEvent(
                id=str(e["id"]),
                label=str(e["label"]),
                description=str(e["description"]),
                month=month,
                day=day,
                since=int(e["since"]),
            )
        )
    return tuple(out)


def calendar_for(
    *, actor: policy.Actor, today: dt.date, horizon_days: int = DEFAULT_HORIZON_DAYS
) -> list[CalendarEntry]:
    """Meetings (visible to ``actor``) and annual events from ``today`` to the horizon."""
    until = today + dt.timedelta(days=horizon_days)
    meetings = policy.meetings_visible(
        actor, Meeting.objects.filter(end_date__gte=today, start_date__lte=until)
    ).select_related("network")
    entries = [
        CalendarEntry(
            start=m.start_date,
            end=m.end_date,
            title=m.title,
            kind="meeting",
            network=str(m.network),
            url=f"/network/{m.network.slug}/meetings/{m.number}/",
        )
        for m in meetings
    ]
    for event in annual_events():
        for year in range(today.year, until.year + 1):
            day = dt.date(year, event.month, event.day)
            if year >= event.since and today <= day <= until:
                entries.append(
                    CalendarEntry(
                        start=day,
                        end=day,
                        title=f"{event.label} {year}",
                        kind="event",
                        description=event.description,
                    )
                )
    return sorted(entries, key=lambda e: (e.start, e.title))
