"""Who is calling the JSON API, and how often anonymous callers may call it.

Authentication runs as a chain (django-ninja tries each in order; the first that returns an
``Actor`` wins):

1. ``ApiTokenAuth`` — ``Authorization: Bearer <token>`` with an ``accounts.ApiToken``. A header
   that is present but wrong (another scheme, an unknown or revoked token, an inactive user)
   is answered with 401 and a message saying what to fix; it never falls back to anonymous,
   so a client with a broken token notices instead of silently seeing only the public tier.
2. ``SessionActorAuth`` — the browser's Django session (same-origin GET, e.g. the /api/v1/docs
   page or htmx), CSRF-checked by django-ninja for unsafe methods.
3. ``anonymous_actor`` — everyone else is the anonymous actor (public tier only).

``AnonymousRateThrottle`` then limits anonymous actors to ``settings.CICNET_ANON_API_RATE``
requests per minute per client address (fixed one-minute windows counted in Django's cache;
429 with ``Retry-After``). Logged-in and token-holding members are not held to that limit.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import BaseThrottle

from cicnet.access import policy
from cicnet.accounts.models import ApiToken

# last_used_at is written at most this often per token, so that a busy client does not turn
# every read into a write (SQLite has one writer at a time).
LAST_USED_RESOLUTION = dt.timedelta(seconds=60)


class ApiAuthError(HttpError):
    """401 for a credential that was sent but cannot be used; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(status_code=401, message=message)


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` → the token owner's actor."""

    def __call__(self, request: HttpRequest) -> Any:
        value = request.headers.get(self.header, "")
        if not value:
            return None
        scheme, _, token = value.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiAuthError(
                "Authorization header: use 'Authorization: Bearer <token>' with a token from "
                "/accounts/tokens/ (or send no Authorization header for anonymous access)."
            )
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> policy.Actor:
        api_token = ApiToken.objects.select_related("user").filter(key=token).first()
        if api_token is None:
            raise ApiAuthError(
                "Authorization header: the API token is unknown or was revoked; create a new "
                "one at /accounts/tokens/."
            )
        actor = policy.actor_for(api_token.user)
        if not api_token.user.is_active or not policy.can_use_api_token(actor):
            raise ApiAuthError(
                "Authorization header: the account that owns this API token is inactive or may "
                "not use the API with a token."
            )
        now = timezone.now()
        if api_token.last_used_at is None or now - api_token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request._cicnet_actor = actor  # type: ignore[attr-defined]  # per-request cache, see access.context
        return actor


class SessionActorAuth(SessionAuth):
    """The logged-in browser session → the user's actor."""

    def authenticate(self, request: HttpRequest, key: str | None) -> policy.Actor | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        actor = policy.actor_for(user)
        request._cicnet_actor = actor  # type: ignore[attr-defined]  # per-request cache, see access.context
        return actor


def anonymous_actor(request: HttpRequest) -> policy.Actor:
    """Last link of the chain: no credentials means the anonymous actor (never a 401)."""
    return policy.ANONYMOUS


def api_auth() -> list[Any]:
    """The authentication chain every API operation uses."""
    return [ApiTokenAuth(), SessionActorAuth(), anonymous_actor]


def request_api_actor(request: HttpRequest) -> policy.Actor:
    """The actor the auth chain resolved for this request (anonymous when none ran)."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, policy.Actor) else policy.ANONYMOUS


def client_address(request: HttpRequest) -> str:
    """The caller's address for throttling.

    ``X-Forwarded-For`` is trusted only when ``settings.CICNET_NUM_PROXIES`` (default 0) says how
    many reverse proxies in front of the app append to it; otherwise any client could dodge the
    limit by sending the header.
    """
    num_proxies = int(settings.CICNET_NUM_PROXIES)
    remote = str(request.META.get("REMOTE_ADDR", "") or "unknown")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if num_proxies > 0 and forwarded:
        addresses = [a.strip() for a in str(forwarded).split(",") if a.strip()]
        if addresses:
            return addresses[-min(num_proxies, len(addresses))]
    return remote


class AnonymousRateThrottle(BaseThrottle):
    """At most ``settings.CICNET_ANON_API_RATE`` anonymous requests per minute per address.

    Fixed one-minute windows counted with an atomic ``cache.incr`` in the cache every process
    shares (the database's, ``server/cache.py``, or Redis; docs/deploy.md). The rate is read on
    every request, so a changed setting applies at once.
    """

    window_seconds = 60

    def allow_request(self, request: HttpRequest) -> bool:
        if not request_api_actor(request).is_anonymous:
            return True
        rate = int(settings.CICNET_ANON_API_RATE)
        if rate <= 0:  # 0 switches the limit off
            return True
        now = time.time()
        window = int(now // self.window_seconds)
        key = f"cicnet:api-throttle:{client_address(request)}:{window}"
        # One cache operation on the common path (the window's key exists): with the database
        # cache each operation is several queries and a write, on every anonymous request.
        try:
            count = cache.incr(key)
        except ValueError:  # the window's first request (or its key expired): open it
            if cache.add(key, 1, timeout=self.window_seconds + 5):
                count = 1
            else:  # another process opened it meanwhile
                try:
                    count = cache.incr(key)
                except ValueError:  # and it expired at once: count this request alone
                    count = 1
        return count <= rate

    def wait(self) -> float | None:
        """Seconds until the current window ends (stateless: one throttle object serves every
        request and thread)."""
        return self.window_seconds - (time.time() % self.window_seconds)
