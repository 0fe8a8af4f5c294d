"""E-mail notifications of new documents and meetings, per-user preferences (Django's mail
framework: the console back-end in the demo, SMTP as configured in docs/deploy.md).

Recipients are the network's members who may see the new item (``access/policy/``) and have
not switched the notification off. Mail is sent after the transaction commits, one message per
recipient (no addresses are disclosed to other recipients).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction

from cicnet.access import policy
from cicnet.accounts.models import User
from cicnet.network.models import Document, Meeting, Membership, NotificationPreference


def preferences_for(*, actor: policy.Actor) -> NotificationPreference | None:
    if actor.user_id is None:
        return None
    prefs, _ = NotificationPreference.objects.get_or_create(user_id=actor.user_id)
    return prefs


@transaction.atomic
def preferences_update(*, actor: policy.Actor, new_documents: bool, new_meetings: bool) -> None:
    if actor.user_id is None:
        raise PermissionError("log in to change notification preferences")
    NotificationPreference.objects.update_or_create(
        user_id=actor.user_id,
        defaults={"new_documents": new_documents, "new_meetings": new_meetings},
    )


def _members(network_id: int, opted_out_field: str) -> list[User]:
    user_ids = (
        Membership.objects.filter(network_id=network_id, is_active=True, person__user__isnull=False)
        .values_list("person__user_id", flat=True)
        .distinct()
    )
    opted_out = NotificationPreference.objects.filter(
        user_id__in=user_ids, **{opted_out_field: False}
    ).values_list("user_id", flat=True)
    return list(
        User.objects.filter(pk__in=user_ids, is_active=True)
        .exclude(pk__in=opted_out)
        .exclude(email="")
    )


def document_recipients(document: Document) -> list[User]:
    """Members of the document's network who may see it and want to hear about it."""
    return [
        u
        for u in _members(document.network_id, "new_documents")
        if policy.can_view_document(policy.actor_for(u), document)
    ]


def notify_new_document(document: Document, *, base_url: str = "") -> None:
    """Queue one e-mail per recipient, sent on commit. The message names the document and its
    classification, never its text."""
    recipients = document_recipients(document)
    url = f"{base_url.rstrip('/')}/network/{document.network.slug}/documents/{document.pk}/"
    messages = tuple(
        (
            f"New document in {document.network}: {document.title}",
            f"A {document.get_classification_display().lower()} document was added: "
            f"{document.title}\n{url}\n\nChange what you receive at /network/me/notifications/.",
            settings.DEFAULT_FROM_EMAIL,
            [u.email],
        )
        for u in recipients
    )
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages))


def meeting_recipients(meeting: Meeting) -> list[User]:
    """Members of the meeting's network who may know of it (``policy.can_view_meeting``: for
    an invitees-only meeting, its invitees and the Secretariat) and want meeting news."""
    return [
        u
        for u in _members(meeting.network_id, "new_meetings")
        if policy.can_view_meeting(policy.actor_for(u), meeting)
    ]


def notify_new_meeting(meeting: Meeting, *, base_url: str = "") -> None:
    """Queue one e-mail per member of the meeting's network who may know of it and wants
    meeting news (never to the whole network for an invitees-only meeting)."""
    url = f"{base_url.rstrip('/')}/network/{meeting.network.slug}/meetings/{meeting.number}/"
    messages = tuple(
        (
            f"{meeting.network}: {meeting.title}, {meeting.start_date:%d %B %Y}",
            f"{meeting.title} is scheduled from {meeting.start_date:%d %B %Y} to "
            f"{meeting.end_date:%d %B %Y}.\n{url}\n\n"
            "Change what you receive at /network/me/notifications/.",
            settings.DEFAULT_FROM_EMAIL,
            [u.email],
        )
        for u in meeting_recipients(meeting)
    )
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages))
