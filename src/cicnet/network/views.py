"""HTML pages of the networks: home, directory, country, meetings, library, documents, the view
log, downgrades and a person's own data.

Views parse input, call selectors or services with the request's actor and render. Anything the
actor may not see (a private network, a classified document, the view log) answers 404 exactly
like a missing page, so nothing is revealed.
"""

from __future__ import annotations

import json
import re
from pathlib import PurePath

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cicnet.access import policy
from cicnet.access.context import request_actor
from cicnet.coordination.selectors import meeting_session_cases
from cicnet.errors import form_error
from cicnet.network import selectors
from cicnet.network.calendar import calendar_for
from cicnet.network.forms import MAX_Q_LENGTH, DocumentUploadForm, DowngradeForm, LibraryForm
from cicnet.network.invitations import (
    invitation_accept,
    invitation_pending,
    invitation_send,
    invitations_for,
)
from cicnet.network.models import Document, Network
from cicnet.network.notifications import preferences_for, preferences_update
from cicnet.network.services import (
    NetworkDenied,
    NetworkInputError,
    document_add,
    document_downgrade,
    document_view_record,
)
from cicnet.pipeline.base import InputError
from cicnet.pipeline.extract import text_of
from cicnet.server.downloads import file_attachment, open_stored_file
from cicnet.vocabularies import vocabulary

LIBRARY_PAGE_SIZE = 25
LOG_PAGE_SIZE = 50
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def _network(request: HttpRequest, slug: str) -> tuple[policy.Actor, Network]:
    actor = request_actor(request)
    network = selectors.network_get(actor=actor, slug=slug)
    if network is None:
        raise Http404("no such network")
    return actor, network


def _base(actor: policy.Actor, network: Network, section: str) -> dict[str, object]:
    return {
        "network": network,
        "section": section,
        "is_member": policy.is_network_member(actor, network.pk),
        "network_roles": sorted(actor.network_roles(network.pk)),
        "can_administer": policy.can_administer_network(actor, network.pk),
    }


