"""Pages and upload endpoints of secure cooperation, under /cooperation/.

Every view goes through ``vault_view``: a logged-in user with a session verified by the second
factor (no demo exemption here), a strict Content-Security-Policy, no caching. A submission the
actor may not read answers 404 exactly like a missing one. Views parse input, call one selector
or service and render; the upload endpoints answer JSON for ``static/cicnet/evidence-upload.js``.
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cicnet.access import policy
from cicnet.access.context import request_actor
from cicnet.accounts.two_factor import TWO_FACTOR_PATH
from cicnet.errors import ActionDenied, UserInputError, as_json
from cicnet.evidence import selectors, services, uploads
from cicnet.evidence.custody_log import custody_append, custody_check
from cicnet.evidence.export import export_package
from cicnet.evidence.forms import (
    ExportForm,
    ItemMetadataForm,
    MessageForm,
    ShareForm,
    SubmissionForm,
    TransitionForm,
)
from cicnet.evidence.selectors import SubmissionContext
from cicnet.evidence.services import EvidenceDenied, EvidenceInputError
from cicnet.vocabularies import vocabulary

# No inline script or style, nothing from elsewhere, no framing, forms post here only.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'"
)
# Served files: nothing in them may run, even if a browser ignored the attachment disposition.
DOWNLOAD_CSP = "default-src 'none'; sandbox"

View = Callable[..., HttpResponse]


def _harden(response: HttpResponseBase, csp: str = CSP) -> HttpResponse:
    if "Content-Security-Policy" not in response:  # a download sets its stricter one first
        response["Content-Security-Policy"] = csp
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # same-origin, not no-referrer: with no-referrer, browsers send "Origin: null" on form
    # posts and the CSRF check refuses them.
    response["Referrer-Policy"] = "same-origin"
    response["X-Frame-Options"] = "DENY"
    return response  # type: ignore[return-value]  # streaming responses are served the same way


def vault_view(view: View) -> View:
    """Login and a second-factor-verified session for every role; hardened headers."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        wants_json = "/uploads/" in request.path  # the upload endpoints answer JSON
        if not user.is_authenticated:
            if wants_json:
                return _harden(JsonResponse({"error": "log in first"}, status=401))
            return redirect(f"/accounts/login/?next={quote(request.get_full_path())}")
        verified = getattr(user, "is_verified", None)
        if policy.vault_needs_verified_session() and not (verified and verified()):
            if wants_json:
                return _harden(
                    JsonResponse({"error": "verify your second factor first"}, status=403)
                )
            return redirect(f"{TWO_FACTOR_PATH}?next={quote(request.get_full_path())}")
        return _harden(view(request, *args, **kwargs))

    return wrapper


def _context(request: HttpRequest, uid: str) -> tuple[policy.Actor, SubmissionContext]:
    actor = request_actor(request)
    context = selectors.submission_context(actor=actor, uid=uid)
    if context is None:
        raise Http404("no such submission")
    return actor, context


def _denied(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "evidence/denied.html", {"reason": reason}, status=403)


