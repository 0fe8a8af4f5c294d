"""Reads on alerts, and what an alert delivers. Alerts are read through the policy (the
owner's only); delivered decisions are read through ``decisions_for`` with the owner's actor
*as it is now* (``policy.alert_recipient``), never with what was true when the alert was saved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from cicnet.access import policy
from cicnet.alerts.matching import Batch, Candidate
from cicnet.alerts.models import Alert, token_hash
from cicnet.citations.models import Citation
from cicnet.jurisprudence.models import Decision
from cicnet.jurisprudence.selectors import decisions_for
from cicnet.search.documents import records_for_uids
from cicnet.search.params import params_from_querydict
from cicnet.search.types import SearchParams

FEED_ITEMS = 50
FEED_WINDOW = dt.timedelta(days=365)
FEED_CANDIDATES = 1000


def alerts_for(*, actor: policy.Actor) -> QuerySet[Alert]:
    return policy.alerts_visible(actor, Alert.objects.all()).order_by("name", "pk")


def alert_get(*, actor: policy.Actor, pk: int) -> Alert | None:
    return alerts_for(actor=actor).filter(pk=pk).first()


def alert_for_feed(*, token: str) -> tuple[Alert, policy.Actor] | None:
    """The active alert whose private feed token this is, with its recipient's actor now;
    ``None`` for an unknown, rotated or unsubscribed token, or an owner who may no longer keep
    alerts."""
    alert = (
        Alert.objects.filter(feed_token_hash=token_hash(token), is_active=True)
        .select_related("owner")
        .first()
    )
    if alert is None:
        return None
    recipient = policy.alert_recipient(alert.owner)
    return (alert, recipient) if recipient is not None else None


def search_params(alert: Alert) -> SearchParams:
    """The saved search's parameters (validated when it was saved)."""
    from django.http import QueryDict

    return params_from_querydict(QueryDict(alert.querystring), page_size=1)


def candidates(uids: Iterable[str]) -> list[Candidate]:
    """The decisions with these uids as alerts match them (their index records, proceedings
    and cited decisions), whatever their tier: callers restrict by the recipient's scope."""
    uid_list = sorted(set(uids))
    if not uid_list:
        return []
    rows = Decision.objects.filter(uid__in=uid_list).values_list("uid", "proceedings__key")
    proceedings = {uid: key or "" for uid, key in rows}
    cites: dict[str, set[str]] = {}
    for citing, cited in Citation.objects.filter(
        citing__uid__in=uid_list, cited__isnull=False
    ).values_list("citing__uid", "cited__uid"):
        cites.setdefault(citing, set()).add(cited)
    return [
        Candidate(
            record=rec,
            proceedings_key=proceedings.get(rec.uid, ""),
            cites=frozenset(cites.get(rec.uid, ())),
        )
        for rec in records_for_uids(uid_list)
    ]


def alert_mask(batch: Batch, alert: Alert) -> int:
    if alert.kind == "search":
        return batch.search_mask(search_params(alert))
    return batch.follow_mask(alert.kind, alert.target)


def feed_items(*, alert: Alert, recipient: policy.Actor) -> list[Decision]:
    """The newest decisions (published within a year) that the alert matches and its owner may
    read now, newest first, read through the policy."""
    since = timezone.now() - FEED_WINDOW
    recent = list(
        decisions_for(actor=recipient)
        .filter(state="published", published_at__gte=since)
        .order_by("-published_at", "uid")
        .values_list("uid", flat=True)[:FEED_CANDIDATES]
    )
    batch = Batch(candidates(recent))
    mask = alert_mask(batch, alert) & batch.scope_mask(policy.decision_scope(recipient))
    uids = batch.uids(mask)
    return list(
        decisions_for(actor=recipient)
        .filter(uid__in=uids)
        .order_by("-published_at", "uid")[:FEED_ITEMS]
    )
