"""Pages of a joint investigation team's document area, under /coordination/jits/<uid>/documents/.

Behind the vault's guard (``evidence.views.vault_view``: login, second factor, strict CSP, no
caching) like every coordination page. A team the actor is not a member of, and any of its
documents, answers 404 exactly like a missing one. Views parse input, call one service or
selector of ``jit_documents``, render.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cicnet.access import policy
from cicnet.access.context import request_actor
from cicnet.coordination import jit_documents, jits
from cicnet.coordination.forms import DocumentForm
from cicnet.coordination.models import JointTeam
from cicnet.errors import ActionDenied, UserInputError, form_error
from cicnet.evidence import uploads
from cicnet.evidence.views import vault_view
from cicnet.server.downloads import ATTACHMENT_CONTENT_TYPE, ATTACHMENT_CSP


def _team(request: HttpRequest, uid: str) -> tuple[policy.Actor, JointTeam]:
    actor = request_actor(request)
    team = jits.jit_get(actor=actor, uid=uid)
    if team is None or not policy.can_use_jit_documents(actor, team):
        raise Http404("no such team")
    return actor, team


@require_http_methods(["GET", "POST"])
@vault_view
def document_new(request: HttpRequest, uid: str) -> HttpResponse:
    """Upload a document (its first version) into the team's area."""
    actor, team = _team(request, uid)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            version = jit_documents.document_upload(
                actor=actor,
                team=team,
                title=form.cleaned_data["title"],
                kind=form.cleaned_data["kind"],
                filename=upload.name or "",
                chunks=upload.chunks(),
                size=upload.size or 0,
                note=form.cleaned_data["note"],
            )
        except UserInputError as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"Document uploaded (version 1, {version.filename}).")
            return redirect("coordination-jit-document", uid=uid, doc=version.document.uid)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "coordination/jit_document_new.html",
        {"team": team, "form": form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@vault_view
def document_detail(request: HttpRequest, uid: str, doc: str) -> HttpResponse:
    """A document's versions (who uploaded each, for which member, when); a new version."""
    actor, team = _team(request, uid)
    document = jit_documents.document_get(actor=actor, team=team, uid=doc)
    if document is None:
        raise Http404("no such document")
    form = DocumentForm(request.POST or None, request.FILES or None, new_version=True)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            version = jit_documents.version_upload(
                actor=actor,
                document=document,
                filename=upload.name or "",
                chunks=upload.chunks(),
                size=upload.size or 0,
                note=form.cleaned_data["note"],
            )
        except UserInputError as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"Version {version.number} uploaded; earlier ones stay.")
            return redirect("coordination-jit-document", uid=uid, doc=doc)
    rows = [
        r for r in jit_documents.team_documents(actor=actor, team=team) if r.document == document
    ]
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "coordination/jit_document.html",
        {"team": team, "row": rows[0] if rows else None, "document": document, "form": form},
        status=status,
    )


@require_GET
@vault_view
def document_download(request: HttpRequest, uid: str, doc: str, number: int) -> HttpResponse:
    """One version's file, decrypted as it streams, always as an attachment; audited."""
    actor, team = _team(request, uid)
    version = jit_documents.version_get(actor=actor, team=team, doc=doc, number=number)
    if version is None:
        raise Http404("no such version")
    try:
        body = jit_documents.version_open(actor=actor, team=team, version=version)
    except UserInputError as exc:
        messages.error(request, exc.message)
        return redirect("coordination-jit-document", uid=uid, doc=doc)
    response = StreamingHttpResponse(body, content_type=ATTACHMENT_CONTENT_TYPE)
    response["Content-Length"] = str(version.size)
    response["Content-Disposition"] = (
        content_disposition_header(True, version.filename) or "attachment"
    )
    response["Content-Security-Policy"] = ATTACHMENT_CSP
    response["X-Document-SHA256"] = version.sha256
    return response  # type: ignore[return-value]  # vault_view serves streaming responses too


@require_POST
@vault_view
def item_download(request: HttpRequest, uid: str, item_uid: str) -> HttpResponse:
    """An evidence item shared into the team, decrypted as it streams; the purpose and the
    download go in the item's custody log first."""
    actor, team = _team(request, uid)
    try:
        item = jits.item_download(
            actor=actor, team=team, item_uid=item_uid, purpose=request.POST.get("purpose", "")
        )
    except ActionDenied:
        raise Http404("no such item") from None
    except UserInputError as exc:
        messages.error(request, exc.message)
        return redirect("coordination-jit", uid=uid)
    response = StreamingHttpResponse(
        uploads.item_plaintext(item), content_type=ATTACHMENT_CONTENT_TYPE
    )
    response["Content-Length"] = str(item.size)
    response["Content-Disposition"] = (
        content_disposition_header(True, item.filename) or "attachment"
    )
    response["Content-Security-Policy"] = ATTACHMENT_CSP
    response["X-Evidence-SHA256"] = item.sha256
    return response  # type: ignore[return-value]  # vault_view serves streaming responses too
