"""Joint investigation team spaces: members, agreement and extensions, tasks, and evidence
items shared from the vault (their custody log and handling code stay with the item).

Tables only; imported by ``models.py`` so Django finds them. Access: ``jits_visible`` in
``access/policy/coordination.py`` (members only; administrators and Secretariats do not see a
JIT they are not members of).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class JointTeam(models.Model):
    uid = models.CharField(max_length=20, unique=True, help_text="Public id, e.g. JIT-5K2P9Q7M.")
    network = models.ForeignKey(
        "network.Network", on_delete=models.PROTECT, related_name="+", help_text="The network."
    )
    name = models.CharField(max_length=200, help_text="Name of the team.")
    agreement_title = models.CharField(max_length=300, help_text="Title of the JIT agreement.")
    agreement_signed_on = models.DateField(help_text="When the agreement was signed.")
    agreement_expires_on = models.DateField(help_text="End of the agreement (after extensions).")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who created the space.",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.uid} · {self.name}"


class JointTeamMember(models.Model):
    team = models.ForeignKey(
        JointTeam, on_delete=models.CASCADE, related_name="members", help_text="The team."
    )
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="+", help_text="Member."
    )
    role = models.CharField(
        max_length=20, help_text="'party' (a national authority) or 'participant' (Eurojust)."
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["team", "organisation"], name="coordination_jit_member")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} in {self.team_id}"


class JointTeamExtension(models.Model):
    team = models.ForeignKey(
        JointTeam, on_delete=models.CASCADE, related_name="extensions", help_text="The team."
    )
    previous_expiry = models.DateField(help_text="The end before the extension.")
    new_expiry = models.DateField(help_text="The end after the extension.")
    note = models.CharField(max_length=300, blank=True, help_text="Reference of the amendment.")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was recorded.")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"extension of {self.team_id} to {self.new_expiry}"


class JointTeamTask(models.Model):
    team = models.ForeignKey(
        JointTeam, on_delete=models.CASCADE, related_name="tasks", help_text="The team."
    )
    title = models.CharField(max_length=300, help_text="What is to be done.")
    assignee = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The member organisation that does it.",
    )
    due = models.DateField(null=True, blank=True, help_text="By when.")
    done_at = models.DateTimeField(null=True, blank=True, help_text="When it was done.")

    class Meta:
        ordering = ["done_at", "due", "pk"]

    def __str__(self) -> str:
        return self.title


class JointTeamItem(models.Model):
    """An evidence item of the vault shared into the team. The item itself (file, handling
    code, custody log) stays in the vault; the share is recorded in its custody log."""

    team = models.ForeignKey(
        JointTeam, on_delete=models.CASCADE, related_name="items", help_text="The team."
    )
    item = models.ForeignKey(
        "evidence.EvidenceItem", on_delete=models.PROTECT, related_name="+", help_text="Item."
    )
    shared_by = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The member that shared it.",
    )
    shared_at = models.DateTimeField(auto_now_add=True, help_text="When.")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["team", "item"], name="coordination_jit_item")
        ]

    def __str__(self) -> str:
        return f"item {self.item_id} in {self.team_id}"
