"""API shapes of the knowledge app (/api/v1/knowledge/…)."""

from __future__ import annotations

from ninja import Schema


class KnowledgeSourceOut(Schema):
    title: str
    url: str
    publisher: str
    kind: str
    language: str


class KnowledgeFactOut(Schema):
    condition: str
    label: str
    recorded: bool  # false: no source states it ("not recorded"); value and text are then empty
    value: str = ""
    text: str = ""
    provision: str = ""
    caveat: str = ""
    sources: list[KnowledgeSourceOut] = []


class KnowledgeUnitOut(Schema):
    name: str
    name_original: str
    role: str
    text: str
    sources: list[KnowledgeSourceOut]


class KnowledgeProvisionOut(Schema):
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


class KnowledgeYearCountOut(Schema):
    year: int | None
    total: int
    by_outcome: dict[str, int]


class KnowledgeDecisionCountsOut(Schema):
    total: int
    by_year: list[KnowledgeYearCountOut]
    by_jurisdiction_basis: dict[str, int]


class KnowledgeContactPointOut(Schema):
    name: str
    role: str
    organisation: str
    email: str


class KnowledgeNetworkContactsOut(Schema):
    network: str
    organisations: list[str]
    contact_points_visible: bool
    contact_points: list[KnowledgeContactPointOut]


class KnowledgeCountrySummaryOut(Schema):
    country: str
    conditions_recorded: int
    universal_jurisdiction: str | None
    presence_required: str | None
    provisions: int
    units: int
    decisions_visible: int


class KnowledgeCountryOut(Schema):
    country: str
    compiled: str | None
    facts: list[KnowledgeFactOut]
    units: list[KnowledgeUnitOut]
    provisions: list[KnowledgeProvisionOut]
    decisions: KnowledgeDecisionCountsOut
    networks: list[KnowledgeNetworkContactsOut]


class KnowledgeGuideSectionOut(Schema):
    id: str
    heading: str
    paragraphs: list[str]


class KnowledgeGuideOut(Schema):
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
    sections: list[KnowledgeGuideSectionOut]


class KnowledgeGuideListOut(Schema):
    slug: str
    title: str
    languages: list[str]
    missing_languages: list[str]


class KnowledgePublicationOut(Schema):
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
