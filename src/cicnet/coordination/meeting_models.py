"""Requests for ad hoc coordination meetings: an authority asks its network's Secretariat for a
meeting on a case, a situation or a topic, naming the authorities concerned; the Secretariat
accepts (scheduling a ``network.Meeting`` whose closed session invites the authorities
concerned) or declines with a reason.

Tables only; imported by ``models.py``. Access: ``policy.meeting_requests_visible``; service:
``meeting_requests.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cicnet.coordination.uids import public_uid
from cicnet.vocabularies import vocabulary


def meeting_request_uid() -> str:
    return public_uid("MR")


class MeetingRequest(models.Model):
    uid = models.CharField(
        max_length=20,
        unique=True,
        default=meeting_request_uid,
        help_text="Public id in the request's address, random (MR-…): no counter of requests.",
    )
    network = models.ForeignKey(
        "network.Network", on_delete=models.PROTECT, related_name="+", help_text="The network."
    )
    requester = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The requesting national authority.",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who asked.",
    )
    subject_kind = models.CharField(
        max_length=20,
        choices=vocabulary("coordination", "meeting_subjects").choices(),
        help_text="A case, a situation or a topic.",
    )
    case = models.ForeignKey(
        "coordination.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The requester's case (subject 'case'): its summary goes before the closed "
        "session when the meeting is scheduled.",
    )
    subject = models.CharField(max_length=300, help_text="What the meeting is about, in a line.")
    reason = models.TextField(
        blank=True, help_text="Why a meeting is needed (for the Secretariat)."
    )
    concerned = models.ManyToManyField(
        "network.Organisation",
        related_name="+",
        help_text="The other authorities concerned (invited to the closed session).",
    )
    state = models.CharField(
        max_length=20,
        choices=vocabulary("coordination", "meeting_request_states").choices(),
        default="requested",
        help_text="Requested, accepted or declined.",
    )
    decision_reason = models.TextField(
        blank=True, help_text="The Secretariat's reason when it declines (shown to the requester)."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who at the Secretariat decided.",
    )
    decided_at = models.DateTimeField(null=True, blank=True, help_text="When it was decided.")
    meeting = models.ForeignKey(
        "network.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The meeting scheduled on acceptance.",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was asked.")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"meeting request {self.pk} ({self.state})"
