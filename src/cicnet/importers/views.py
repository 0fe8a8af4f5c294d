"""The curators' import page: ``/curation/import/`` (form and the latest runs)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cicnet.access import policy
from cicnet.access.context import request_actor
from cicnet.errors import ActionDenied, UserInputError, form_error
from cicnet.importers import selectors
from cicnet.importers.forms import ImportForm
from cicnet.importers.services import import_decisions


@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    if not policy.can_curate(actor):
        raise Http404("No such page.")
    form = ImportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = import_decisions(
                actor=actor,
                source=form.cleaned_data["source"],
                identifiers=form.identifier_lines(),
            )
        except ActionDenied:
            raise Http404("No such page.") from None
        except UserInputError as exc:
            form_error(form, exc)
        else:
            return redirect(f"{request.path}?run={run.pk}")
    runs = selectors.import_runs(actor=actor)
    shown = (
        runs.filter(pk=request.GET["run"]).first() if request.GET.get("run", "").isdigit() else None
    )
    page = Paginator(runs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "importers/import.html",
        {"form": form, "page": page, "shown": shown, "status": 400 if form.errors else 200},
        status=400 if form.errors else 200,
    )
