"""The translation pages under /translation/ (docs/translation.md). Everyone without the
workspace gets 404, as for any hidden page. GET renders; each POST calls one service and
redirects back (htmx swaps the refreshed part in place). A bad value comes back as a message
naming the field; nothing is written then."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from cicnet.access import policy
from cicnet.access.context import request_actor
from cicnet.accounts.selectors import user_by_username
from cicnet.errors import ActionDenied, UserInputError

from . import alignments, selectors, services
from .engines import configured_engine
from .engines.base import EngineNotConfigured
from .models import Alignment, Segment, TranslationJob

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _actor(request: HttpRequest) -> policy.Actor:
    actor = request_actor(request)
    if not policy.can_use_workspace(actor):
        raise Http404("No such page.")
    return actor


def _job(request: HttpRequest, job_id: int) -> tuple[policy.Actor, TranslationJob]:
    actor = _actor(request)
    job = selectors.job_get(actor=actor, job_id=job_id)
    if job is None:
        raise Http404("No such translation.")
    return actor, job


def _alignment(request: HttpRequest, alignment_id: int) -> tuple[policy.Actor, Alignment]:
    actor = _actor(request)
    alignment = selectors.alignment_get(actor=actor, alignment_id=alignment_id)
    if alignment is None:
        raise Http404("No such alignment.")
    return actor, alignment


def _engine_label() -> str:
    try:
        engine = configured_engine()
    except EngineNotConfigured as exc:
        return f"not configured: {exc}"
    return engine.label if engine is not None else ""


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    context = {
        "jobs": selectors.jobs_for(actor=actor),
        "alignments": selectors.alignments_for(actor=actor),
        "may_manage": policy.can_manage_translations(actor),
        "roles": sorted(actor.translation_roles),
    }
    return render(request, "translation/home.html", context)


def _post_int(request: HttpRequest, name: str) -> int:
    raw = (request.POST.get(name) or "").strip()
    try:
        return int(raw)
    except ValueError:
        raise services.TranslationError(
            f"{name}: expected a whole number, got {raw!r}.", field=name
        ) from None


@require_POST
def job_open(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    uid = (request.POST.get("decision") or "").strip()
    decision = selectors.decision_for_translation(actor=actor, uid=uid)
    if decision is None:
        messages.error(request, f"decision: no decision {uid!r} you may translate.")
        return redirect("translation-home")
    try:
        job = services.job_open(
            actor=actor,
            decision=decision,
            target_language=request.POST.get("target_language", ""),
            credit=request.POST.get("credit", ""),
        )
    except (UserInputError, ActionDenied) as exc:
        messages.error(request, str(exc))
        return redirect("translation-home")
    return redirect("translation-workspace", job_id=job.pk)


@require_POST
def role_grant(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    username = (request.POST.get("username") or "").strip()
    user = user_by_username(username)
    if user is None:
        messages.error(request, f"username: no account {username!r}.")
        return redirect("translation-home")
    try:
        services.translator_role_grant(actor=actor, user=user, role=request.POST.get("role", ""))
    except (UserInputError, ActionDenied) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{username} is now a {request.POST.get('role')}.")
    return redirect("translation-home")


@require_GET
def workspace(request: HttpRequest, job_id: int) -> HttpResponse:
    actor, job = _job(request, job_id)
    rows = selectors.workspace_rows(actor=actor, job=job)
    context = {
        "job": job,
        "rows": rows,
        "may_translate": policy.can_translate(actor),
        "may_manage": policy.can_manage_translations(actor),
        "engine_label": _engine_label(),
        "complete": job.n_reviewed == job.n_total,  # type: ignore[attr-defined]  # annotated
    }
    return render(request, "translation/workspace.html", context)


def _back(job: TranslationJob, number: int | None = None) -> HttpResponse:
    url = reverse("translation-workspace", args=[job.pk])
    return redirect(f"{url}#seg-{number}" if number is not None else url)


def _segment(job: TranslationJob, number: int) -> Segment:
    segment = job.segments.filter(number=number).first()
    if segment is None:
        raise Http404("No such paragraph.")
    return segment


@require_POST
def segment_save(request: HttpRequest, job_id: int, number: int) -> HttpResponse:
    actor, job = _job(request, job_id)
    segment = _segment(job, number)
    try:
        services.segment_save(
            actor=actor,
            segment=segment,
            body=request.POST.get("body", ""),
            version=_post_int(request, "version"),
        )
    except services.TranslationDenied:
        raise Http404("No such page.") from None
    except UserInputError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"¶{number} saved.")
    return _back(job, number)


@require_POST
def segment_review(request: HttpRequest, job_id: int, number: int) -> HttpResponse:
    actor, job = _job(request, job_id)
    segment = _segment(job, number)
    try:
        services.segment_review(actor=actor, segment=segment, version=_post_int(request, "version"))
    except services.TranslationDenied:
        raise Http404("No such page.") from None
    except UserInputError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"¶{number} approved.")
    return _back(job, number)


@require_POST
def machine_draft(request: HttpRequest, job_id: int) -> HttpResponse:
    actor, job = _job(request, job_id)
    raw = (request.POST.get("number") or "").strip()
    try:
        numbers = [_post_int(request, "number")] if raw else []
        done = services.machine_draft(actor=actor, job=job, numbers=numbers)
    except services.TranslationDenied:
        raise Http404("No such page.") from None
    except UserInputError as exc:
        messages.error(request, str(exc))
    else:
        if done.requested:
            messages.success(
                request,
                f"{done.engine}: {done.requested} paragraph(s) requested; drafts arrive "
                "when the engine calls back.",
            )
        else:
            messages.success(
                request,
                f"{done.engine}: {done.drafted} paragraph(s) drafted"
                + (f", {done.skipped} already written left alone" if done.skipped else "")
                + ". Edit, save and have each reviewed before publication.",
            )
    return _back(job, int(raw) if raw.isdigit() else None)


@require_POST
def job_publish(request: HttpRequest, job_id: int) -> HttpResponse:
    actor, job = _job(request, job_id)
    try:
        text = services.job_publish(actor=actor, job=job)
    except services.TranslationDenied:
        raise Http404("No such page.") from None
    except UserInputError as exc:
        messages.error(request, str(exc))
        return _back(job)
    messages.success(
        request,
        f"The {text.language} translation is published on the decision; it is shown below "
        "the Secretariat once its anonymisation is signed off.",
    )
    return redirect(job.decision.get_absolute_url())


@require_POST
def alignment_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    uid = (request.POST.get("decision") or "").strip()
    decision = selectors.decision_for_translation(actor=actor, uid=uid)
    upload = request.FILES.get("file")
    if decision is None:
        messages.error(request, f"decision: no decision {uid!r} you may align a translation of.")
        return redirect("translation-home")
    if upload is None:
        messages.error(request, "file: choose the translation's file (.txt, .docx, .html, .pdf).")
        return redirect("translation-home")
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        messages.error(request, f"file: {upload.name} is larger than 20 MiB; split it.")
        return redirect("translation-home")
    try:
        alignment = alignments.alignment_create(
            actor=actor,
            decision=decision,
            filename=upload.name or "translation.txt",
            data=upload.read(),
            language=request.POST.get("language", ""),
            provenance=request.POST.get("provenance", "human"),
            courts_own=request.POST.get("courts_own") == "yes",
            translator=request.POST.get("translator", ""),
        )
    except services.TranslationDenied:
        raise Http404("No such page.") from None
    except UserInputError as exc:
        messages.error(request, str(exc))
        return redirect("translation-home")
    return redirect("translation-alignment", alignment_id=alignment.pk)


@require_GET
def alignment_page(request: HttpRequest, alignment_id: int) -> HttpResponse:
    _, alignment = _alignment(request, alignment_id)
    rows = selectors.alignment_rows(alignment=alignment)
    return render(
        request,
        "translation/alignment.html",
        {"alignment": alignment, "rows": rows, "low": sum(r.confidence < 0.5 for r in rows)},
    )


@require_POST
def alignment_correct(request: HttpRequest, alignment_id: int) -> HttpResponse:
    actor, alignment = _alignment(request, alignment_id)
    position = None
    try:
        position = _post_int(request, "position")
        alignments.alignment_correct(
            actor=actor,
            alignment=alignment,
            position=position,
            action=request.POST.get("action", ""),
        )
    except UserInputError as exc:
        messages.error(request, str(exc))
    url = reverse("translation-alignment", args=[alignment.pk])
    return redirect(f"{url}#pair-{position}" if position is not None else url)


@require_POST
def alignment_publish(request: HttpRequest, alignment_id: int) -> HttpResponse:
    actor, alignment = _alignment(request, alignment_id)
    try:
        text = alignments.alignment_publish(actor=actor, alignment=alignment)
    except UserInputError as exc:
        messages.error(request, str(exc))
        return redirect("translation-alignment", alignment_id=alignment.pk)
    messages.success(
        request,
        f"The {text.language} text is published on the decision, aligned with the original; "
        "it is shown below the Secretariat once its anonymisation is signed off.",
    )
    return redirect(alignment.decision.get_absolute_url())


@csrf_exempt  # called by the eTranslation service, authenticated by the signed reference
@require_POST
def etranslation_done(request: HttpRequest) -> HttpResponse:
    """eTranslation's callback: form fields request-id, target-language, translated-text,
    external-reference. Always 200 (the service does not retry on errors); a reference that
    is not ours or a paragraph written meanwhile is ignored."""
    services.machine_draft_delivered(
        reference=request.POST.get("external-reference", ""),
        request_id=request.POST.get("request-id", ""),
        text=request.POST.get("translated-text", ""),
    )
    return HttpResponse("OK", content_type="text/plain")


@csrf_exempt  # called by the eTranslation service, authenticated by the signed reference
@require_POST
def etranslation_error(request: HttpRequest) -> HttpResponse:
    """eTranslation's error callback: the pending request is forgotten so a translator can ask
    again or translate by hand."""
    services.machine_draft_failed(
        reference=request.POST.get("external-reference", ""),
        request_id=request.POST.get("request-id", ""),
    )
    return HttpResponse("OK", content_type="text/plain")
