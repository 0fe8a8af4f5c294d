"""Dates, times and slugs as people read them: the one formatter behind every page.

A template library registered as a builtin (settings ``TEMPLATES``), so every template has
``|human_date`` and ``|slug_words`` without a ``load``. ``human_date`` turns a date, a datetime
or an ISO 8601 string into '13 January 2022' or '6 December 2026, 21:16 UTC' (in the site's
time zone), so no page shows '2026-12-06T21:16:05' or '2026-12-06 21:16'; the audit log's
formatter calls it too. API and export payloads keep ISO 8601, which programs read.
"""

from __future__ import annotations

import datetime as dt
import re

from django import template
from django.utils import timezone

register = template.Library()

_ISO = re.compile(r"^\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?$")


def looks_iso(text: str) -> bool:
    """Whether ``text`` is an ISO 8601 date or date-time (as JSON snapshots store them)."""
    return bool(_ISO.match(text))


def human_date(value: dt.datetime | dt.date | str | None, *, seconds: bool = False) -> str:
    """'13 January 2022' for a date, '6 December 2026, 21:16 UTC' for a time (with
    ``seconds``: '21:16:05 UTC'). An ISO string is parsed first; other text is returned as
    given, so a free-text date ('spring 2011') is never mangled."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        if not looks_iso(value):
            return value
        try:
            parsed: dt.date = (
                dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
                if len(value) > 10
                else dt.date.fromisoformat(value)
            )
        except ValueError:
            return value
        value = parsed
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        clock = f"{local:%H:%M:%S}" if seconds else f"{local:%H:%M}"
        zone = local.tzname() if timezone.is_aware(value) else ""
        return f"{local.day} {local:%B %Y}, {clock}" + (f" {zone}" if zone else "")
    return f"{value.day} {value:%B %Y}"


@register.filter(name="human_date")
def human_date_filter(value: dt.datetime | dt.date | str | None, arg: str = "") -> str:
    """``{{ value|human_date }}``, or ``|human_date:"seconds"`` for the logs."""
    return human_date(value, seconds=arg == "seconds")


@register.filter
def slug_words(value: str) -> str:
    """A slug shown as words: 'mutual-legal-assistance' reads 'mutual legal assistance'."""
    return str(value).replace("-", " ").replace("_", " ")
