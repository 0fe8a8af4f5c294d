"""The audit log page (administrators only; everyone else gets 404 so it is not revealed)."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from cicnet.access import policy
from cicnet.access.context import request_actor
from cicnet.audit.selectors import audit_entries


def audit_log(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    if not policy.can_view_audit_log(actor):
        raise Http404("no such page")
    entries = audit_entries(
        actor=actor,
        object_type=request.GET.get("object_type", ""),
        object_id=request.GET.get("object_id", ""),
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"page": page})
