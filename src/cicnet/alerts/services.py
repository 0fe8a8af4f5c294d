"""Writes on alerts (save, rotate the feed token, delete, unsubscribe) and the e-mail digest.

The digest (``alerts_send``, run by ``cicnet send_alerts --frequency daily|weekly`` from cron)
looks at the decisions published since each alert's last digest, matches every due alert
against them in one in-memory batch (``matching.py``), and mails each owner what *they may
read now*: the batch is restricted to the owner's ``decision_scope`` and the matched decisions
are re-read through ``decisions_for`` with the owner's actor (``policy.alert_recipient``). An
owner who was deactivated or lost the role gets nothing. Mail goes out one message per alert,
each with a signed one-click unsubscribe link (RFC 8058 headers).
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from cicnet.access import policy
from cicnet.alerts.matching import Batch
from cicnet.alerts.models import FREQUENCIES, KINDS, Alert, token_hash
from cicnet.alerts.selectors import alert_mask, candidates
from cicnet.errors import ActionDenied, UserInputError
from cicnet.jurisprudence.models import Decision
from cicnet.jurisprudence.selectors import decision_get, decisions_for
from cicnet.law.crimes import GROUPS, crimes
from cicnet.law.provisions import provision
from cicnet.search.params import params_from_querydict, params_to_pairs
from cicnet.search.query import parse

UNSUBSCRIBE_SALT = "cicnet.alerts.unsubscribe"
MAX_ALERTS_PER_USER = 200
DIGEST_ITEMS = 50  # decisions listed in one e-mail; the rest are counted and linked
_NOT_SAVED = ("page", "page_size", "decision")


class AlertError(UserInputError):
    """An alert that cannot be saved as given; names the field."""


def _denied(actor: policy.Actor) -> None:
    if not policy.can_keep_alerts(actor):
        raise ActionDenied("log in as a member to save searches and follow decisions")


def _clean_search(querystring: str) -> str:
    qd = QueryDict(querystring.lstrip("?"))
    params = params_from_querydict(qd)  # raises QueryError naming the parameter
    parse(params.q)
    pairs = [(k, v) for k, v in params_to_pairs(params) if k not in _NOT_SAVED]
    from urllib.parse import urlencode

    cleaned = urlencode(pairs)
    if len(cleaned) > 2000:
        raise AlertError("the search is too long to save (2,000 characters)", field="querystring")
    return cleaned


def _clean_target(actor: policy.Actor, kind: str, target: str) -> str:
    target = target.strip()
    if kind in ("proceedings", "citation"):
        decision = decision_get(actor=actor, uid=target, with_texts=False)
        if decision is None:
            raise AlertError(f"no decision '{target}' that you may read", field="target")
        if kind == "citation":
            return decision.uid
        if decision.proceedings is None:
            raise AlertError(
                "this decision has no proceedings to follow; follow its citations instead",
                field="target",
            )
        return decision.proceedings.key
    if kind == "crime":
        if target not in crimes() and target not in GROUPS:
            raise AlertError(
                f"'{target}' is not a crime id (e.g. 7(1)(f)) or group ({', '.join(GROUPS)})",
                field="target",
            )
        return target
    if provision(target.upper()) is None:
        raise AlertError(
            f"'{target}' is not a national provision key (e.g. DE:2); see a decision's provisions",
            field="target",
        )
    return target.upper()


def public_search_alert(querystring: str) -> Alert:
    """An unsaved search alert for the public feed of a search (validated like a saved one;
    raises QueryError naming the parameter)."""
    cleaned = _clean_search(querystring)
    return Alert(kind="search", name=f"Search: {cleaned or 'all decisions'}", querystring=cleaned)


@transaction.atomic
def alert_create(
    *,
    actor: policy.Actor,
    kind: str,
    name: str,
    frequency: str,
    querystring: str = "",
    target: str = "",
) -> tuple[Alert, str]:
    """Save an alert; returns it and its private feed token (shown once)."""
    _denied(actor)
    if kind not in KINDS:
        raise AlertError(f"kind must be one of {', '.join(KINDS)}", field="kind")
    if frequency not in FREQUENCIES:
        raise AlertError(f"frequency must be one of {', '.join(FREQUENCIES)}", field="frequency")
    name = name.strip()[:200]
    if kind == "search":
        querystring, target = _clean_search(querystring), ""
    else:
        querystring, target = "", _clean_target(actor, kind, target)
    if not name:
        name = f"{KINDS[kind]}: {querystring or target}"[:200]
    if Alert.objects.filter(owner_id=actor.user_id).count() >= MAX_ALERTS_PER_USER:
        raise AlertError(f"you have {MAX_ALERTS_PER_USER} alerts; delete one first", field="kind")
    assert actor.user_id is not None  # can_keep_alerts requires a user
    token = Alert.new_token()
    alert = Alert.objects.create(
        owner_id=actor.user_id,
        kind=kind,
        name=name,
        querystring=querystring,
        target=target,
        frequency=frequency,
        feed_token_hash=token_hash(token),
        last_sent_at=timezone.now(),
    )
    return alert, token


def _own(actor: policy.Actor, pk: int) -> Alert:
    _denied(actor)
    alert = policy.alerts_visible(actor, Alert.objects.all()).filter(pk=pk).first()
    if alert is None:
        raise ActionDenied("no such alert of yours")
    return alert


@transaction.atomic
def alert_rotate_token(*, actor: policy.Actor, pk: int) -> tuple[Alert, str]:
    """A new private feed token; the old feed URL stops working at once."""
    alert = _own(actor, pk)
    token = Alert.new_token()
    alert.feed_token_hash = token_hash(token)
    alert.save(update_fields=["feed_token_hash"])
    return alert, token


@transaction.atomic
def alert_update(*, actor: policy.Actor, pk: int, frequency: str, is_active: bool) -> Alert:
    alert = _own(actor, pk)
    if frequency not in FREQUENCIES:
        raise AlertError(f"frequency must be one of {', '.join(FREQUENCIES)}", field="frequency")
    alert.frequency, alert.is_active = frequency, is_active
    alert.save(update_fields=["frequency", "is_active"])
    return alert


@transaction.atomic
def alert_delete(*, actor: policy.Actor, pk: int) -> None:
    _own(actor, pk).delete()


def unsubscribe_token(alert: Alert) -> str:
    return signing.dumps({"a": alert.pk, "o": alert.owner_id}, salt=UNSUBSCRIBE_SALT)


def alert_for_unsubscribe(token: str) -> Alert | None:
    """The alert a signed unsubscribe link names, or ``None`` for a forged or stale one."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    pk, owner = data.get("a"), data.get("o")
    if not isinstance(pk, int) or not isinstance(owner, int):
        return None
    return Alert.objects.filter(pk=pk, owner_id=owner).first()


