"""Template context: the actor and what the policy lets them do, for navigation."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest

from cicnet.access import policy


def request_actor(request: HttpRequest) -> policy.Actor:
    """The actor for an HTML request, cached on the request."""
    cached = getattr(request, "_cicnet_actor", None)
    if cached is None:
        cached = policy.actor_for(getattr(request, "user", None))
        request._cicnet_actor = cached  # type: ignore[attr-defined]  # per-request cache
    return cached


def actor_context(request: HttpRequest) -> dict[str, Any]:
    actor = request_actor(request)
    user = getattr(request, "user", None)
    return {
        "actor": actor,
        "can_curate": policy.can_curate(actor),
        "can_view_audit_log": policy.can_view_audit_log(actor),
        "can_keep_alerts": policy.can_keep_alerts(actor),
        # Called by the template only where it is shown (logged-in users): no query for an
        # anonymous visitor, one for a member (cached on the actor, which the request keeps).
        "can_use_coordination": functools.partial(policy.can_use_coordination, actor),
        # A demo account that skipped the second factor under the demo settings: flagged on
        # every page (accounts/two_factor.py).
        "two_factor_skipped": bool(
            user is not None
            and user.is_authenticated
            and not (hasattr(user, "is_verified") and user.is_verified())
            and _demo_exempt(user)
        ),
    }


def _demo_exempt(user: Any) -> bool:
    from cicnet.accounts.two_factor import demo_exempt

    return demo_exempt(user)
