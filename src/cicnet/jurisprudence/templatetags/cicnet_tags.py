"""Template helpers for the reader and search pages: vocabulary labels, crimes, provisions,
countries and languages."""

from __future__ import annotations

from django import template

from cicnet.jurisprudence.citation import Citable, cite
from cicnet.law.crimes import GROUPS, Article, Crime, crime, rome_statute_articles
from cicnet.law.provisions import NationalProvision, provision
from cicnet.search.labels import facet_label
from cicnet.vocabularies import vocabulary

register = template.Library()


@register.filter
def country_name(code: str) -> str:
    """ISO 3166 name of a country code (pycountry, via the search labels)."""
    return facet_label("country", (code or "").upper()) if code else ""


@register.filter
def language_label(code: str) -> str:
    """English name of an ISO 639-1 code."""
    return facet_label("language", (code or "").lower()) if code else ""


@register.filter
def vocab_label(value: str, name: str) -> str:
    """``{{ decision.outcome|vocab_label:"outcomes" }}``."""
    return vocabulary("jurisprudence", name).label(value)


@register.filter
def vocab_description(value: str, name: str) -> str:
    term = vocabulary("jurisprudence", name).get(value)
    return term.description if term else ""


@register.filter
def crime_info(crime_id: str) -> Crime | None:
    return crime(crime_id)


@register.filter
def crime_group_label(group: str) -> str:
    return GROUPS.get(group, group)


@register.filter
def rome_article(number: str) -> Article | None:
    return rome_statute_articles().get(number) if number else None


@register.filter
def national_provision(key: str) -> NationalProvision | None:
    return provision(key) if key else None


@register.filter
def yes_no_unknown(value: bool | None) -> str:
    return "Not stated" if value is None else ("Yes" if value else "No")


@register.filter
def cite_paragraph(decision: Citable, number: int) -> str:
    """``{{ decision|cite_paragraph:p.number }}``: the citation pointing at that paragraph."""
    return cite(decision, paragraph=number)
