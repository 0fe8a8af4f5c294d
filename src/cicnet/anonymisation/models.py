"""What the anonymise stage found in each text, and what the Secretariat decided about it.

One ``TextAnonymisation`` per text; its entities (one pseudonym each) and their mentions, each
mention pointing at a paragraph by number with offsets into that paragraph's body. The text
other tiers read is *derived*: the raw paragraph with every mention that is not rejected
replaced by its entity's pseudonym (``selectors.text_for``). Nothing else stores it, so a
status change takes effect everywhere at once (after re-indexing for search).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cicnet.jurisprudence.models import Text

MENTION_STATUSES = [
    ("suggested", "Suggested"),
    ("accepted", "Accepted"),
    ("rejected", "Rejected"),
]


SIGN_OFF_KINDS = [
    ("reviewed", "Reviewed and signed off in the workbench"),
    ("bulk", "Signed off in bulk, without review by a person"),
]


class TextAnonymisation(models.Model):
    """The anonymisation of one text under one policy."""

    text = models.OneToOneField(
        Text,
        on_delete=models.CASCADE,
        related_name="anonymisation",
        help_text="The text anonymised.",
    )
    policy = models.CharField(
        max_length=40, help_text="Id of the policy applied (policies/*.yaml)."
    )
    engine_version = models.CharField(
        max_length=20, help_text="Version of the anonymise stage that made the suggestions."
    )
    review = models.JSONField(
        default=list, blank=True, help_text="Reasons a human must look before sign-off."
    )
    without_model = models.BooleanField(
        default=False,
        help_text=(
            "Anonymised without a language model (rules, name lists and names carried over "
            "from another language copy only): every paragraph needs a full review."
        ),
    )
    suggestion_digest = models.CharField(
        max_length=64,
        blank=True,
        help_text=(
            "SHA-256 of the text and the stage's own suggestions under the policy: a re-run "
            "with the same digest keeps a sign-off (carry.py)."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the stage ran.")
    signed_off_at = models.DateTimeField(
        null=True, blank=True, help_text="When a curator signed the anonymisation off."
    )
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The curator who signed it off.",
    )
    sign_off_kind = models.CharField(
        max_length=10,
        choices=SIGN_OFF_KINDS,
        blank=True,
        help_text="How it was signed off: reviewed in the workbench, or in bulk without review.",
    )
    sign_off_batch = models.CharField(
        max_length=200,
        blank=True,
        help_text="For a bulk sign-off: the batch's label, as the curator gave it.",
    )

    def __str__(self) -> str:
        return f"anonymisation of text {self.text_id} ({self.policy})"


class AnonymisedEntity(models.Model):
    """A person, place, date … mentioned one or more times, with one pseudonym."""

    anonymisation = models.ForeignKey(
        TextAnonymisation,
        on_delete=models.CASCADE,
        related_name="entities",
        help_text="The anonymisation it belongs to.",
    )
    key = models.CharField(max_length=20, help_text="Entity id within the text: E1, E2 …")
    kind = models.CharField(max_length=20, help_text="Kind (vocab/kinds.yaml): PERSON, LOC …")
    canonical = models.CharField(
        max_length=300, help_text="The fullest form found (raw: Secretariat only)."
    )
    pseudonym = models.CharField(
        max_length=100, blank=True, help_text="What replaces every mention of it."
    )
    role = models.CharField(
        max_length=20, blank=True, help_text="Procedural role found: accused, witness …"
    )
    confidence = models.FloatField(help_text="Highest confidence among its mentions (0-1).")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["anonymisation", "key"], name="anon_entity_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.kind} → {self.pseudonym}"


class AnonymisedMention(models.Model):
    """One masked stretch of one paragraph."""

    entity = models.ForeignKey(
        AnonymisedEntity,
        on_delete=models.CASCADE,
        related_name="mentions",
        help_text="The entity it mentions.",
    )
    paragraph_number = models.PositiveIntegerField(help_text="Number of the paragraph it is in.")
    start = models.PositiveIntegerField(help_text="Offset of its first character in the paragraph.")
    end = models.PositiveIntegerField(help_text="Offset just past its last character.")
    kind = models.CharField(max_length=20, help_text="Kind (vocab/kinds.yaml).")
    confidence = models.FloatField(help_text="How sure the detector was (0-1).")
    source = models.CharField(
        max_length=20, help_text="How it was found: ner, rule, title, propagated, translation."
    )
    status = models.CharField(
        max_length=10,
        choices=MENTION_STATUSES,
        default="suggested",
        help_text="Suggested by the stage, or accepted / rejected by a curator.",
    )

    class Meta:
        indexes = [models.Index(fields=["entity", "paragraph_number"])]

    def __str__(self) -> str:
        return f"¶{self.paragraph_number} [{self.start}:{self.end}] {self.kind} ({self.status})"