@require_GET
@vault_view
def submission_list(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    return render(
        request,
        "evidence/list.html",
        {
            "rows": selectors.submission_rows(actor=actor),
            "can_create": selectors.cso_organisations(actor=actor).exists(),
            "section": "cooperation",
        },
    )


@require_GET
@vault_view
def guide(request: HttpRequest) -> HttpResponse:
    return render(request, "evidence/guide.html", {"section": "cooperation"})


def _submission_form(request: HttpRequest, actor: policy.Actor, **kwargs: Any) -> SubmissionForm:
    return SubmissionForm(
        request.POST or None, authorities=selectors.addressable_authorities(actor=actor), **kwargs
    )


@require_http_methods(["GET", "POST"])
@vault_view
def submission_new(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    organisations = list(selectors.cso_organisations(actor=actor))
    if not organisations:
        return _denied(
            request, "Submissions are prepared by members of a civil-society organisation."
        )
    form = _submission_form(request, actor)
    org_error = ""
    if request.method == "POST":
        org_id = request.POST.get("organisation", str(organisations[0].pk))
        organisation = next((o for o in organisations if str(o.pk) == org_id), None)
        if organisation is None:
            org_error = "organisation: choose one of your organisations."
        elif form.is_valid():
            submission = services.submission_create(
                actor=actor, organisation=organisation, data=form.data_object()
            )
            messages.success(request, f"Draft {submission.uid} saved. Add the items, then send it.")
            return redirect("evidence-submission", uid=submission.uid)
    return render(
        request,
        "evidence/submission_form.html",
        {
            "form": form,
            "organisations": organisations,
            "org_error": org_error,
            "section": "cooperation",
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@vault_view
def submission_edit(request: HttpRequest, uid: str) -> HttpResponse:
    actor, context = _context(request, uid)
    if not context.can_edit:
        return _denied(request, "Only the organisation edits its submission, and only as a draft.")
    form = _submission_form(request, actor, initial=SubmissionForm.initial_for(context.submission))
    if request.method == "POST" and form.is_valid():
        services.submission_update(actor=actor, context=context, data=form.data_object())
        messages.success(request, "Draft saved.")
        return redirect("evidence-submission", uid=uid)
    return render(
        request,
        "evidence/submission_form.html",
        {"form": form, "submission": context.submission, "section": "cooperation"},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@vault_view
def submission_detail(request: HttpRequest, uid: str) -> HttpResponse:
    actor, context = _context(request, uid)
    item_uids = frozenset(i.uid for i in context.items)
    return render(
        request,
        "evidence/submission.html",
        {
            "c": context,
            "s": context.submission,
            "item_form": ItemMetadataForm(item_uids=item_uids),
            "reliability_legend": [
                vocabulary("evidence", "source_reliability"),
                vocabulary("evidence", "information_reliability"),
            ],
            "handling_codes": vocabulary("evidence", "handling_codes"),
            "threads": [(r, context.messages.get(r.pk, [])) for r in context.referrals],
            "transitions": _transitions(context),
            "closure_reasons": [
                t for t in vocabulary("evidence", "closure_reasons") if t.id != "withdrawn"
            ],
            "networks": selectors.shareable_networks(actor=actor),
            "shares": selectors.submission_shares(context),
            "restricted": [i for i in context.items if not policy.item_may_leave_parties(i)],
            "crime_labels": _crime_labels(context.submission.crimes),
            "section": "cooperation",
        },
    )


def _crime_labels(ids: list[str]) -> list[str]:
    from cicnet.law.crimes import crime

    return [(c.label if (c := crime(i)) else i) for i in ids]


def _transitions(context: SubmissionContext) -> dict[int, list[tuple[str, str]]]:
    states = vocabulary("evidence", "referral_states")
    return {
        r.pk: [
            (t.id, t.label)
            for t in states
            if policy.can_transition_referral(context.side, r.state, t.id)
        ]
        for r in context.referrals
    }


def _invalid(request: HttpRequest, form: Any, uid: str) -> HttpResponse:
    """Back to the submission with each field's first error, named."""
    messages.error(request, "; ".join(f"{k}: {v[0]}" for k, v in form.errors.items()))
    return redirect("evidence-submission", uid=uid)


def _post_action(
    request: HttpRequest, uid: str, action: Callable[[], object], ok: str
) -> HttpResponse:
    try:
        action()
    except EvidenceDenied as exc:
        return _denied(request, str(exc))
    except EvidenceInputError as exc:
        messages.error(request, str(exc))
        return redirect("evidence-submission", uid=uid)
    messages.success(request, ok)
    return redirect("evidence-submission", uid=uid)


@require_http_methods(["GET", "POST"])
@vault_view
def submission_submit(request: HttpRequest, uid: str) -> HttpResponse:
    """Sending is two steps: this page says what goes to whom (GET, or a POST without
    ``confirmed``), and only its button sends (POST with ``confirmed=yes``)."""
    actor, context = _context(request, uid)
    if not context.can_edit:
        return _denied(request, "Only the organisation sends its own draft, once.")
    if request.method == "GET" or request.POST.get("confirmed") != "yes":
        return render(
            request,
            "evidence/submit_confirm.html",
            {
                "c": context,
                "s": context.submission,
                "restricted": [i for i in context.items if not policy.item_may_leave_parties(i)],
                "section": "cooperation",
            },
        )
    return _post_action(
        request,
        uid,
        lambda: services.submission_submit(actor=actor, context=context),
        "Sent. Each authority's handling of it is shown below.",
    )


def _form_action(
    request: HttpRequest,
    uid: str,
    form_class: type[Any],
    do: Callable[[policy.Actor, SubmissionContext, dict[str, Any]], object],
    ok: str,
) -> HttpResponse:
    """Validate an action form, then run ``do(actor, context, cleaned_data)``."""
    actor, context = _context(request, uid)
    form = form_class(request.POST)
    if not form.is_valid():
        return _invalid(request, form, uid)
    return _post_action(request, uid, lambda: do(actor, context, form.cleaned_data), ok)


@require_POST
@vault_view
def referral_transition(request: HttpRequest, uid: str) -> HttpResponse:
    return _form_action(
        request,
        uid,
        TransitionForm,
        lambda actor, context, d: services.referral_transition(
            actor=actor,
            context=context,
            referral_id=d["referral"],
            to=d["to"],
            message=d["message"],
            closed_reason=d["closed_reason"],
        ),
        "State changed.",
    )


@require_POST
@vault_view
def message_post(request: HttpRequest, uid: str) -> HttpResponse:
    return _form_action(
        request,
        uid,
        MessageForm,
        lambda actor, context, d: services.message_post(
            actor=actor, context=context, referral_id=d["referral"], body=d["body"]
        ),
        "Message sent.",
    )


@require_POST
@vault_view
def submission_share(request: HttpRequest, uid: str) -> HttpResponse:
    return _form_action(
        request,
        uid,
        ShareForm,
        lambda actor, context, d: services.submission_share(
            actor=actor, context=context, network_id=d["network"], purpose=d["purpose"]
        ),
        "Shared with the Secretariat.",
    )


@require_POST
@vault_view
def share_revoke(request: HttpRequest, uid: str, share_id: int) -> HttpResponse:
    actor, context = _context(request, uid)
    return _post_action(
        request,
        uid,
        lambda: services.share_revoke(actor=actor, context=context, share_id=share_id),
        "Share withdrawn.",
    )


@require_POST
@vault_view
def submission_export(request: HttpRequest, uid: str) -> HttpResponse:
    """A signed package of the submission's items, as a download."""
    actor, context = _context(request, uid)
    form = ExportForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form, uid)
    workdir = Path(tempfile.mkdtemp(prefix="cicnet-export-", dir=uploads.evidence_dir()))
    out = workdir / f"{uid}.zip"
    try:
        export_package(
            actor=actor,
            context=context,
            out=out,
            purpose=form.cleaned_data["purpose"],
            recipient=form.cleaned_data["recipient"],
            exclude_restricted=form.cleaned_data["exclude_restricted"],
        )
    except EvidenceDenied as exc:
        _remove(workdir)
        return _denied(request, str(exc))
    except EvidenceInputError as exc:
        _remove(workdir)
        messages.error(request, str(exc))
        return redirect("evidence-submission", uid=uid)
    size = out.stat().st_size
    response = StreamingHttpResponse(
        _read_then_remove(out, workdir), content_type="application/zip"
    )
    response["Content-Length"] = str(size)
    response["Content-Disposition"] = f'attachment; filename="{out.name}"'
    return _harden(response, DOWNLOAD_CSP)


def _read_then_remove(path: Path, workdir: Path) -> Iterator[bytes]:
    try:
        with path.open("rb") as fh:
            while piece := fh.read(1024 * 1024):
                yield piece
    finally:
        _remove(workdir)


def _remove(workdir: Path) -> None:
    for child in workdir.glob("*"):
        child.unlink(missing_ok=True)
    workdir.rmdir()


@require_GET
@vault_view
def item_detail(request: HttpRequest, uid: str, item_uid: str) -> HttpResponse:
    actor, context = _context(request, uid)
    item = selectors.item_in(context, item_uid)
    if item is None:
        raise Http404("no such item")
    custody_append(
        item=item,
        action="viewed",
        actor=actor.username,
        organisation=context.organisation_label,
        purpose="item page opened",
        details={},
    )
    entries = selectors.custody_entries(item=item)
    related_ids = selectors.related_item_ids(item=item)
    return render(
        request,
        "evidence/item.html",
        {
            "c": context,
            "s": context.submission,
            "item": item,
            "entries": entries,
            "problems": custody_check(item),
            "derived": [i for i in context.items if i.parent_id == item.pk],
            "related": [i for i in context.items if i.pk in related_ids],
            "section": "cooperation",
        },
    )


@require_POST
@vault_view
def item_download(request: HttpRequest, uid: str, item_uid: str) -> HttpResponse:
    """The file, decrypted as it streams, always as an attachment; the purpose goes in the log."""
    actor, context = _context(request, uid)
    item = selectors.item_in(context, item_uid)
    if item is None or not policy.can_download_item(context.side, item):
        raise Http404("no such item")
    purpose = request.POST.get("purpose", "").strip()
    if not purpose:
        messages.error(request, "purpose: say why you download the file (it goes in the log).")
        return redirect("evidence-item", uid=uid, item_uid=item_uid)
    custody_append(
        item=item,
        action="downloaded",
        actor=actor.username,
        organisation=context.organisation_label,
        purpose=purpose[:500],
        details={"sha256": item.sha256},
    )
    response = StreamingHttpResponse(
        uploads.item_plaintext(item), content_type="application/octet-stream"
    )
    response["Content-Length"] = str(item.size)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(item.filename)}"
    response["X-Evidence-SHA256"] = item.sha256
    return _harden(response, DOWNLOAD_CSP)


# --- upload endpoints (JSON) ------------------------------------------------------------------


def _json_error(
    error: UserInputError | ActionDenied, status: int = 400, **extra: Any
) -> JsonResponse:
    if isinstance(error, UserInputError):
        return JsonResponse(as_json(error, **extra), status=status)
    return JsonResponse({"error": str(error), "field": "", **extra}, status=status)


def _input_error(field: str, message: str) -> UserInputError:
    return UserInputError(f"{field}: {message}", field=field)


@require_POST
@vault_view
def upload_start(request: HttpRequest, uid: str) -> HttpResponse:
    actor, context = _context(request, uid)
    form = ItemMetadataForm(request.POST, item_uids=frozenset(i.uid for i in context.items))
    if not form.is_valid():
        errors = {k: [str(e) for e in v] for k, v in form.errors.items()}
        first = next(iter(errors.items()))
        return _json_error(_input_error(first[0], first[1][0]), errors=errors)
    try:
        upload = uploads.upload_start(
            actor=actor,
            context=context,
            filename=form.cleaned_data["filename"],
            size=form.cleaned_data["size"],
            metadata=form.metadata(),
        )
    except EvidenceDenied as exc:
        return _json_error(exc, status=403)
    except EvidenceInputError as exc:
        return _json_error(exc)
    return JsonResponse(
        {
            "upload_id": upload.upload_id,
            "chunk_bytes": uploads.chunk_limit(),
            "received": 0,
            "chunk_url": f"/cooperation/uploads/{upload.upload_id}/",
            "complete_url": f"/cooperation/{uid}/uploads/{upload.upload_id}/complete",
        },
        status=201,
    )


@require_http_methods(["GET", "PUT", "DELETE"])
@vault_view
def upload_chunk(request: HttpRequest, upload_id: str) -> HttpResponse:
    """GET: how much has arrived (to resume). PUT ?offset=N: one chunk, raw bytes. DELETE:
    discard the upload and its bytes."""
    actor = request_actor(request)
    if request.method == "DELETE":
        found = uploads.upload_discard(actor=actor, upload_id=upload_id)
        return JsonResponse({"discarded": found}, status=200 if found else 404)
    if request.method == "GET":
        upload = uploads.upload_get(actor=actor, upload_id=upload_id)
        if upload is None:
            return _json_error(
                _input_error("upload", "no such upload (finished, discarded or expired)."), 404
            )
        return JsonResponse({"received": upload.received, "size": upload.size})
    try:
        offset = int(request.GET.get("offset", ""))
    except ValueError:
        return _json_error(_input_error("offset", "give the chunk's starting byte as ?offset=N."))
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length <= 0:
        return _json_error(_input_error("chunk", "send the bytes with a Content-Length."), 411)
    if length > uploads.chunk_limit():
        return _json_error(
            _input_error(
                "chunk",
                f"at most {uploads.chunk_limit():,} bytes per request (you sent {length:,}).",
            ),
            413,
        )
    data = _read_body(request, length)
    if len(data) != length:
        return _json_error(
            _input_error(
                "chunk",
                f"the connection broke after {len(data):,} of {length:,} bytes; nothing was "
                "kept from this chunk. Send it again.",
            )
        )
    try:
        received = uploads.upload_chunk(actor=actor, upload_id=upload_id, offset=offset, data=data)
    except uploads.UploadOffsetError as exc:
        return _json_error(exc, 409, received=exc.received)
    except EvidenceDenied as exc:
        return _json_error(exc, 404)
    except EvidenceInputError as exc:
        return _json_error(exc)
    return JsonResponse({"received": received})


def _read_body(request: HttpRequest, length: int) -> bytes:
    """Read exactly the request body (at most one chunk) from the stream, never via
    ``request.body`` (which would apply the form-size limits meant for forms)."""
    buffer = bytearray()
    while len(buffer) < length:
        piece = request.read(min(1024 * 1024, length - len(buffer)))
        if not piece:
            break
        buffer += piece
    return bytes(buffer)


@require_POST
@vault_view
def upload_complete(request: HttpRequest, uid: str, upload_id: str) -> HttpResponse:
    actor, context = _context(request, uid)
    try:
        item = uploads.upload_complete(
            actor=actor,
            context=context,
            upload_id=upload_id,
            declared_sha256=request.POST.get("sha256", ""),
        )
    except uploads.UploadOffsetError as exc:
        return _json_error(exc, 409, received=exc.received)
    except EvidenceDenied as exc:
        return _json_error(exc, 404)
    except EvidenceInputError as exc:
        return _json_error(exc)
    messages.success(
        request,
        f"{item.uid} received: the server's SHA-256 equals your browser's ({item.sha256}).",
    )
    return JsonResponse(
        {
            "uid": item.uid,
            "sha256": item.sha256,
            "size": item.size,
            "url": f"/cooperation/{uid}/items/{item.uid}/",
        },
        status=201,
    )
