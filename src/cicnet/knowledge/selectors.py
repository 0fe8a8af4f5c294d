"""Reads of the knowledge pages: a country's universal-jurisdiction profile, the comparison of
countries, and the counts behind them.

The legal facts (``jurisdiction.py``) and the national provisions (``law/``) are public and the
same for everyone. Everything drawn from the database goes through the policy: decisions and
their counts through ``jurisprudence.listing.decisions_filtered`` (``policy.decisions_visible``),
networks, organisations and contact points through the network selectors
(``policy.networks_visible``, ``policy.memberships_visible``), so each role sees only its counts
and its contacts.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count

from cicnet.access import policy
from cicnet.errors import UserInputError
from cicnet.jurisprudence.listing import DecisionFilters, decisions_filtered
from cicnet.knowledge.catalogue import ConclusionsLink, conclusions_links
from cicnet.knowledge.jurisdiction import CountryJurisdiction, Fact, conditions, jurisdiction_data
from cicnet.law.crimes import rome_statute_articles
from cicnet.law.provisions import NationalProvision, national_provisions
from cicnet.vocabularies import vocabulary

if TYPE_CHECKING:
    from cicnet.jurisprudence.models import Decision
    from cicnet.knowledge.models import CalendarFeed
    from cicnet.network.models import Membership, Network, Organisation

MAX_COMPARE = 6
RECENT_DECISIONS = 10
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")


class CountryError(UserInputError):
    """A country code the caller can fix."""


def known_countries() -> list[str]:
    """Countries with national provisions or sourced conditions, sorted by code."""
    codes = {p.country for p in national_provisions()} | set(jurisdiction_data().countries)
    return sorted(codes)


def sourced_countries() -> list[str]:
    """Countries whose conditions of universal jurisdiction are recorded with sources."""
    return sorted(jurisdiction_data().countries)


def parse_country(value: str, *, parameter: str = "country") -> str:
    """An ISO 3166-1 alpha-2 code, upper-cased; ``CountryError`` naming ``parameter`` else."""
    if not _COUNTRY.match(value or ""):
        raise CountryError(
            f"{parameter}: {value!r} is not an ISO 3166-1 alpha-2 country code; use two "
            "letters such as DE or NL.",
            field=parameter,
        )
    return value.upper()


@dataclass(frozen=True)
class FactRow:
    """One condition of one country: the recorded fact, or ``fact=None`` (not recorded)."""

    condition: str
    label: str
    description: str
    fact: Fact | None


@dataclass(frozen=True)
class ProvisionLine:
    provision: NationalProvision
    articles: tuple[tuple[str, str], ...]  # (Rome Statute article number, its name)


@dataclass
class YearRow:
    year: int | None
    by_outcome: dict[str, int]
    total: int
    cells: list[int] = field(default_factory=list)  # counts in the order of the outcomes


@dataclass
class DecisionCounts:
    """Decisions from one country that the actor may see, by year and outcome."""

    total: int = 0
    outcomes: list[tuple[str, str]] = field(default_factory=list)  # (id, label) in use
    years: list[YearRow] = field(default_factory=list)
    by_basis: list[tuple[str, str, int]] = field(default_factory=list)  # (id, label, count)


@dataclass(frozen=True)
class NetworkContacts:
    network: Network
    organisations: list[Organisation]
    contact_points: list[Membership]
    may_see_people: bool


@dataclass
class CountryProfile:
    country: str
    jurisdiction: CountryJurisdiction | None
    facts: list[FactRow]
    provisions: list[ProvisionLine]
    counts: DecisionCounts
    recent: list[Decision]
    networks: list[NetworkContacts]

    @property
    def recorded(self) -> int:
        return sum(1 for row in self.facts if row.fact is not None)


def _fact_rows(jurisdiction: CountryJurisdiction | None) -> list[FactRow]:
    return [
        FactRow(cid, label, desc, jurisdiction.fact(cid) if jurisdiction else None)
        for cid, label, desc in conditions()
    ]


def _provision_lines(country: str) -> list[ProvisionLine]:
    articles = rome_statute_articles()
    out = []
    for p in national_provisions():
        if p.country != country:
            continue
        refs = []
        for ref in p.rome_statute_articles:
            number = ref.split("(")[0].strip()
            name = articles[number].name if number in articles else ""
            refs.append((ref, name))
        out.append(ProvisionLine(p, tuple(refs)))
    return out


def decision_counts(*, actor: policy.Actor, country: str) -> DecisionCounts:
    """Counts of the decisions ``actor`` may see from ``country`` (two grouped queries)."""
    qs = decisions_filtered(actor=actor, filters=DecisionFilters(country=(country,))).order_by()
    outcome_vocab = vocabulary("jurisprudence", "outcomes")
    rows = qs.values_list("decision_date__year", "outcome").annotate(n=Count("pk"))
    by_year: dict[int | None, dict[str, int]] = defaultdict(dict)
    used: set[str] = set()
    for year, outcome, n in rows:
        by_year[year][str(outcome)] = by_year[year].get(str(outcome), 0) + int(n)
        used.add(str(outcome))
    years = [
        YearRow(year=y, by_outcome=by_year[y], total=sum(by_year[y].values()))
        for y in sorted(by_year, key=lambda y: (y is None, -(y or 0)))
    ]
    basis_vocab = vocabulary("jurisprudence", "jurisdiction_bases")
    basis_rows = qs.values_list("jurisdiction_basis").annotate(n=Count("pk"))
    by_basis = sorted(
        ((str(b), basis_vocab.label(str(b)) if b else "Not stated", int(n)) for b, n in basis_rows),
        key=lambda r: -r[2],
    )
    outcomes = [(t.id, t.label) for t in outcome_vocab if t.id in used]
    for row in years:
        row.cells = [row.by_outcome.get(oid, 0) for oid, _ in outcomes]
    return DecisionCounts(
        total=sum(r.total for r in years),
        outcomes=outcomes,
        years=years,
        by_basis=by_basis,
    )


def decision_totals(*, actor: policy.Actor) -> dict[str, int]:
    """Decisions per country that ``actor`` may see (one grouped query)."""
    qs = decisions_filtered(actor=actor, filters=DecisionFilters()).order_by()
    return {str(c): int(n) for c, n in qs.values_list("country").annotate(n=Count("pk"))}


def _network_contacts(actor: policy.Actor, country: str) -> list[NetworkContacts]:
    from cicnet.network import selectors as network_selectors

    out = []
    for network in network_selectors.networks_for(actor=actor).order_by("name"):
        organisations = list(
            network_selectors.organisations_for(actor=actor, network=network, country=country)
        )
        if not organisations:
            continue
        may_see = policy.can_view_person_details(actor, network_id=network.pk)
        people = (
            list(network_selectors.people_for(actor=actor, network=network, country=country))
            if may_see
            else []
        )
        out.append(NetworkContacts(network, organisations, people, may_see))
    return out


def country_profile(*, actor: policy.Actor, country: str) -> CountryProfile | None:
    """The profile of ``country`` (an upper-case code), or ``None`` when cicnet records nothing
    about it."""
    if country not in known_countries():
        return None
    jurisdiction = jurisdiction_data().countries.get(country)
    recent = list(
        decisions_filtered(actor=actor, filters=DecisionFilters(country=(country,))).order_by(
            "-decision_date", "uid"
        )[:RECENT_DECISIONS]
    )
    return CountryProfile(
        country=country,
        jurisdiction=jurisdiction,
        facts=_fact_rows(jurisdiction),
        provisions=_provision_lines(country),
        counts=decision_counts(actor=actor, country=country),
        recent=recent,
        networks=_network_contacts(actor, country),
    )


@dataclass(frozen=True)
class CountrySummary:
    country: str
    recorded: int  # conditions with a sourced fact
    universal_jurisdiction: Fact | None
    presence_required: Fact | None
    provisions: int
    units: int
    decisions: int


def countries_index(*, actor: policy.Actor) -> list[CountrySummary]:
    """Every known country with what cicnet records about it and the decisions the actor may
    see."""
    data = jurisdiction_data().countries
    totals = decision_totals(actor=actor)
    provisions: dict[str, int] = defaultdict(int)
    for p in national_provisions():
        provisions[p.country] += 1
    out = []
    for code in known_countries():
        j = data.get(code)
        out.append(
            CountrySummary(
                country=code,
                recorded=len(j.facts) if j else 0,
                universal_jurisdiction=j.fact("universal_jurisdiction") if j else None,
                presence_required=j.fact("presence_required") if j else None,
                provisions=provisions[code],
                units=len(j.units) if j else 0,
                decisions=totals.get(code, 0),
            )
        )
    return out


@dataclass
class Comparison:
    countries: list[str]
    rows: list[tuple[str, str, list[Fact | None]]]  # (condition, label, fact per country)
    units: list[list[str]]
    provisions: list[list[ProvisionLine]]
    decisions: list[int]


def countries_compare(*, actor: policy.Actor, countries: list[str]) -> Comparison:
    """Side by side: the conditions, units, provisions and visible decisions of up to
    ``MAX_COMPARE`` countries. Raises ``CountryError`` naming the ``c`` parameter."""
    codes = list(dict.fromkeys(parse_country(c, parameter="c") for c in countries))
    if len(codes) < 2:
        raise CountryError("c: choose at least two countries to compare (c=DE&c=NL).", field="c")
    if len(codes) > MAX_COMPARE:
        raise CountryError(f"c: compare at most {MAX_COMPARE} countries at a time.", field="c")
    known = set(known_countries())
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise CountryError(
            f"c: cicnet records nothing about {', '.join(unknown)}; choose among "
            f"{', '.join(sorted(known))}.",
            field="c",
        )
    data = jurisdiction_data().countries
    totals = decision_totals(actor=actor)
    rows = [
        (cid, label, [data[c].fact(cid) if c in data else None for c in codes])
        for cid, label, _ in conditions()
    ]
    return Comparison(
        countries=codes,
        rows=rows,
        units=[[u.name for u in data[c].units] if c in data else [] for c in codes],
        provisions=[_provision_lines(c) for c in codes],
        decisions=[totals.get(c, 0) for c in codes],
    )


def calendar_feeds_of(*, actor: policy.Actor) -> list[CalendarFeed]:
    """The actor's own private calendar feeds (nobody sees another's)."""
    from cicnet.knowledge.models import CalendarFeed

    if actor.user_id is None:
        return []
    return list(CalendarFeed.objects.filter(user_id=actor.user_id))


@dataclass(frozen=True)
class ConclusionsRow:
    number: int
    title: str
    start_date: object
    end_date: object
    available: bool
    link: ConclusionsLink | None


@dataclass(frozen=True)
class ConclusionsPage:
    network: Network | None  # None: the actor may not know of the network (or it is not loaded)
    rows: list[ConclusionsRow]
    listing_url: str
    listing_title: str


def conclusions_page(*, actor: policy.Actor) -> ConclusionsPage:
    """The meetings of the network named in ``data/conclusions.yaml`` that the actor may see
    (through the network selectors), each with whether its conclusions were published and their
    public address where a source records it."""
    from cicnet.network import selectors as network_selectors

    data = conclusions_links()
    network = network_selectors.network_get(actor=actor, slug=data.network)
    rows = []
    if network is not None:
        for m in network_selectors.meetings_for(actor=actor, network=network):
            rows.append(
                ConclusionsRow(
                    number=m.number,
                    title=m.title,
                    start_date=m.start_date,
                    end_date=m.end_date,
                    available=m.conclusions_available,
                    link=data.links.get(m.number),
                )
            )
    return ConclusionsPage(network, rows, data.listing_url, data.listing_title)
