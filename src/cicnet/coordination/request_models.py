"""Requests for assistance and extradition between two authorities (tables only; imported by
``models.py``). Access: ``requests_visible`` in ``access/policy/coordination.py``."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cicnet.coordination.uids import public_uid
from cicnet.vocabularies import vocabulary


def assistance_request_uid() -> str:
    return public_uid("RQ")


class AssistanceRequest(models.Model):
    uid = models.CharField(
        max_length=20,
        unique=True,
        default=assistance_request_uid,
        help_text="Public id in the request's address, random: no counter of others' rows.",
    )
    network = models.ForeignKey(
        "network.Network", on_delete=models.PROTECT, related_name="+", help_text="The network."
    )
    from_organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The requesting authority.",
    )
    to_organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The requested authority.",
    )
    kind = models.CharField(
        max_length=20,
        choices=vocabulary("coordination", "request_kinds").choices(),
        help_text="Type of request.",
    )
    reference = models.CharField(max_length=100, help_text="The requesting authority's reference.")
    subject = models.CharField(max_length=300, help_text="What is requested, in one line.")
    state = models.CharField(
        max_length=20,
        choices=vocabulary("coordination", "request_states").choices(),
        default="sent",
        help_text="Where it stands.",
    )
    sent_on = models.DateField(help_text="When it was sent.")
    deadline = models.DateField(null=True, blank=True, help_text="When an answer is due.")
    shared_with_secretariat = models.BooleanField(
        default=False, help_text="Whether the network's Secretariat reads it (either side may)."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who recorded it.",
    )
    updated_at = models.DateTimeField(auto_now=True, help_text="Last change.")

    class Meta:
        ordering = ["-sent_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference}"
