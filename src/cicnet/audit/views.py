"""The audit log page: administrators read it all, whoever curates reads one decision's entries
(``?object_type=decision&object_id=<uid>``, linked from the edit page); everyone else gets 404
so it is not revealed."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from cicnet.access import policy
from cicnet.access.context import request_actor
from cicnet.audit.selectors import audit_entries


def audit_log(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    object_type = request.GET.get("object_type", "")
    object_id = request.GET.get("object_id", "")
    if not policy.can_view_audit_entries(actor, object_type=object_type, object_id=object_id):
        raise Http404("no such page")
    entries = audit_entries(actor=actor, object_type=object_type, object_id=object_id)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    # Page links keep the object filter (without it a curator's next page would be refused).
    keep = urlencode(
        {k: v for k, v in (("object_type", object_type), ("object_id", object_id)) if v}
    )
    return render(
        request,
        "audit/log.html",
        {"page": page, "object_type": object_type, "object_id": object_id, "keep": keep},
    )
