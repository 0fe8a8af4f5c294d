"""Two-factor authentication (TOTP, django-otp) required for every logged-in user, and the
login throttle.

- ``RequireTwoFactorMiddleware`` (after django-otp's ``OTPMiddleware``): a logged-in user whose
  session is not OTP-verified reaches only the second-factor pages, logout and static files;
  other pages redirect to ``/accounts/2fa/``, and API calls on that session are anonymous (API
  tokens are separate credentials, issued from a verified session).
- Required when ``settings.CICNET_REQUIRE_2FA`` (default on). ``CICNET_DEMO_2FA_EXEMPT`` lets
  the printed demo accounts (and only those) skip it; every page then says so in a banner.
- ``login_throttled`` / ``login_failed``: at most ``CICNET_LOGIN_MAX_FAILURES`` failed logins
  per account and address, three times that per account, ten times that per address, in
  ``CICNET_LOGIN_LOCKOUT_SECONDS`` (Django's cache, shared by every process).
- Wrong second-factor codes count the same way, per account (``totp_verify``): at most
  ``CICNET_LOGIN_MAX_FAILURES`` in ``CICNET_LOGIN_LOCKOUT_SECONDS``. django-otp's own per-device
  throttle is off (``OTP_TOTP_THROTTLE_FACTOR = 0``): it refused even the right code for a
  second or more after a wrong one, so a user who mistyped and retyped at once was turned away.

The cryptography is django-otp's (RFC 6238 TOTP); nothing here is home-made crypto
(docs/decisions/0041).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from cicnet.access.policy import actor_for
from cicnet.audit.services import audit_record

TWO_FACTOR_PATH = "/accounts/2fa/"
_ALLOWED_PREFIXES = (TWO_FACTOR_PATH, "/accounts/logout/", "/static/", "/healthz")


def demo_usernames() -> frozenset[str]:
    from cicnet.demo.users import DEMO_LOGINS
    from cicnet.network.demo import NETWORK_DEMO_LOGINS

    return frozenset(d.username for d in DEMO_LOGINS) | frozenset(
        n.username for n in NETWORK_DEMO_LOGINS
    )


def demo_exempt(user: Any) -> bool:
    """A printed demo account under the demo settings (``CICNET_DEMO_2FA_EXEMPT=1``)."""
    return bool(settings.CICNET_DEMO_2FA_EXEMPT) and user.get_username() in demo_usernames()


def needs_second_factor(user: Any) -> bool:
    if not settings.CICNET_REQUIRE_2FA or not getattr(user, "is_authenticated", False):
        return False
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return False
    return not demo_exempt(user)


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and needs_second_factor(user):
            path = request.path
            if path.startswith("/api/"):
                request.user = AnonymousUser()
            elif not path.startswith(_ALLOWED_PREFIXES):
                return redirect(f"{TWO_FACTOR_PATH}?next={path}")
        return self.get_response(request)


def totp_device(user: Any) -> TOTPDevice | None:
    """The user's confirmed TOTP device, if they enrolled one."""
    for device in devices_for_user(user, confirmed=True):
        if isinstance(device, TOTPDevice):
            return device
    return None


@transaction.atomic
def totp_enrolment_start(user: Any) -> TOTPDevice:
    """The unconfirmed device being enrolled (created once, reused until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def totp_secret(device: TOTPDevice) -> str:
    """The base32 secret to type into an authenticator app."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


@transaction.atomic
def totp_verify(request: HttpRequest, *, token: str) -> str:
    """Check a code against the confirmed device, or confirm the one being enrolled; mark the
    session verified. Returns "" on success, else a message naming the field ``token``."""
    user = request.user
    token = token.strip().replace(" ", "")
    if not token.isdigit() or len(token) != 6:
        return "token: enter the 6-digit code from your authenticator app."
    device = totp_device(user)
    enrolling = device is None
    if device is None:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            return "token: start the set-up again; no authenticator is being enrolled."
    if totp_throttled(user.pk):
        minutes = max(1, int(settings.CICNET_LOGIN_LOCKOUT_SECONDS) // 60)
        return f"token: too many wrong codes; wait {minutes} minutes and try again."
    if not device.verify_token(token):
        _count_failure(_totp_key(user.pk))
        return "token: the code is wrong or expired; try the current one."
    cache.delete(_totp_key(user.pk))
    if enrolling:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(
            actor=actor_for(user),
            action="two_factor.enrol",
            object_type="user",
            object_id=user.pk,  # type: ignore[arg-type]  # authenticated: has a pk
        )
    otp_login(request, device)
    return ""


# What one failure counts against, and how many of them lock it (times CICNET_LOGIN_MAX_FAILURES):
# the account from this address locks first, so colleagues behind the same address are not
# shut out by one person's typos; the account from anywhere next (guessing from many addresses
# stays bounded); the address over all accounts last (spraying one password over many names).
_LIMITS = (("ua", 1), ("u", 3), ("a", 10))


def _keys(username: str, address: str) -> list[tuple[str, int]]:
    limit = int(settings.CICNET_LOGIN_MAX_FAILURES)
    name = username.lower()
    scopes = {"ua": f"{name}|{address}", "u": name, "a": address}
    return [(f"cicnet:login-fail:{k}:{scopes[k]}", limit * factor) for k, factor in _LIMITS]


def login_throttled(username: str, address: str) -> bool:
    """Whether a log-in as ``username`` from ``address`` is refused for now. Counted in Django's
    default cache, which all processes share (the database cache unless Redis is set)."""
    if int(settings.CICNET_LOGIN_MAX_FAILURES) <= 0:
        return False
    keys = _keys(username, address)
    counts = cache.get_many([k for k, _ in keys])
    return any(int(counts.get(k, 0)) >= limit for k, limit in keys)


def login_failed(username: str, address: str) -> None:
    for key, _ in _keys(username, address):
        _count_failure(key)


def _count_failure(key: str) -> None:
    cache.add(key, 0, timeout=int(settings.CICNET_LOGIN_LOCKOUT_SECONDS))
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=int(settings.CICNET_LOGIN_LOCKOUT_SECONDS))


def _totp_key(user_id: Any) -> str:
    return f"cicnet:totp-fail:{user_id}"


def totp_throttled(user_id: Any) -> bool:
    """Whether the account has had ``CICNET_LOGIN_MAX_FAILURES`` wrong codes within the
    lock-out time (the password is already known to whoever types here: one count per account,
    whatever the address). A right code clears the count."""
    limit = int(settings.CICNET_LOGIN_MAX_FAILURES)
    return limit > 0 and int(cache.get(_totp_key(user_id), 0)) >= limit


def login_succeeded(username: str, address: str = "") -> None:
    """A right password clears the account's counts from this address and overall."""
    cache.delete_many([k for k, _ in _keys(username, address)[:2]])
