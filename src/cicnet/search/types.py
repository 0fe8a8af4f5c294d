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
# hybrid: words and meaning, fused (reciprocal rank fusion); lexical: exact words only (with
# their forms); semantic: meaning only. docs/decisions/0133.
Mode = Literal["hybrid", "lexical", "semantic"]
MODES: tuple[str, ...] = ("hybrid", "lexical", "semantic")


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
    snippets: bool = True  # False: hits without snippets (a ranking the service fuses)
    # Which facets to count (None: all of FACETS); with_facets=False counts none.
    facets: tuple[str, ...] | None = None
    mode: Mode = "lexical"  # the URL parser and the API default to "hybrid"
    # Set by the service layer for semantic search; backends apply them inside the scope:
    only_uids: tuple[str, ...] | None = None  # restrict to these decisions
    extra_uids: tuple[str, ...] = ()  # these decisions match as if the words matched
    match_words: bool = True  # False: the words of q match everything (fields still apply)


@dataclass(frozen=True)
class Snippet:
    language: str
    paragraph: int  # paragraph number
    html: str  # escaped text with <mark>…</mark> around matches
    # "paragraph", or "summary" for a match in the decision's summary (decisions without full
    # text); a summary snippet has paragraph 0 and the anchor "summary"; "semantic" for the
    # paragraph closest in meaning to the query (in its own language, words not marked).
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
    # How it matched: "words" (lexical), "meaning" (semantic), both; the languages of the
    # paragraphs that matched; whether its texts have vectors yet (None: not asked).
    matched: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    embedded: bool | None = None
    has_text: str = ""  # "yes", "excerpt" or "no" (the has_text facet's value)

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
    mode: str = "lexical"  # the mode that ran ("lexical" when semantic search is off)
    # Of ``count``, the decisions found by meaning alone (none of the query's words): what a
    # reader must not take for word matches ("22 decisions, 19 by meaning only").
    meaning_only: int = 0


def facet_names(params: SearchParams) -> tuple[str, ...]:
    """The facets a search counts, in display order."""
    if not params.with_facets:
        return ()
    if params.facets is None:
        return FACETS
    return tuple(n for n in FACETS if n in params.facets)