@transaction.atomic
def alert_unsubscribe(*, token: str) -> Alert | None:
    """Switch off the alert of a signed link (no login: the signature is the authority)."""
    alert = alert_for_unsubscribe(token)
    if alert is not None and alert.is_active:
        alert.is_active = False
        alert.save(update_fields=["is_active"])
    return alert


# --- the digest -------------------------------------------------------------------------------


@dataclass
class SendReport:
    frequency: str
    alerts: int = 0
    candidates: int = 0
    messages: int = 0
    decisions_sent: int = 0
    skipped_owners: int = 0
    seconds_matching: float = 0.0
    per_alert: dict[int, list[str]] = field(default_factory=dict)

    def summary(self) -> str:
        return (
            f"{self.frequency}: {self.alerts} alerts against {self.candidates} new decisions, "
            f"{self.messages} e-mails with {self.decisions_sent} decisions"
            + (
                f", {self.skipped_owners} alerts of owners without access"
                if self.skipped_owners
                else ""
            )
        )


def _base_url() -> str:
    return str(getattr(settings, "CICNET_BASE_URL", "")).rstrip("/")


def alerts_send(*, frequency: str, now: dt.datetime | None = None) -> SendReport:
    """Send the due digests of ``frequency``; advances each alert's watermark to ``now``."""
    import time

    if frequency not in ("daily", "weekly"):
        raise AlertError("frequency must be daily or weekly", field="frequency")
    now = now or timezone.now()
    report = SendReport(frequency=frequency)
    due = list(
        Alert.objects.filter(frequency=frequency, is_active=True, owner__is_active=True)
        .select_related("owner")
        .order_by("pk")
    )
    report.alerts = len(due)
    if not due:
        return report
    since = min(a.last_sent_at or a.created_at for a in due)
    new = list(
        Decision.objects.filter(state="published", published_at__gt=since, published_at__lte=now)
        .order_by("published_at", "uid")
        .values_list("uid", "published_at")
    )
    report.candidates = len(new)
    started = time.perf_counter()
    by_uid = {c.record.uid: c for c in candidates(u for u, _ in new)}
    ordered = [by_uid[u] for u, _ in new if u in by_uid]
    times = [p for u, p in new if u in by_uid and p is not None]
    batch = Batch(ordered)
    scopes: dict[int, policy.Actor | None] = {}
    scope_masks: dict[policy.DecisionScope, int] = {}
    outbox: list[tuple[Alert, policy.Actor, list[str]]] = []
    for alert in due:
        if alert.owner_id not in scopes:
            scopes[alert.owner_id] = policy.alert_recipient(alert.owner)
        recipient = scopes[alert.owner_id]
        if recipient is None:
            report.skipped_owners += 1
            continue
        scope = policy.decision_scope(recipient)
        if scope not in scope_masks:
            scope_masks[scope] = batch.scope_mask(scope)
        watermark = alert.last_sent_at or alert.created_at
        first = bisect.bisect_right(times, watermark)
        newer = (batch.all >> first) << first
        mask = newer & scope_masks[scope]
        if mask:
            mask &= alert_mask(batch, alert)
        if mask:
            outbox.append((alert, recipient, batch.uids(mask)))
    report.seconds_matching = time.perf_counter() - started
    # Read the matched decisions again through the policy: one query per kind of reader (what
    # ``decisions_for`` returns depends only on the actor's scope and whether they read
    # originals), not one per alert. The last word on what each owner sees.
    readable: dict[tuple[policy.DecisionScope, bool], dict[str, Decision]] = {}
    orders: dict[tuple[policy.DecisionScope, bool], dict[str, int]] = {}
    groups: dict[tuple[policy.DecisionScope, bool], tuple[policy.Actor, set[str]]] = {}
    for _, recipient, uids in outbox:
        key = (policy.decision_scope(recipient), policy.can_read_original(recipient))
        groups.setdefault(key, (recipient, set()))[1].update(uids)
    for key, (reader, wanted) in groups.items():
        rows = decisions_for(actor=reader).filter(uid__in=sorted(wanted))
        readable[key] = {d.uid: d for d in rows.order_by("-decision_date", "uid")}
        orders[key] = {uid: n for n, uid in enumerate(readable[key])}
    connection = get_connection()
    messages = []
    for alert, recipient, uids in outbox:
        key = (policy.decision_scope(recipient), policy.can_read_original(recipient))
        seen = readable[key]
        order = orders[key]
        decisions = [seen[u] for u in sorted((u for u in uids if u in seen), key=order.__getitem__)]
        if not decisions or not alert.owner.email:
            continue
        report.per_alert[alert.pk] = [d.uid for d in decisions]
        report.decisions_sent += len(decisions)
        messages.append(_message(alert, decisions))
    if messages:
        connection.send_messages(messages)
    report.messages = len(messages)
    Alert.objects.filter(pk__in=[a.pk for a in due]).update(last_sent_at=now)
    return report


