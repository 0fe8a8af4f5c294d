"""Parse the Genocide Network's meeting list from the saved Eurojust page (``data/``).

``seed_meetings_parse(text)`` returns one ``SeedMeeting`` per meeting heading, newest first as on
the page; ``seed_meetings()`` parses the copy shipped in ``network/data/`` (see its NOTICE.md).

Assumptions about the text, checked by tests/network/test_seed.py on the real file:

- A meeting starts with a heading line that contains ``meeting`` and a ``|`` separating it from
  the word ``Conclusions`` (``| Conclusions unavailable`` marks a meeting without published
  conclusions). Two heading styles occur: ``36th Genocide Network meeting, 13-14 November 2024``
  (number in digits with an ordinal suffix) and ``Twenty-seventh meeting of the Genocide
  Network, 6-7 November 2019`` (number as an English ordinal word, up to "thirty-ninth").
- The date follows the last comma before ``|``: a first day, optionally a last day, then one
  month name and a four-digit year. Days may carry ordinal suffixes (``24th``) and the range
  separator may be a hyphen, an en dash or either surrounded by spaces (``29th - 30th``,
  ``12th \u2013 13th``, ``27th\u201328th``). Both days are in the same month and year (true
  for all 36); a single day (``7th December 2009``) is a one-day meeting.
- Every following line that starts with a bullet (``•``) is one topic, in order, until the
  next line that is neither blank nor a bullet. Topics are kept verbatim (typos included:
  they are the source's words).
- The format is not stated as a field: a topic reading "... hybrid meeting ..." marks the
  meeting as hybrid and "... video conference meeting ..." as held by videoconference; every
  other meeting's format is left unknown rather than guessed. Place and presidency are not on
  the page and are left empty.

A heading that matches the meeting pattern but whose number or date cannot be read raises
``SeedError`` naming the line, so a changed page fails loudly instead of loading half a list.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from importlib import resources

SEED_FILE = "genocide-network-eurojust-page.txt"
# Shown on pages as the meetings' source: in words, never a path inside the repository.
SEED_SOURCE = (
    "Eurojust's public web page on the Genocide Network (eurojust.europa.eu), "
    "© Eurojust, reproduced with acknowledgement"
)

_MONTHS = {
    name: i
    for i, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
_UNITS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
}
_TEENS = {
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
}
_TENS = {"twenty": 20, "thirty": 30}

_HEADING = re.compile(r"^(?P<head>[^|•]*\bmeeting\b[^|]*),(?P<date>[^,|]+)\|\s*(?P<tail>.*)$")
_NUMBER_DIGITS = re.compile(r"^\s*(?P<n>\d+)(?:st|nd|rd|th)\b", re.IGNORECASE)
_NUMBER_WORDS = re.compile(r"^\s*(?P<w>[A-Za-z]+(?:-[A-Za-z]+)?)\s+meeting\b", re.IGNORECASE)
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_DATE = re.compile(
    rf"^\s*{_DAY}(?:\s*[-\u2013]\s*{_DAY})?\s+(?P<month>[A-Za-z]+)\s+(?P<year>\d{{4}})\s*$"
)
_BULLET = "•"


class SeedError(ValueError):
    """The seed text does not have the shape the parser documents; the message names the line."""


@dataclass(frozen=True)
class SeedMeeting:
    number: int
    start_date: dt.date
    end_date: dt.date
    heading: str
    topics: tuple[str, ...] = field(default_factory=tuple)
    conclusions_available: bool = True
    meeting_format: str = ""  # "", "hybrid" or "online"

    @property
    def title(self) -> str:
        return f"{_ordinal(self.number)} Genocide Network meeting"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def ordinal_word_value(word: str) -> int | None:
    """``Twenty-seventh`` → 27, ``Ninth`` → 9; ``None`` for anything else."""
    w = word.lower()
    if w in _UNITS:
        return _UNITS[w]
    if w in _TEENS:
        return _TEENS[w]
    tens, _, unit = w.partition("-")
    if tens in _TENS and unit in _UNITS:
        return _TENS[tens] + _UNITS[unit]
    return None


def _number(head: str, line_no: int) -> int:
    m = _NUMBER_DIGITS.match(head)
    if m:
        return int(m.group("n"))
    m = _NUMBER_WORDS.match(head)
    value = ordinal_word_value(m.group("w")) if m else None
    if value is None:
        raise SeedError(f"line {line_no}: cannot read the meeting number in {head.strip()!r}")
    return value


def _dates(text: str, line_no: int) -> tuple[dt.date, dt.date]:
    m = _DATE.match(text)
    month = _MONTHS.get(m.group("month").lower()) if m else None
    if m is None or month is None:
        raise SeedError(f"line {line_no}: cannot read the date in {text.strip()!r}")
    year = int(m.group("year"))
    first = int(m.group(1))
    last = int(m.group(2)) if m.group(2) else first
    try:
        return dt.date(year, month, first), dt.date(year, month, last)
    except ValueError as exc:
        raise SeedError(f"line {line_no}: impossible date {text.strip()!r}: {exc}") from exc


def _format(topics: list[str]) -> str:
    joined = " ".join(topics).lower()
    if "hybrid meeting" in joined:
        return "hybrid"
    if "video conference meeting" in joined or "videoconference meeting" in joined:
        return "online"
    return ""


def seed_meetings_parse(text: str) -> list[SeedMeeting]:
    """Every meeting in ``text`` in page order (see the module docstring for the assumptions)."""
    meetings: list[SeedMeeting] = []
    current: dict[str, object] | None = None
    topics: list[str] = []

    def close() -> None:
        if current is not None:
            meetings.append(
                SeedMeeting(
                    **current,  # type: ignore[arg-type]  # keys match the dataclass fields
                    topics=tuple(topics),
                    meeting_format=_format(topics),
                )
            )

    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        heading = _HEADING.match(line)
        if heading and "conclusions" in heading.group("tail").lower():
            close()
            start, end = _dates(heading.group("date"), line_no)
            current = {
                "number": _number(heading.group("head"), line_no),
                "start_date": start,
                "end_date": end,
                "heading": line,
                "conclusions_available": "unavailable" not in heading.group("tail").lower(),
            }
            topics = []
        elif current is not None and line.startswith(_BULLET):
            topics.append(line.lstrip(_BULLET).strip())
        elif current is not None and line:
            close()
            current, topics = None, []
    close()
    return meetings


def seed_text() -> str:
    return resources.files("cicnet.network").joinpath("data", SEED_FILE).read_text("utf-8")


def seed_meetings() -> list[SeedMeeting]:
    """The meetings of the shipped seed page."""
    return seed_meetings_parse(seed_text())
