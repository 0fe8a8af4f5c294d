"""The seed parser on the real saved Eurojust page: all 36 meetings, numbers and dates."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from cicnet.network.seed import SeedError, ordinal_word_value, seed_meetings, seed_meetings_parse


def test_real_page_has_exactly_36_meetings_numbered_36_to_1() -> None:
    meetings = seed_meetings()
    assert len(meetings) == 36
    assert [m.number for m in meetings] == list(range(36, 0, -1))


@pytest.mark.parametrize(
    ("number", "start", "end"),
    [
        (36, dt.date(2024, 11, 13), dt.date(2024, 11, 14)),
        (35, dt.date(2024, 4, 16), dt.date(2024, 4, 17)),
        (31, dt.date(2022, 4, 6), dt.date(2022, 4, 7)),
        (28, dt.date(2020, 11, 5), dt.date(2020, 11, 6)),
        (27, dt.date(2019, 11, 6), dt.date(2019, 11, 7)),
        (23, dt.date(2017, 10, 25), dt.date(2017, 10, 27)),  # three days
        (22, dt.date(2017, 3, 29), dt.date(2017, 3, 30)),  # "29th - 30th"
        (21, dt.date(2016, 10, 12), dt.date(2016, 10, 13)),  # en dash with spaces
        (20, dt.date(2016, 5, 24), dt.date(2016, 5, 25)),
        (8, dt.date(2010, 5, 27), dt.date(2010, 5, 28)),  # en dash without spaces
        (7, dt.date(2009, 12, 7), dt.date(2009, 12, 7)),  # one day
        (1, dt.date(2004, 11, 23), dt.date(2004, 11, 24)),
    ],
)
def test_numbers_and_dates(number: int, start: dt.date, end: dt.date) -> None:
    meeting = {m.number: m for m in seed_meetings()}[number]
    assert (meeting.start_date, meeting.end_date) == (start, end)


def test_dates_descend_and_every_meeting_has_topics() -> None:
    meetings = seed_meetings()
    assert all(a.start_date > b.start_date for a, b in itertools.pairwise(meetings))
    assert all(m.topics for m in meetings)
    first = {m.number: m for m in meetings}[1]
    assert first.topics == (
        "The ICC and Member States \u2013 complementarity in practice",
        "National experiences with the prosecution of war crimes, genocide and crimes against "
        "humanity",
    )
    assert len({m.number: m for m in meetings}[36].topics) == 9


def test_conclusions_unavailable_and_formats_read_from_the_page() -> None:
    by_number = {m.number: m for m in seed_meetings()}
    assert [n for n, m in by_number.items() if not m.conclusions_available] == [7]
    assert by_number[30].meeting_format == by_number[31].meeting_format == "hybrid"
    assert by_number[28].meeting_format == by_number[29].meeting_format == "online"
    assert by_number[36].meeting_format == ""  # not stated: left unknown


def test_topics_stop_at_the_next_section() -> None:
    last = seed_meetings()[-1]
    assert not any("EU Day Against Impunity" in t for t in last.topics)


def test_ordinal_words() -> None:
    assert ordinal_word_value("Twenty-seventh") == 27
    assert ordinal_word_value("Ninth") == 9
    assert ordinal_word_value("Twentieth") == 20
    assert ordinal_word_value("Umpteenth") is None


def test_unreadable_heading_fails_loudly_naming_the_line() -> None:
    text = "Intro\n\nUmpteenth meeting of the Genocide Network, 1-2 May 2020 | Conclusions\n"
    with pytest.raises(SeedError, match="line 3: cannot read the meeting number"):
        seed_meetings_parse(text)
    with pytest.raises(SeedError, match="line 1: cannot read the date"):
        seed_meetings_parse("5th Genocide Network meeting, sometime in 2020 | Conclusions")
