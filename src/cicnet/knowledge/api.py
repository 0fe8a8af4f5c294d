"""JSON API of the knowledge app (mounted under /api/v1/ by config/api.py): universal
jurisdiction by country, the survivors' guides and the publications, read through the same
selectors as the pages (decision counts and contact points through the policy)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja import Path as PathParam
from ninja.responses import Status

from cicnet.accounts.api_auth import request_api_actor
from cicnet.errors import UserInputError
from cicnet.jurisprudence.schemas import ErrorOut
from cicnet.knowledge import catalogue, guides, selectors
from cicnet.knowledge.jurisdiction import Fact, Source
from cicnet.knowledge.schemas import (
    KnowledgeCountryOut,
    KnowledgeCountrySummaryOut,
    KnowledgeGuideListOut,
    KnowledgeGuideOut,
    KnowledgePublicationOut,
)
from cicnet.vocabularies import vocabulary

router = Router(tags=["knowledge"])

_ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 429: ErrorOut}
# ninja's Path() is a function typed as the class (as in network/api.py)
_COUNTRY = PathParam(  # type: ignore[type-arg]
    ..., max_length=10, description="ISO 3166-1 alpha-2 country code, e.g. DE."
)
_GUIDE = PathParam(  # type: ignore[type-arg]
    ..., max_length=100, description="The guide's slug, e.g. seeking-justice."
)
_NOTE = (
    " The legal facts are public and the same for everyone; decision counts are those the "
    "caller may see, and contact points appear only for members who may see them."
)


def _source(s: Source) -> dict[str, str]:
    return {
        "title": s.title,
        "url": s.url,
        "publisher": s.publisher,
        "kind": s.kind,
        "language": s.language,
    }


def _fact(condition: str, label: str, fact: Fact | None) -> dict[str, Any]:
    if fact is None:
        return {"condition": condition, "label": label, "recorded": False}
    return {
        "condition": condition,
        "label": label,
        "recorded": True,
        "value": fact.value,
        "text": fact.text,
        "provision": fact.provision,
        "caveat": fact.caveat,
        "sources": [_source(s) for s in fact.sources],
    }


@router.get(
    "/knowledge/countries",
    response={200: list[KnowledgeCountrySummaryOut], **_ERRORS},
    summary="Universal jurisdiction: every country cicnet records",
    description="Per country: conditions recorded with a source, the universal-jurisdiction and "
    "presence answers (null: not recorded), provisions, specialised units and the decisions the "
    "caller may see." + _NOTE,
)
def countries(request: HttpRequest) -> Any:
    actor = request_api_actor(request)
    return [
        {
            "country": r.country,
            "conditions_recorded": r.recorded,
            "universal_jurisdiction": r.universal_jurisdiction.value
            if r.universal_jurisdiction
            else None,
            "presence_required": r.presence_required.value if r.presence_required else None,
            "provisions": r.provisions,
            "units": r.units,
            "decisions_visible": r.decisions,
        }
        for r in selectors.countries_index(actor=actor)
    ]


@router.get(
    "/knowledge/countries/{country}",
    response={200: KnowledgeCountryOut, **_ERRORS},
    summary="Universal jurisdiction in one country",
    description="The conditions (each with its sources, or recorded=false), the specialised "
    "units, the national provisions with their Rome Statute articles, the decisions the caller "
    "may see by year and outcome, and the networks' authorities and contact points." + _NOTE,
)
def country(request: HttpRequest, country: str = _COUNTRY) -> Any:
    actor = request_api_actor(request)
    try:
        code = selectors.parse_country(country)
    except UserInputError as exc:
        return Status(400, {"detail": exc.message, "parameter": "country"})
    p = selectors.country_profile(actor=actor, country=code)
    if p is None:
        return Status(
            404, {"detail": f"cicnet records nothing about {code}.", "parameter": "country"}
        )
    basis = {b: n for b, _, n in p.counts.by_basis}
    return {
        "country": p.country,
        "compiled": p.jurisdiction.compiled.isoformat() if p.jurisdiction else None,
        "facts": [_fact(r.condition, r.label, r.fact) for r in p.facts],
        "units": [
            {
                "name": u.name,
                "name_original": u.name_original,
                "role": u.role,
                "text": u.text,
                "sources": [_source(s) for s in u.sources],
            }
            for u in (p.jurisdiction.units if p.jurisdiction else ())
        ],
        "provisions": [
            {
                "key": line.provision.key,
                "statute_original": line.provision.statute_original,
                "statute_english": line.provision.statute_english,
                "crime_category": line.provision.crime_category,
                "provisions": line.provision.provisions,
                "rome_statute_articles": list(line.provision.rome_statute_articles),
                "in_force_year": line.provision.in_force_year,
                "universal_jurisdiction": line.provision.universal_jurisdiction,
                "presence_required": line.provision.presence_required,
                "sources": list(line.provision.sources),
            }
            for line in p.provisions
        ],
        "decisions": {
            "total": p.counts.total,
            "by_year": [
                {"year": y.year, "total": y.total, "by_outcome": y.by_outcome}
                for y in p.counts.years
            ],
            "by_jurisdiction_basis": basis,
        },
        "networks": [
            {
                "network": nc.network.slug,
                "organisations": [o.name for o in nc.organisations],
                "contact_points_visible": nc.may_see_people,
                "contact_points": [
                    {
                        "name": m.person.name,
                        "role": m.role,
                        "organisation": m.organisation.name,
                        "email": m.person.email,
                    }
                    for m in nc.contact_points
                ],
            }
            for nc in p.networks
        ],
    }


@router.get(
    "/knowledge/guides",
    response={200: list[KnowledgeGuideListOut], **_ERRORS},
    summary="Survivors' guides and their languages",
)
def guide_list(request: HttpRequest) -> Any:
    request_api_actor(request)  # authentication and throttling as for every endpoint
    return [
        {
            "slug": slug,
            "title": versions[guides.ORIGINAL_LANGUAGE].title,
            "languages": sorted(versions),
            "missing_languages": [lang.code for lang in guides.missing_languages(slug)],
        }
        for slug, versions in guides.guides().items()
    ]


class _KnowledgeGuideQuery(Schema):
    lang: str = Field("en", max_length=10, description="Language code, e.g. ar, uk, fr.")


@router.get(
    "/knowledge/guides/{slug}",
    response={200: KnowledgeGuideOut, **_ERRORS},
    summary="One survivors' guide in one language",
    description="With its authorship: written by a person or a machine, the date, who reviewed "
    "it (empty: nobody yet) and whether it is authoritative (translations never are).",
)
def guide(request: HttpRequest, query: Query[_KnowledgeGuideQuery], slug: str = _GUIDE) -> Any:
    request_api_actor(request)
    if guides.language(query.lang) is None:
        codes = ", ".join(lang.code for lang in guides.guide_languages())
        return Status(400, {"detail": f"lang: use one of {codes}.", "parameter": "lang"})
    g = guides.guide_version(slug, query.lang)
    if g is None:
        return Status(404, {"detail": "No such guide in this language.", "parameter": "lang"})
    a = g.authorship
    return {
        "slug": g.slug,
        "lang": g.language.code,
        "dir": g.language.dir,
        "title": g.title,
        "summary": g.summary,
        "written_by": a.written_by,
        "author": a.author,
        "translated_from": a.translated_from,
        "date": a.date.isoformat(),
        "reviewed_by": a.reviewed_by,
        "reviewed_on": a.reviewed_on.isoformat() if a.reviewed_on else None,
        "authoritative": g.authoritative,
        "notice": g.notice,
        "sections": [
            {"id": s.id, "heading": s.heading, "paragraphs": list(s.paragraphs)} for s in g.sections
        ],
    }


class _KnowledgePublicationQuery(Schema):
    kind: str = Field("", max_length=30, description="report, factsheet, conclusions …")
    q: str = Field("", max_length=200, description="Words that must all occur.")


@router.get(
    "/knowledge/publications",
    response={200: list[KnowledgePublicationOut], **_ERRORS},
    summary="Reports and factsheets of the Genocide Network and Eurojust",
)
def publication_list(request: HttpRequest, query: Query[_KnowledgePublicationQuery]) -> Any:
    request_api_actor(request)
    kinds = vocabulary("network", "document_kinds")
    if query.kind and query.kind not in kinds:
        return Status(
            400,
            {"detail": f"kind: use one of {', '.join(kinds.ids())}.", "parameter": "kind"},
        )
    if len(query.q) > 200:
        return Status(400, {"detail": "q: at most 200 characters.", "parameter": "q"})
    return [
        {
            "id": p.id,
            "title": p.title,
            "kind": p.kind,
            "publisher": p.publisher,
            "date": p.date,
            "language": p.language,
            "url": p.url,
            "identifiers": p.identifiers,
            "topics": list(p.topics),
            "description": p.description,
            "source": p.source,
        }
        for p in catalogue.publications_filtered(kind=query.kind, q=query.q)
    ]
