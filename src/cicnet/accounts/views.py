"""The API tokens page: a logged-in member creates and revokes their own tokens.

A new token's secret is shown once, in the answer to the POST that created it (never stored in
the session or shown again); afterwards only its label and dates are listed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cicnet.access import policy
from cicnet.access.context import request_actor
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
