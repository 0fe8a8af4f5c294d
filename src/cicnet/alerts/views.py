"""Alert pages: the list of one's alerts (``/alerts/``), saving a search or a follow, rotating a
feed token, deleting, and the signed one-click unsubscribe. Each view validates, calls one
service or selector, and renders."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cicnet.access import policy
from cicnet.access.context import request_actor
from cicnet.alerts import selectors, services
from cicnet.alerts.feeds import PublicSearchFeed
from cicnet.alerts.models import FREQUENCIES, KINDS, Alert
from cicnet.errors import ActionDenied, UserInputError


def _keeper(request: HttpRequest) -> policy.Actor:
    actor = request_actor(request)
    if not policy.can_keep_alerts(actor):
        raise Http404("Log in to keep alerts.")
    return actor


def _feed_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("alert-feed", args=[token]))


@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    if not policy.can_keep_alerts(actor):
        return redirect(f"{reverse('login')}?next={reverse('alerts')}")
    return render(
        request,
        "alerts/list.html",
        {
            "alerts": list(selectors.alerts_for(actor=actor)),
            "kinds": KINDS,
            "frequencies": FREQUENCIES,
            "new_feed_url": request.session.pop("alerts_new_feed_url", ""),
            "new_feed_alert": request.session.pop("alerts_new_feed_alert", None),
        },
    )


def _remember_feed(request: HttpRequest, alert: Alert, token: str) -> None:
    request.session["alerts_new_feed_url"] = _feed_url(request, token)
    request.session["alerts_new_feed_alert"] = alert.pk


@require_POST
def alert_create(request: HttpRequest) -> HttpResponse:
    actor = _keeper(request)
    try:
        alert, token = services.alert_create(
            actor=actor,
            kind=request.POST.get("kind", "search"),
            name=request.POST.get("name", ""),
            frequency=request.POST.get("frequency", "weekly"),
            querystring=request.POST.get("querystring", ""),
            target=request.POST.get("target", ""),
        )
    except UserInputError as exc:
        messages.error(request, f"Not saved — {exc.field or 'alert'}: {exc.message}.")
        return redirect("alerts")
    _remember_feed(request, alert, token)
    messages.success(request, f"Saved “{alert.name}”.")
    return redirect("alerts")


@require_POST
def alert_change(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _keeper(request)
    action = request.POST.get("action", "")
    try:
        if action == "delete":
            services.alert_delete(actor=actor, pk=pk)
            messages.success(request, "Alert deleted.")
        elif action == "rotate":
            alert, token = services.alert_rotate_token(actor=actor, pk=pk)
            _remember_feed(request, alert, token)
            messages.success(request, "New feed link made; the old one no longer works.")
        elif action == "update":
            services.alert_update(
                actor=actor,
                pk=pk,
                frequency=request.POST.get("frequency", ""),
                is_active=request.POST.get("is_active") == "on",
            )
            messages.success(request, "Alert updated.")
        else:
            messages.error(request, "action: choose delete, rotate or update.")
    except ActionDenied as exc:
        raise Http404(str(exc)) from exc
    except UserInputError as exc:
        messages.error(request, f"Not changed — {exc.field}: {exc.message}.")
    return redirect("alerts")


@csrf_exempt  # RFC 8058 one-click POST from a mail client; the signed token is the authority
@require_http_methods(["GET", "POST"])
def alert_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        alert = services.alert_unsubscribe(token=token)
        if alert is None:
            raise Http404("This unsubscribe link is not valid.")
        return render(request, "alerts/unsubscribed.html", {"alert": alert})
    found = services.alert_for_unsubscribe(token)
    if found is None:
        raise Http404("This unsubscribe link is not valid.")
    # GET only asks: mail scanners follow links, and must not unsubscribe anyone.
    return render(request, "alerts/unsubscribe.html", {"alert": found, "token": token})


_public_feed = PublicSearchFeed()


@require_GET
def public_feed(request: HttpRequest) -> HttpResponse:
    """The public Atom feed of a search; a bad parameter is a 400 naming it."""
    try:
        return _public_feed(request)
    except UserInputError as exc:
        return HttpResponse(
            f"{exc.field or 'q'}: {exc.message}",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
