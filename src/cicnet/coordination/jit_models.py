"""Joint investigation team spaces: members, agreement and extensions, tasks, and evidence
items shared from the vault (their custody log and handling code stay with the item); the
amendments that add a party and the parties' agreements to them (``jit_parties.py``).

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
    joined_on = models.DateField(
        null=True,
        blank=True,
        help_text="Date of the amendment that added it; empty for a member from the start.",
    )
    amendment = models.ForeignKey(
        "JointTeamAmendment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The amendment that added it; empty for a member from the start.",
    )
    withdrawn_on = models.DateField(
        null=True, blank=True, help_text="Date of the withdrawal the member gave; empty: active."
    )
    withdrawn_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the withdrawal was recorded; its people lost access to the space then.",
    )
    withdrawal_reason = models.CharField(
        max_length=500, blank=True, help_text="Why it withdrew, as the parties read it."
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The contact point who recorded the withdrawal.",
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            # One active row per organisation; a withdrawn row stays as history, and an
            # organisation added again later gets a new row.
            models.UniqueConstraint(
                fields=["team", "organisation"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="coordination_jit_active_member",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} in {self.team_id}"

    @property
    def is_active(self) -> bool:
        """Not withdrawn: its people read the team."""
        return self.withdrawn_at is None


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


AMENDMENT_STATES = (
    ("proposed", "awaiting the parties' agreement"),
    ("in_force", "in force: the authority was added"),
    ("declined", "declined by a party"),
    ("lapsed", "lapsed: the proposing party withdrew"),
)


class JointTeamAmendment(models.Model):
    """A proposal to add an organisation to a team: it takes effect when every active party
    has agreed (``JointTeamConsent``). Until then the proposed organisation sees nothing."""

    uid = models.CharField(max_length=20, unique=True, help_text="Public id, e.g. AMD-5K2P9Q7M3R.")
    team = models.ForeignKey(
        JointTeam, on_delete=models.CASCADE, related_name="amendments", help_text="The team."
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The organisation proposed as a new member.",
    )
    role = models.CharField(
        max_length=20, help_text="What it becomes: 'party' or 'participant' (Eurojust)."
    )
    dated = models.DateField(help_text="Date of the amendment to the JIT agreement.")
    note = models.CharField(
        max_length=300, blank=True, help_text="Reference of the amendment or a note."
    )
    proposed_by = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The party that proposed it.",
    )
    proposed_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The contact point who proposed it.",
    )
    proposed_at = models.DateTimeField(auto_now_add=True, help_text="When it was proposed.")
    state = models.CharField(
        max_length=20,
        choices=AMENDMENT_STATES,
        default="proposed",
        help_text="Where the proposal stands.",
    )
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text="When it came into force, was declined or lapsed."
    )
    declined_by = models.ForeignKey(
        "network.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The party that declined it, if one did.",
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.uid}: {self.organisation_id} into {self.team_id} ({self.state})"


class JointTeamConsent(models.Model):
    """One party's agreement to an amendment, given once by one of its contact points."""

    amendment = models.ForeignKey(
        JointTeamAmendment,
        on_delete=models.CASCADE,
        related_name="consents",
        help_text="The amendment.",
    )
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="+", help_text="The party."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The contact point who agreed for the party.",
    )
    agreed_at = models.DateTimeField(auto_now_add=True, help_text="When.")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["amendment", "organisation"], name="coordination_jit_consent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} agrees to {self.amendment_id}"
