"""The private Atom feed of an alert (Django's syndication framework), at
``/alerts/feeds/<token>/``. The token is the only authority (a feed reader has no session); it
is stored hashed, shown once, and rotating it revokes the old URL. Items are read at request
time through the policy for the owner as they are now (``selectors.feed_items``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.feedgenerator import Atom1Feed

from cicnet.access import policy
from cicnet.alerts.models import Alert
from cicnet.alerts.selectors import alert_for_feed, feed_items
from cicnet.alerts.services import public_search_alert
from cicnet.jurisprudence.models import Decision


class AlertFeed(Feed):  # type: ignore[type-arg] # Feed is generic in django-stubs only
    feed_type = Atom1Feed

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().__call__(request, *args, **kwargs)
        # Private to its owner: never stored by shared caches, never indexed.
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        return response

    def get_object(self, request: HttpRequest, token: str) -> tuple[Alert, policy.Actor]:
        found = alert_for_feed(token=token)
        if found is None:
            raise Http404("No such feed (the link may have been revoked).")
        return found

    def title(self, obj: tuple[Alert, policy.Actor]) -> str:
        return f"cicnet: {obj[0].name}"

    def subtitle(self, obj: tuple[Alert, policy.Actor]) -> str:
        return f"{obj[0].kind_label}. New decisions you may read, newest first."

    def link(self, obj: tuple[Alert, policy.Actor]) -> str:
        alert = obj[0]
        return f"/?{alert.querystring}" if alert.kind == "search" else "/alerts/"

    def items(self, obj: tuple[Alert, policy.Actor]) -> list[Decision]:
        alert, recipient = obj
        return feed_items(alert=alert, recipient=recipient)

    def item_title(self, item: Decision) -> str:
        return item.title

    def item_description(self, item: Decision) -> str:
        date = item.date_display if item.decision_date else "date not stated"
        return f"{item.court} ({item.country}), {date}. {item.get_outcome_display()}."

    def item_link(self, item: Decision) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Decision) -> dt.datetime | None:
        return item.published_at

    def item_updateddate(self, item: Decision) -> dt.datetime | None:
        return item.published_at


class PublicSearchFeed(AlertFeed):
    """``/alerts/feeds/search/?q=…``: the Atom feed of any search, for everyone, always as the
    anonymous public (a feed reader sends no session): published decisions of the public tier
    only, whoever asks. Bad parameters answer 400 naming the parameter."""

    def get_object(  # type: ignore[override] # no token: the parameters are the object
        self, request: HttpRequest
    ) -> tuple[Alert, policy.Actor]:
        return public_search_alert(request.GET.urlencode()), policy.ANONYMOUS

    def link(self, obj: tuple[Alert, policy.Actor]) -> str:
        return f"/?{obj[0].querystring}"

    def subtitle(self, obj: tuple[Alert, policy.Actor]) -> str:
        return "Newly published public decisions matching this search, newest first."
