"""HTTP endpoints of the serving layer."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cicnet.server.health import health_check


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness for load balancers: 200 when the database answers, else 503."""
    user = getattr(request, "user", None)
    health = health_check(authenticated=bool(user is not None and user.is_authenticated))
    return JsonResponse(health.as_dict(), status=200 if health.status == "ok" else 503)