@require_GET
def network_list(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    networks = selectors.networks_for(actor=actor)
    return render(request, "network/list.html", {"networks": networks, "section": "networks"})


@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    entries = calendar_for(actor=actor, today=timezone.localdate())
    return render(request, "network/calendar.html", {"entries": entries, "section": "calendar"})


GLOBAL_SECTION_SIZE = 10


@require_GET
def global_search(request: HttpRequest) -> HttpResponse:
    """Decisions, meetings and documents the actor may see, each in its section."""
    from cicnet.search.services import search_decisions
    from cicnet.search.types import QueryError, SearchParams

    actor = request_actor(request)
    q = request.GET.get("q", "").strip()
    context: dict[str, object] = {"q": q, "section": "search"}
    if len(q) > MAX_Q_LENGTH:
        context["error"] = f"q: at most {MAX_Q_LENGTH} characters; shorten the query."
        return render(request, "network/search.html", context, status=400)
    if q:
        try:
            context["decisions"] = search_decisions(
                actor=actor,
                params=SearchParams(q=q, page_size=GLOBAL_SECTION_SIZE, with_facets=False),
            )
        except QueryError as exc:
            context["error"] = f"{exc.parameter}: {exc.message}"
            return render(request, "network/search.html", context, status=400)
        context["meetings"] = selectors.meetings_search(actor=actor, q=q)
        documents = selectors.documents_for(actor=actor, q=q)
        context["documents"] = list(documents[:GLOBAL_SECTION_SIZE])
        context["documents_count"] = documents.count()
    return render(request, "network/search.html", context)


@require_GET
def network_home(request: HttpRequest, slug: str) -> HttpResponse:
    actor, network = _network(request, slug)
    context = _base(actor, network, "home")
    context["meetings"] = list(selectors.meetings_for(actor=actor, network=network)[:5])
    context["documents"] = list(selectors.documents_for(actor=actor, network=network)[:5])
    context["countries"] = selectors.countries_for(actor=actor, network=network)
    return render(request, "network/home.html", context)


@require_GET
def directory(request: HttpRequest, slug: str) -> HttpResponse:
    actor, network = _network(request, slug)
    context = _base(actor, network, "directory")
    context["organisations"] = selectors.organisations_for(actor=actor, network=network)
    context["people"] = selectors.people_for(actor=actor, network=network)
    context["people_counts"] = selectors.people_count(network=network)
    context["may_see_people"] = policy.can_view_person_details(actor, network_id=network.pk)
    context["countries"] = selectors.countries_for(actor=actor, network=network)
    return render(request, "network/directory.html", context)


@require_GET
def country(request: HttpRequest, slug: str, country: str) -> HttpResponse:
    actor, network = _network(request, slug)
    code = country.upper()
    if not _COUNTRY.match(code):
        context = _base(actor, network, "directory")
        context["error"] = (
            f"country: {country!r} is not an ISO 3166-1 alpha-2 code; use two letters, e.g. DE."
        )
        return render(request, "network/error.html", context, status=400)
    context = _base(actor, network, "directory")
    context["page"] = selectors.country_page(actor=actor, network=network, country=code)
    return render(request, "network/country.html", context)


@require_GET
def meetings(request: HttpRequest, slug: str) -> HttpResponse:
    actor, network = _network(request, slug)
    context = _base(actor, network, "meetings")
    context["meetings"] = selectors.meetings_list(actor=actor, network=network)
    return render(request, "network/meetings.html", context)


@require_GET
def meeting_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    actor, network = _network(request, slug)
    meeting = selectors.meeting_get(actor=actor, network=network, number=number)
    if meeting is None:
        raise Http404("no such meeting")
    context = _base(actor, network, "meetings")
    context["view"] = selectors.meeting_view(actor=actor, meeting=meeting)
    # Case summaries an authority put before a closed session: its invitees only (issue 14).
    context["coordination_cases"] = meeting_session_cases(actor=actor, meeting=meeting)
    return render(request, "network/meeting.html", context)


@require_GET
def library(request: HttpRequest, slug: str) -> HttpResponse:
    actor, network = _network(request, slug)
    form = LibraryForm(request.GET)
    context = _base(actor, network, "library")
    status = 200
    documents: QuerySet[Document] | list[Document]
    if form.is_valid():
        documents = selectors.documents_for(actor=actor, network=network, **form.filters())
    else:
        documents = []  # the form's errors are shown; nothing is listed
        status = 400
    page = Paginator(documents, LIBRARY_PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(
        form=form,
        page=page,
        tags=selectors.tags_for(actor=actor, network=network),
        filter_qs=_filter_qs(request),
    )
    return render(request, "network/library.html", context, status=status)


def _filter_qs(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _document(request: HttpRequest, slug: str, document_id: int) -> tuple[policy.Actor, Document]:
    actor, network = _network(request, slug)
    document = selectors.document_get(actor=actor, network=network, document_id=document_id)
    if document is None:
        raise Http404("no such document")
    return actor, document


@require_GET
def document_detail(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    actor, document = _document(request, slug, document_id)
    document_view_record(actor=actor, document=document, action="read", channel="web")
    return _document_page(request, actor, document, DowngradeForm(current=document.classification))


def _document_page(
    request: HttpRequest,
    actor: policy.Actor,
    document: Document,
    form: DowngradeForm,
    status: int = 200,
) -> HttpResponse:
    context = _base(actor, document.network, "library")
    context.update(
        document=document,
        logged=policy.must_log_view(document),
        can_downgrade=policy.can_downgrade(actor, document),
        form=form,
    )
    return render(request, "network/document.html", context, status=status)


@require_GET
def document_download(request: HttpRequest, slug: str, document_id: int) -> FileResponse:
    actor, document = _document(request, slug, document_id)
    handle = open_stored_file(document.file.name) if document.file else None
    if handle is None:
        raise Http404("this document has no stored file")
    document_view_record(actor=actor, document=document, action="download", channel="web")
    return file_attachment(handle, filename=PurePath(document.file.name).name)


@require_POST
def document_classification(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    actor, document = _document(request, slug, document_id)
    if not policy.can_downgrade(actor, document):
        raise Http404("no such page")
    form = DowngradeForm(request.POST, current=document.classification)
    if not form.is_valid():
        return _document_page(request, actor, document, form, status=400)
    try:
        document_downgrade(
            actor=actor,
            document_id=document.pk,
            to=form.cleaned_data["classification"],
            reason=form.cleaned_data["reason"],
        )
    except NetworkDenied as exc:
        raise Http404("no such page") from exc
    except NetworkInputError as exc:
        form_error(form, exc)
        return _document_page(request, actor, document, form, status=400)
    messages.success(request, "Classification lowered; the change is in the audit log.")
    return redirect("network-document", slug=slug, document_id=document.pk)


@require_GET
def view_log(request: HttpRequest, slug: str) -> HttpResponse:
    actor, network = _network(request, slug)
    if not policy.can_view_document_log(actor, network.pk):
        raise Http404("no such page")
    context = _base(actor, network, "view-log")
    entries = selectors.document_views_for(actor=actor, network=network)
    context["page"] = Paginator(entries, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "network/view_log.html", context)


@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    if actor.user_id is None:
        return redirect(f"/accounts/login/?next={request.path}")
    data = selectors.my_data(actor=actor)
    return render(request, "network/my_data.html", {"data": data, "section": "me"})


@require_GET
def my_data_export(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    if actor.user_id is None:
        return redirect(f"/accounts/login/?next={request.path}")
    body = json.dumps(selectors.my_data(actor=actor), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cicnet-my-data.json"'
    return response


# --- invitations ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def invitations(request: HttpRequest, slug: str) -> HttpResponse:
    """The Secretariat invites people to its network (the only way to register)."""
    actor, network = _network(request, slug)
    if not policy.can_administer_network(actor, network.pk):
        raise Http404("no such page")
    context = _base(actor, network, "invitations")
    status = 200
    if request.method == "POST":
        try:
            org_id = int(request.POST.get("organisation", "") or 0)
        except ValueError:
            org_id = 0
        try:
            invitation_send(
                actor=actor,
                network=network,
                email=request.POST.get("email", ""),
                role=request.POST.get("role", ""),
                organisation_id=org_id,
                base_url=request.build_absolute_uri("/"),
            )
        except NetworkInputError as exc:
            context["error"] = str(exc)
            status = 400
        else:
            messages.success(request, "Invitation sent by e-mail; the link works for 14 days.")
            return redirect("network-invitations", slug=slug)
    context["invitations"] = invitations_for(actor=actor, network=network)
    context["organisations"] = selectors.organisations_for(actor=actor, network=network)
    context["roles"] = vocabulary("network", "network_roles").choices()
    return render(request, "network/invitations.html", context, status=status)


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation: choose a username and password (then log in and enrol 2FA)."""
    invitation = invitation_pending(token)
    if invitation is None:
        return render(request, "network/join.html", {"invalid": True}, status=404)
    context: dict[str, object] = {"invitation": invitation, "values": request.POST}
    if request.method == "POST":
        try:
            invitation_accept(
                token=token,
                username=request.POST.get("username", ""),
                name=request.POST.get("name", ""),
                password=request.POST.get("password", ""),
            )
        except NetworkInputError as exc:
            context["error"] = str(exc)
            return render(request, "network/join.html", context, status=400)
        messages.success(request, "Account created. Log in, then set up two-factor authentication.")
        return redirect("login")
    return render(request, "network/join.html", context)


@require_http_methods(["GET", "POST"])
def my_notifications(request: HttpRequest) -> HttpResponse:
    """Per-user e-mail preferences: new documents, new meetings."""
    actor = request_actor(request)
    if actor.user_id is None:
        return redirect(f"/accounts/login/?next={request.path}")
    if request.method == "POST":
        preferences_update(
            actor=actor,
            new_documents=request.POST.get("new_documents") == "on",
            new_meetings=request.POST.get("new_meetings") == "on",
        )
        messages.success(request, "Notification preferences saved.")
        return redirect("network-me-notifications")
    prefs = preferences_for(actor=actor)
    return render(request, "network/notifications.html", {"prefs": prefs, "section": "me"})


@require_http_methods(["GET", "POST"])
def document_upload(request: HttpRequest, slug: str) -> HttpResponse:
    """Add a document to the library: the network's Secretariat only (404 for everyone else)."""
    actor, network = _network(request, slug)
    if not policy.can_administer_network(actor, network.pk):
        raise Http404("no such page")
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    context = _base(actor, network, "library")
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        name = PurePath(upload.name).name
        try:
            text = form.cleaned_data["text"] or text_of(name, data) or ""
            meeting = None
            if form.cleaned_data["meeting"]:
                meeting = selectors.meeting_get(
                    actor=actor, network=network, number=form.cleaned_data["meeting"]
                )
                if meeting is None:
                    raise NetworkInputError(
                        "meeting", f"this network has no meeting {form.cleaned_data['meeting']}"
                    )
            session = None
            if form.cleaned_data["session"]:
                if meeting is None:
                    raise NetworkInputError("session", "name the meeting the session belongs to")
                session = meeting.sessions.filter(kind=form.cleaned_data["session"]).first()
                if session is None:
                    raise NetworkInputError("session", "that meeting has no such session")
            document = document_add(
                actor=actor,
                network=network,
                title=form.cleaned_data["title"],
                kind=form.cleaned_data["kind"],
                classification=form.cleaned_data["classification"],
                text=text,
                filename=name,
                content=data,
                meeting=meeting,
                session=session,
                tags=form.tag_list(),
            )
        except InputError as exc:
            form.add_error("file", f"{name}: {exc.message}")
        except NetworkInputError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "Document added; the audit log records it.")
            return redirect("network-document", slug=slug, document_id=document.pk)
    context["form"] = form
    status = 400 if request.method == "POST" else 200
    return render(request, "network/document_add.html", context, status=status)
