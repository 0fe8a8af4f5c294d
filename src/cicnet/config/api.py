"""The JSON API (django-ninja) mounted at /api/v1/, its OpenAPI schema at /api/v1/openapi.json.

Each app owns its routers (``<app>/api.py``); this module assembles them, sets the
authentication chain and the anonymous throttle for every operation, and turns the errors a
caller can fix into 400/401/429 answers of the form ``{"detail": ..., "parameter": ...}``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import Throttled, ValidationError

from cicnet.accounts.api_auth import AnonymousRateThrottle, ApiAuthError, api_auth
from cicnet.errors import UserInputError
from cicnet.insights.api import router as insights_router
from cicnet.jurisprudence.api import router as jurisprudence_router
from cicnet.jurisprudence.export_slots import ExportBusy
from cicnet.knowledge.api import router as knowledge_router
from cicnet.network.api import router as network_router


class CicnetAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI schema says that authentication is optional (``{}`` among the
    security alternatives): without credentials a caller is the anonymous, throttled actor."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                security = operation.get("security")
                if security and {} not in security:
                    security.append({})
        return schema


api = CicnetAPI(
    title="cicnet API",
    version="1",
    description=(
        "National jurisprudence on core international crimes, and the networks' meetings, "
        "documents and directory. Anonymous use is throttled; "
        "members authenticate with `Authorization: Bearer <token>` (create one at "
        '/accounts/tokens/). Errors answer `{"detail": message, "parameter": name}`. '
        "See docs/api.md."
    ),
    urls_namespace="api-v1",
    auth=api_auth(),
    throttle=[AnonymousRateThrottle()],
)
api.add_router("/", jurisprudence_router)
api.add_router("/", network_router)
api.add_router("/", knowledge_router)
api.add_router("/", insights_router)


@api.exception_handler(UserInputError)
def _user_input_error(request: HttpRequest, exc: UserInputError) -> HttpResponse:
    """Every error a caller can fix (a bad query, a bad filter …): 400 naming the parameter."""
    return api.create_response(
        request, {"detail": exc.message, "parameter": exc.field or None}, status=400
    )


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Parameters of the wrong type or out of range: 400 naming the first one at fault."""
    first = exc.errors[0] if exc.errors else {}
    loc = [str(part) for part in first.get("loc", ()) if part not in ("query", "path", "body")]
    parameter = loc[0] if loc else None
    message = str(first.get("msg", "invalid parameter"))
    detail = f"{parameter}: {message}." if parameter else f"{message}."
    return api.create_response(request, {"detail": detail, "parameter": parameter}, status=400)


@api.exception_handler(ApiAuthError)
def _auth_error(request: HttpRequest, exc: ApiAuthError) -> HttpResponse:
    response = api.create_response(
        request, {"detail": str(exc), "parameter": "Authorization"}, status=401
    )
    response["WWW-Authenticate"] = 'Bearer realm="cicnet", error="invalid_token"'
    return response


@api.exception_handler(ExportBusy)
def _export_busy(request: HttpRequest, exc: ExportBusy) -> HttpResponse:
    response = api.create_response(request, {"detail": exc.message, "parameter": None}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    rate = settings.CICNET_ANON_API_RATE
    return api.create_response(
        request,
        {
            "detail": f"Too many requests: anonymous use is limited to {rate} requests per minute "
            "per address. Wait for the time in the Retry-After header, or authenticate "
            "with an API token (see /accounts/tokens/).",
            "parameter": None,
        },
        status=429,
    )
