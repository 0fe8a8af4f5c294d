"""JSON API of the networks (mounted under /api/v1/ by config/api.py): meetings, documents (with
downloads) and the directory, filtered by the same policy and selectors as the pages.

A network, meeting or document the caller may not see answers 404 with the same body as a
missing one. Reading or downloading closed-session or Secretariat material through the API is
written to the view log like a page view (channel ``api``).
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django.http import HttpRequest
from ninja import Path as PathParam
from ninja import Query, Router
from ninja.responses import Status

from cicnet.access import policy
from cicnet.accounts.api_auth import request_api_actor
from cicnet.jurisprudence.schemas import ErrorOut
from cicnet.network import selectors
from cicnet.network.models import Document, Meeting, Network
from cicnet.network.schemas import (
    MAX_DOCUMENT_ID,
    MAX_MEETING_NUMBER,
    MAX_SLUG_LENGTH,
    DirectoryOut,
    DocumentListOut,
    DocumentOut,
    DocumentQuery,
    MeetingListOut,
    MeetingOut,
    NetworkOut,
)
from cicnet.network.services import document_view_record
from cicnet.server.downloads import file_attachment, open_stored_file

router = Router(tags=["networks"])

_ERRORS: dict[int, Any] = {
    400: ErrorOut,  # a parameter the caller can fix; `parameter` names it
    401: ErrorOut,  # an Authorization header that cannot be used
    404: ErrorOut,  # missing, or not visible to the caller (same answer)
    429: ErrorOut,  # anonymous rate limit; see Retry-After
}
_AUTH_NOTE = (
    " What the caller sees depends on their memberships (docs/security.md): the public sees "
    "public-archive networks and public material; members see their network's material by "
    "classification."
)
# ninja's Path() is a function typed as the class
_SLUG = PathParam(  # type: ignore[type-arg]
    ..., max_length=MAX_SLUG_LENGTH, description="Network slug, e.g. genocide-network."
)


def _not_found(what: str, parameter: str) -> Any:
    return Status(404, {"detail": f"No {what} visible to you.", "parameter": parameter})


def _network(request: HttpRequest, slug: str) -> tuple[policy.Actor, Network | None]:
    actor = request_api_actor(request)
    return actor, selectors.network_get(actor=actor, slug=slug)


def _document_summary(d: Document) -> dict[str, Any]:
    return {
        "id": d.pk,
        "title": d.title,
        "kind": d.kind,
        "classification": d.classification,
        "meeting": d.meeting.number if d.meeting else None,
        "session": d.session.kind if d.session else None,
        "tags": [t.name for t in d.tags.all()],
        "has_file": bool(d.file),
        "created_at": d.created_at.isoformat(),
    }


def _meeting_summary(m: Meeting) -> dict[str, Any]:
    return {
        "number": m.number,
        "title": m.title,
        "start_date": m.start_date.isoformat(),
        "end_date": m.end_date.isoformat(),
        "place": m.place,
        "format": m.meeting_format,
        "presidency": m.presidency,
        "conclusions_available": m.conclusions_available,
    }


@router.get(
    "/networks",
    response={200: list[NetworkOut], **_ERRORS},
    summary="Networks visible to the caller",
    description="Public-archive networks, and the private networks the caller is a member of, "
    "with the caller's roles in each." + _AUTH_NOTE,
)
def networks(request: HttpRequest) -> Any:
    actor = request_api_actor(request)
    return [
        {
            "slug": n.slug,
            "name": n.name,
            "description": n.description,
            "is_public_archive": n.is_public_archive,
            "is_fictional": n.is_fictional,
            "your_roles": sorted(actor.network_roles(n.pk)),
        }
        for n in selectors.networks_for(actor=actor)
    ]


@router.get(
    "/networks/{slug}/meetings",
    response={200: MeetingListOut, **_ERRORS},
    summary="Meetings of a network",
    description="Every meeting of the network, newest first (numbers, dates, format, "
    "presidency). Agenda and documents per session: /networks/{slug}/meetings/{number}."
    + _AUTH_NOTE,
)
def meetings(request: HttpRequest, slug: str = _SLUG) -> Any:
    actor, network = _network(request, slug)
    if network is None:
        return _not_found("network", "slug")
    rows = list(selectors.meetings_for(actor=actor, network=network))
    return Status(200, {"count": len(rows), "results": [_meeting_summary(m) for m in rows]})


@router.get(
    "/networks/{slug}/meetings/{number}",
    response={200: MeetingOut, **_ERRORS},
    summary="One meeting with its open and closed sessions",
    description="The meeting's sessions, each with the agenda items and documents the caller "
    "may see; the invitation list and attendance only where the caller may see them (the "
    "closed session's for those who may attend it)." + _AUTH_NOTE,
)
def meeting(
    request: HttpRequest,
    slug: str = _SLUG,
    number: int = PathParam(  # type: ignore[type-arg]  # see _SLUG
        ..., ge=1, le=MAX_MEETING_NUMBER, description="Meeting number, e.g. 36."
    ),
) -> Any:
    actor, network = _network(request, slug)
    if network is None:
        return _not_found("network", "slug")
    found = selectors.meeting_get(actor=actor, network=network, number=number)
    if found is None:
        return _not_found("meeting", "number")
    view = selectors.meeting_view(actor=actor, meeting=found)
    body = _meeting_summary(found)
    body["sessions"] = [
        {
            "kind": sv.session.kind,
            "agenda": [
                {"order": i.order, "title": i.title, "classification": i.classification}
                for i in sv.agenda_items
            ],
            "documents": [_document_summary(d) for d in sv.documents],
            "participants": None
            if sv.participants is None
            else [{"name": p.person.name, "attended": p.attended} for p in sv.participants],
        }
        for sv in view.sessions
    ]
    body["documents"] = [_document_summary(d) for d in view.documents]
    return Status(200, body)


@router.get(
    "/networks/{slug}/documents",
    response={200: DocumentListOut, **_ERRORS},
    summary="Search and list a network's documents",
    description="The library: documents the caller may see, newest first, filtered by words, "
    "tag, kind and classification; `count` counts only visible documents." + _AUTH_NOTE,
)
def documents(request: HttpRequest, query: Query[DocumentQuery], slug: str = _SLUG) -> Any:
    actor, network = _network(request, slug)
    if network is None:
        return _not_found("network", "slug")
    qs = selectors.documents_for(
        actor=actor,
        network=network,
        q=query.q,
        tag=query.tag,
        kind=query.kind or "",
        classification=query.classification or "",
    )
    page = list(qs[query.offset : query.offset + query.limit])
    return Status(200, {"count": qs.count(), "results": [_document_summary(d) for d in page]})


def _document(request: HttpRequest, slug: str, document_id: int) -> tuple[policy.Actor, Any]:
    actor, network = _network(request, slug)
    if network is None:
        return actor, _not_found("network", "slug")
    found = selectors.document_get(actor=actor, network=network, document_id=document_id)
    if found is None:
        return actor, _not_found("document", "id")
    return actor, found


_DOC_ID = PathParam(..., ge=1, le=MAX_DOCUMENT_ID, description="Document id.")  # type: ignore[type-arg]  # see _SLUG


@router.get(
    "/networks/{slug}/documents/{id}",
    response={200: DocumentOut, **_ERRORS},
    summary="One document with its text",
    description="Metadata and text. Reading closed-session or Secretariat material is written "
    "to the network's view log." + _AUTH_NOTE,
)
def document(request: HttpRequest, slug: str = _SLUG, id: int = _DOC_ID) -> Any:
    actor, found = _document(request, slug, id)
    if isinstance(found, Status):
        return found
    document_view_record(actor=actor, document=found, action="read", channel="api")
    body = _document_summary(found)
    body["text"] = found.text
    body["download_url"] = (
        request.build_absolute_uri(f"/api/v1/networks/{slug}/documents/{found.pk}/download")
        if found.file
        else None
    )
    return Status(200, body)


@router.get(
    "/networks/{slug}/documents/{id}/download",
    response={200: None, **_ERRORS},
    summary="Download a document's file",
    description="The stored file as an attachment. Downloads of closed-session or Secretariat "
    "material are written to the network's view log." + _AUTH_NOTE,
    openapi_extra={
        "responses": {
            200: {
                "description": "The file.",
                "content": {"application/octet-stream": {"schema": {"type": "string"}}},
            }
        }
    },
)
def document_download(request: HttpRequest, slug: str = _SLUG, id: int = _DOC_ID) -> Any:
    actor, found = _document(request, slug, id)
    if isinstance(found, Status):
        return found
    handle = open_stored_file(found.file.name) if found.file else None
    if handle is None:
        return Status(404, {"detail": "This document has no stored file.", "parameter": "id"})
    document_view_record(actor=actor, document=found, action="download", channel="api")
    return file_attachment(handle, filename=PurePath(found.file.name).name)


@router.get(
    "/networks/{slug}/directory",
    response={200: DirectoryOut, **_ERRORS},
    summary="Organisations and people of a network",
    description="Organisations (public for public-archive networks) and the people whose "
    "contact details the caller may see; counts per role for everyone." + _AUTH_NOTE,
)
def directory(request: HttpRequest, slug: str = _SLUG) -> Any:
    actor, network = _network(request, slug)
    if network is None:
        return _not_found("network", "slug")
    return Status(
        200,
        {
            "organisations": [
                {
                    "name": o.name,
                    "country": o.country,
                    "type": o.org_type,
                    "is_specialised_unit": o.is_specialised_unit,
                    "is_fictional": o.is_fictional,
                }
                for o in selectors.organisations_for(actor=actor, network=network)
            ],
            "people": [
                {
                    "name": m.person.name,
                    "function": m.person.function,
                    "email": m.person.email,
                    "phone": m.person.phone,
                    "role": m.role,
                    "organisation": m.organisation.name,
                    "country": m.organisation.country,
                }
                for m in selectors.people_for(actor=actor, network=network)
            ],
            "people_counts": selectors.people_count(network=network),
        },
    )
