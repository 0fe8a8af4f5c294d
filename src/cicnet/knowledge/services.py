"""Writes of the knowledge app: creating and revoking private calendar feeds (policy checked,
one transaction, audit entry), and reading a feed by its token."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cicnet.access import policy
from cicnet.audit.services import audit_record
from cicnet.errors import ActionDenied, UserInputError
from cicnet.knowledge.models import CalendarFeed

MAX_ACTIVE_FEEDS = 10
MAX_LABEL = 100


@dataclass(frozen=True)
class NewFeed:
    feed: CalendarFeed
    token: str  # shown once; only its hash is stored


def calendar_feed_create(*, actor: policy.Actor, label: str = "") -> NewFeed:
    user_id = actor.user_id
    if user_id is None or not policy.can_hold_calendar_feed(actor):
        raise ActionDenied("log in to create a private calendar feed")
    label = " ".join(label.split())
    if len(label) > MAX_LABEL:
        raise UserInputError(
            f"label: at most {MAX_LABEL} characters ({len(label)} given).", field="label"
        )
    with transaction.atomic():
        active = CalendarFeed.objects.filter(user_id=user_id, revoked_at__isnull=True)
        if active.count() >= MAX_ACTIVE_FEEDS:
            raise UserInputError(
                f"label: you have {MAX_ACTIVE_FEEDS} active feeds; revoke one before adding "
                "another.",
                field="label",
            )
        token = CalendarFeed.new_token()
        feed = CalendarFeed.objects.create(
            user_id=user_id, token_hash=CalendarFeed.hash_token(token), label=label
        )
        audit_record(
            actor=actor,
            action="calendar_feed.create",
            object_type="calendar_feed",
            object_id=feed.pk,
            changes={"label": label},
        )
    return NewFeed(feed=feed, token=token)


def calendar_feed_revoke(*, actor: policy.Actor, feed_id: int) -> CalendarFeed:
    """Revoke one of the actor's own feeds; someone else's feed is ``ActionDenied`` (pages
    answer 404, so its existence is not revealed)."""
    user_id = actor.user_id
    if user_id is None:
        raise ActionDenied("no such feed of yours")
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(pk=feed_id, user_id=user_id).first()
        if feed is None:
            raise ActionDenied("no such feed of yours")
        if feed.revoked_at is None:
            feed.revoked_at = timezone.now()
            feed.save(update_fields=["revoked_at"])
            audit_record(
                actor=actor,
                action="calendar_feed.revoke",
                object_type="calendar_feed",
                object_id=feed.pk,
            )
    return feed


def calendar_feed_owner(*, token: str) -> policy.Actor | None:
    """The actor a private feed is read as, or ``None`` for an unknown or revoked token. The
    owner's role and memberships are read now, so a revoked membership or a deactivated account
    takes effect at the next fetch (an inactive account reads as the public)."""
    if not token or len(token) > 200:
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=CalendarFeed.hash_token(token), revoked_at__isnull=True)
        .first()
    )
    if feed is None:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return policy.actor_for(feed.user)
