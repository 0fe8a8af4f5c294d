"""API shapes of the knowledge app (/api/v1/knowledge/…)."""

from __future__ import annotations

from ninja import Schema


class SourceOut(Schema):
    title: str
    url: str
    publisher: str
    kind: str
    language: str


class FactOut(Schema):
    condition: str
    label: str
    recorded: bool  # false: no source states it ("not recorded"); value and text are then empty
    value: str = ""
    text: str = ""
    provision: str = ""
    caveat: str = ""
    sources: list[SourceOut] = []


class UnitOut(Schema):
    name: str
    name_original: str
    role: str
    text: str
    sources: list[SourceOut]


class ProvisionOut(Schema):
    key: str
    statute_original: str
    statute_english: str
    crime_category: str
    provisions: str
    rome_statute_articles: list[str]
    in_force_year: str
    universal_jurisdiction: str
    presence_required: str
    sources: list[str]


class YearCountOut(Schema):
    year: int | None
    total: int
    by_outcome: dict[str, int]


class DecisionCountsOut(Schema):
    total: int
    by_year: list[YearCountOut]
    by_jurisdiction_basis: dict[str, int]


class ContactPointOut(Schema):
    name: str
    role: str
    organisation: str
    email: str


class NetworkContactsOut(Schema):
    network: str
    organisations: list[str]
    contact_points_visible: bool
    contact_points: list[ContactPointOut]


class CountrySummaryOut(Schema):
    country: str
    conditions_recorded: int
    universal_jurisdiction: str | None
    presence_required: str | None
    provisions: int
    units: int
    decisions_visible: int


class CountryOut(Schema):
    country: str
    compiled: str | None
    facts: list[FactOut]
    units: list[UnitOut]
    provisions: list[ProvisionOut]
    decisions: DecisionCountsOut
    networks: list[NetworkContactsOut]


class GuideSectionOut(Schema):
    id: str
    heading: str
    paragraphs: list[str]


class GuideOut(Schema):
    slug: str
    lang: str
    dir: str
    title: str
    summary: str
    written_by: str
    author: str
    translated_from: str
    date: str
    reviewed_by: str
    reviewed_on: str | None
    authoritative: bool
    notice: str
    sections: list[GuideSectionOut]


class GuideListOut(Schema):
    slug: str
    title: str
    languages: list[str]
    missing_languages: list[str]


class PublicationOut(Schema):
    id: str
    title: str
    kind: str
    publisher: str
    date: str
    language: str
    url: str
    identifiers: dict[str, str]
    topics: list[str]
    description: str
    source: str
