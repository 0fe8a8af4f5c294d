"""Account pages: API tokens, the throttled login and the second factor (two_factor.py).

The API tokens page: a logged-in member creates and revokes their own tokens.

A new token's secret is shown once, in the answer to the POST that created it (never stored in
the session or shown again); afterwards only its label and dates are listed.
"""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from cicnet.access import policy
from cicnet.access.context import request_actor
from cicnet.accounts import two_factor
from cicnet.accounts.api_auth import client_address
from cicnet.accounts.selectors import api_tokens_for
from cicnet.accounts.services import api_token_issue, api_token_revoke

LABEL_MAX = 100


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    if not policy.can_use_api_token(actor):
        raise Http404("no such page")
    new_token = None
    error = ""
    if request.method == "POST":
        label = request.POST.get("label", "").strip()
        if len(label) > LABEL_MAX:
            error = f"Label: at most {LABEL_MAX} characters ({len(label)} given)."
        else:
            new_token = api_token_issue(actor=actor, user=request.user, label=label)  # type: ignore[arg-type]  # login_required: a User
    status = 400 if error else 200
    return render(
        request,
        "accounts/tokens.html",
        {"tokens": api_tokens_for(actor=actor), "new_token": new_token, "error": error},
        status=status,
    )


@login_required
@require_POST
def api_token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    actor = request_actor(request)
    if not api_token_revoke(actor=actor, token_id=token_id):
        raise Http404("no such token")
    messages.success(request, "The token was revoked; requests that use it now get 401.")
    return redirect("api-tokens")


# --- login with throttle, second factor ------------------------------------------------------


class ThrottledLoginView(LoginView):
    """Django's login view, refusing further attempts after too many failures for a username or
    from an address (``two_factor.login_throttled``), with a message saying how long to wait."""

    template_name = "accounts/login.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = request.POST.get("username", "")
        address = client_address(request)
        if two_factor.login_throttled(username, address):
            minutes = max(1, int(settings.CICNET_LOGIN_LOCKOUT_SECONDS) // 60)
            form = self.get_form()
            form.errors.clear()
            context = self.get_context_data(
                form=form,
                throttled=f"Too many failed log-ins for this account; "
                f"wait {minutes} minutes and try again.",
            )
            return self.render_to_response(context, status=429)
        response = super().post(request, *args, **kwargs)
        if response.status_code == 302:
            two_factor.login_succeeded(username, address)
        else:
            two_factor.login_failed(username, address)
        return response


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_page(request: HttpRequest) -> HttpResponse:
    """Enter the code of the enrolled authenticator, or enrol one (QR code and secret)."""
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    error = ""
    if request.method == "POST":
        error = two_factor.totp_verify(request, token=request.POST.get("token", ""))
        if not error:
            return redirect(next_url)
    device = two_factor.totp_device(request.user)
    context: dict[str, Any] = {
        "next": next_url,
        "error": error,
        "enrolling": device is None,
        # Sent here by the vault, which asks demo accounts for a code too: say why.
        "vault": next_url.startswith("/cooperation/"),
    }
    if device is None:
        pending = two_factor.totp_enrolment_start(request.user)
        context["secret"] = two_factor.totp_secret(pending)
        context["qr_svg"] = segno.make(pending.config_url, error="m").svg_inline(scale=4)
    return render(request, "accounts/two_factor.html", context, status=400 if error else 200)
