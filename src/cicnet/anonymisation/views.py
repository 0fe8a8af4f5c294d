"""The anonymisation workbench pages (Secretariat only; 404 for everyone else).

GET shows the decision's texts with the suggested spans; each POST is one action of
``workbench.py`` and redirects back (htmx swaps the refreshed workbench in place). A bad value
comes back as a message naming the field; nothing is written then.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from cicnet.access import policy
from cicnet.access.context import request_actor
from cicnet.jurisprudence import selectors
from cicnet.jurisprudence.models import Decision
from cicnet.vocabularies import vocabulary

from . import workbench
from .policies import policy_ids
from .review import publication_blocker, review_queue, review_texts, risks


def _decision(request: HttpRequest, uid: str) -> tuple[policy.Actor, Decision]:
    actor = request_actor(request)
    if not policy.can_review_anonymisation(actor):
        raise Http404("No such page.")
    decision = selectors.decision_get(actor=actor, uid=uid, with_texts=False)
    if decision is None:
        raise Http404("No such decision.")
    return actor, decision


@require_GET
def queue_page(request: HttpRequest) -> HttpResponse:
    """The anonymisations still to sign off, those done without a language model first."""
    actor = request_actor(request)
    if not policy.can_review_anonymisation(actor):
        raise Http404("No such page.")
    page = Paginator(review_queue(actor=actor), 50).get_page(request.GET.get("page"))
    return render(request, "anonymisation/queue.html", {"page": page})


@require_GET
def workbench_page(request: HttpRequest, uid: str) -> HttpResponse:
    actor, decision = _decision(request, uid)
    texts = review_texts(actor=actor, decision=decision)
    context = {
        "decision": decision,
        "texts": texts,
        "risks": risks(texts),
        "blocker": publication_blocker(decision),
        "kinds": list(vocabulary("anonymisation", "kinds")),
        "policies": policy_ids(),
    }
    return render(request, "anonymisation/workbench.html", context)


def _int(request: HttpRequest, name: str, *, required: bool = True) -> int | None:
    raw = (request.POST.get(name) or "").strip()
    if not raw and not required:
        return None
    try:
        return int(raw)
    except ValueError:
        raise workbench.WorkbenchError(
            f"{name}: expected a whole number, got {raw!r}.", field=name
        ) from None


def _act(
    request: HttpRequest, uid: str, action: Callable[[policy.Actor, Decision], str]
) -> HttpResponse:
    actor, decision = _decision(request, uid)
    try:
        done = action(actor, decision)
    except workbench.WorkbenchError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    anchor = request.POST.get("anchor", "")
    url = reverse("anonymisation-workbench", args=[decision.uid])
    return redirect(f"{url}#{anchor}" if anchor.replace("-", "").isalnum() else url)


@require_POST
def mention_status(request: HttpRequest, uid: str) -> HttpResponse:
    def run(actor: policy.Actor, decision: Decision) -> str:
        status = request.POST.get("status", "")
        m = workbench.set_mention_status(
            actor=actor, decision=decision, mention_id=_int(request, "mention") or 0, status=status
        )
        return f"Span “{m.entity.pseudonym}” in ¶{m.paragraph_number}: {status}."

    return _act(request, uid, run)


@require_POST
def entity_status(request: HttpRequest, uid: str) -> HttpResponse:
    def run(actor: policy.Actor, decision: Decision) -> str:
        status = request.POST.get("status", "")
        n = workbench.set_entity_status(
            actor=actor, decision=decision, entity_id=_int(request, "entity") or 0, status=status
        )
        return f"{n} mention(s) {status}."

    return _act(request, uid, run)


@require_POST
def pseudonym(request: HttpRequest, uid: str) -> HttpResponse:
    def run(actor: policy.Actor, decision: Decision) -> str:
        e = workbench.set_pseudonym(
            actor=actor,
            decision=decision,
            entity_id=_int(request, "entity") or 0,
            pseudonym=request.POST.get("pseudonym", ""),
        )
        return f"{e.key} is now shown as “{e.pseudonym}”."

    return _act(request, uid, run)


@require_POST
def merge(request: HttpRequest, uid: str) -> HttpResponse:
    def run(actor: policy.Actor, decision: Decision) -> str:
        e = workbench.merge_entities(
            actor=actor,
            decision=decision,
            into_id=_int(request, "into") or 0,
            from_id=_int(request, "from") or 0,
        )
        return f"Merged into {e.key} (“{e.pseudonym}”)."

    return _act(request, uid, run)


@require_POST
def split(request: HttpRequest, uid: str) -> HttpResponse:
    def run(actor: policy.Actor, decision: Decision) -> str:
        e = workbench.split_mention(
            actor=actor, decision=decision, mention_id=_int(request, "mention") or 0
        )
        return f"The span is now {e.key} (“{e.pseudonym}”)."

    return _act(request, uid, run)


@require_POST
def add(request: HttpRequest, uid: str) -> HttpResponse:
    def run(actor: policy.Actor, decision: Decision) -> str:
        m = workbench.add_mention(
            actor=actor,
            decision=decision,
            text_id=_int(request, "text") or 0,
            paragraph=_int(request, "paragraph") or 0,
            start=_int(request, "start") or 0,
            end=_int(request, "end") or 0,
            kind=request.POST.get("kind", ""),
            entity_id=_int(request, "entity", required=False),
        )
        return f"Added a span in ¶{m.paragraph_number}, shown as “{m.entity.pseudonym}”."

    return _act(request, uid, run)


@require_POST
def sign_off(request: HttpRequest, uid: str) -> HttpResponse:
    def run(actor: policy.Actor, decision: Decision) -> str:
        n = workbench.sign_off(actor=actor, decision=decision)
        return f"Anonymisation signed off ({n} remaining suggestion(s) accepted with it)."

    return _act(request, uid, run)


@require_POST
def apply_policy(request: HttpRequest, uid: str) -> HttpResponse:
    def run(actor: policy.Actor, decision: Decision) -> str:
        chosen = request.POST.get("policy", "")
        n = workbench.apply_policy(actor=actor, decision=decision, policy_id=chosen)
        return f"Anonymised again under the {chosen} policy ({n} text(s)); review it anew."

    return _act(request, uid, run)