def _digest_body(alert: Alert, decisions: list[Decision], base: str, unsubscribe: str) -> str:
    """The plain-text digest: the newest ``DIGEST_ITEMS`` decisions, then how many more and
    where to see them all."""
    lines = [
        f"{alert.kind_label}: {alert.name}",
        "",
        f"{len(decisions)} new decision{'s' if len(decisions) != 1 else ''} that you may read:",
    ]
    for d in decisions[:DIGEST_ITEMS]:
        date = f", {d.date_display}" if d.decision_date else ""
        lines += ["", f"- {d.title}", f"  {d.court}{date}", f"  {base}{d.get_absolute_url()}"]
    more = len(decisions) - DIGEST_ITEMS
    if more > 0:
        where = (
            f"{base}/?{alert.querystring}&sort=date_desc"
            if alert.kind == "search"
            else (f"{base}{reverse('alerts')}")
        )
        lines += ["", f"… and {more} more: {where}"]
    lines += [
        "",
        f"Manage your alerts: {base}{reverse('alerts')}",
        f"Unsubscribe from this alert (one click): {unsubscribe}",
        "",
    ]
    return "\n".join(lines)


def _message(alert: Alert, decisions: list[Decision]) -> EmailMessage:
    base = _base_url()
    unsubscribe = base + reverse("alert-unsubscribe", args=[unsubscribe_token(alert)])
    return EmailMessage(
        subject=f"[cicnet] {len(decisions)} new: {alert.name}"[:200],
        body=_digest_body(alert, decisions, base, unsubscribe),
        to=[alert.owner.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
