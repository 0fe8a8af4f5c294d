"""Refuse NUL characters (U+0000, ``%00``) in the URL path and the query string, site-wide.

No parameter of cicnet has a use for NUL, and the layers below disagree about it: PostgreSQL
refuses it in text (a 500), SQLite keeps it, the search query parser dropped it silently, so one
request meant different things on different databases. We refuse it once, before any view runs:
``400`` naming the parameter (``path`` for the path). API requests get the API's error body
(``{"detail", "parameter"}``); pages get a short plain-text message. Form bodies are checked by
Django's form fields (``ProhibitNullCharactersValidator``). docs/api.md documents the rule.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

NUL = "\x00"


def nul_parameter(request: HttpRequest) -> str | None:
    """The first place of ``request`` holding a NUL: a query parameter's name, or ``path``."""
    if NUL in request.path:
        return "path"
    for name, values in request.GET.lists():
        if NUL in name or any(NUL in v for v in values):
            return name.replace(NUL, "\\x00")
    return None


class RejectNulBytesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        parameter = nul_parameter(request)
        if parameter is None:
            return self.get_response(request)
        detail = (
            f"{parameter}: contains a NUL character (%00), which no cicnet parameter accepts; "
            "remove it."
        )
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": detail, "parameter": parameter}, status=400)
        return HttpResponseBadRequest(detail, content_type="text/plain; charset=utf-8")
