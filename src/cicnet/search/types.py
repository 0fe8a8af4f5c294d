"""The search contract shared by every backend, the service layer, the HTML views and the API.

A query runs at paragraph level and rolls up to decisions: a hit is a decision with the
snippets of its best-matching paragraphs. Access is applied by the service layer from
``access.policy.decision_scope(actor)`` and passed to the backend as ``scope``; a backend never
returns, counts or snippets anything outside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from cicnet.errors import UserInputError

# Facet names, in display order. Values are ids from the vocabularies where one exists.
FACETS: tuple[str, ...] = (
    "country",  # ISO 3166-1 alpha-2
    "court",  # court vocabulary id, labelled with its English name
    "year",  # decision year (range filter via year_from / year_to)
    "crime_group",  # genocide, crimes_against_humanity, war_crimes, aggression, terrorism, other
    "crime",  # crime id from law/crimes.py, e.g. 7(1)(f)
    "provision",  # national provision key from law/provisions.py, e.g. DE:2
    "situation",  # where the crimes happened
    "outcome",  # outcomes vocabulary
    "instance",  # instances vocabulary
    "language",  # languages of the texts (ISO 639-1)
    "terrorism",  # "yes" / "no": terrorism offences charged cumulatively
    "has_text",  # "yes": a complete judgment; "excerpt": only parts of one; "no": no text
)
HAS_TEXT_VALUES: tuple[str, ...] = ("yes", "excerpt", "no")

Sort = Literal["relevance", "date_desc", "date_asc"]


class QueryError(UserInputError):
    """A query the user can fix; the message says what is wrong and names the parameter."""

    def __init__(self, message: str, *, parameter: str = "q") -> None:
        super().__init__(message, field=parameter)

    @property
    def parameter(self) -> str:
        return self.field


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(
        default_factory=dict
    )  # facet name -> values (OR within a facet, AND across)
    year_from: int | None = None
    year_to: int | None = None
    sort: Sort = "relevance"
    page: int = 1
    page_size: int = 20
    decision_uid: str | None = None  # search within one decision
    with_facets: bool = True


@dataclass(frozen=True)
class Snippet:
    language: str
    paragraph: int  # paragraph number
    html: str  # escaped text with <mark>…</mark> around matches
    # "paragraph", or "summary" for a match in the decision's summary (decisions without full
    # text); a summary snippet has paragraph 0 and the anchor "summary".
    source: str = "paragraph"

    @property
    def anchor(self) -> str:
        if self.source == "summary":
            return "summary"
        return f"{self.language}-p{self.paragraph}"


@dataclass(frozen=True)
class Hit:
    uid: str
    title: str
    court: str
    country: str
    decision_date: str | None  # ISO date; a year-only date is 1 January here: show date_display
    score: float
    snippets: tuple[Snippet, ...] = ()
    date_display: str = ""  # the date as precise as the source gave it
    case_name: str = ""

    @property
    def url(self) -> str:
        return f"/decisions/{self.uid}/"


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class SearchPage:
    count: int  # number of matching decisions visible to the actor
    hits: tuple[Hit, ...]
    facets: dict[str, tuple[FacetValue, ...]]
    page: int
    page_size: int
