"""Tables of the translation workflow: who may translate, translations to align, translation jobs
and their paragraphs. No access logic here (access/policy/translation.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cicnet.jurisprudence.models import Decision, Text

TRANSLATION_ROLES = [
    ("translator", "Translator: writes translations paragraph by paragraph"),
    ("reviewer", "Reviewer: approves translated paragraphs (not their own)"),
]
SEGMENT_STATUSES = [
    ("empty", "Empty"),
    ("machine", "Rough machine draft"),
    ("translated", "Translated"),
    ("reviewed", "Reviewed"),
]


class TranslatorRole(models.Model):
    """A Secretariat member's part in the translation workflow. The policy also requires that
    the person may read original texts (the Secretariat): a role alone opens nothing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="translation_roles",
        help_text="Who holds the role.",
    )
    role = models.CharField(max_length=20, choices=TRANSLATION_ROLES, help_text="The role.")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The curator who granted it.",
    )
    granted_at = models.DateTimeField(auto_now_add=True, help_text="When it was granted.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="translator_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.role}"


class Alignment(models.Model):
    """A translation that arrived as a file (the court's own version, a translator's document),
    aligned paragraph by paragraph with the decision's original for a curator to check, correct
    and publish as a text of the decision."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="alignments", help_text="The decision."
    )
    original = models.ForeignKey(
        Text, on_delete=models.CASCADE, related_name="+", help_text="The original text."
    )
    language = models.CharField(max_length=8, help_text="ISO 639-1 code of the translation.")
    paragraphs = models.JSONField(help_text="The translation's paragraphs, in order (strings).")
    source_filename = models.CharField(max_length=300, help_text="Name of the uploaded file.")
    source_sha256 = models.CharField(max_length=64, help_text="SHA-256 of the uploaded file.")
    provenance = models.CharField(
        max_length=20,
        choices=[("human", "Human translation"), ("machine", "Machine translation")],
        default="human",
        help_text="Who made the translation.",
    )
    courts_own = models.BooleanField(
        default=False, help_text="The court's own translation (published as not unofficial)."
    )
    translator = models.CharField(
        max_length=200, blank=True, help_text="Translator or agency, as credited."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text="The curator who uploaded it.",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was uploaded.")
    published_text = models.OneToOneField(
        Text,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alignment",
        help_text="The text it became when published.",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who published it.",
    )
    published_at = models.DateTimeField(null=True, blank=True, help_text="When.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"alignment {self.pk} of {self.decision_id} [{self.language}]"


class AlignmentPair(models.Model):
    """One aligned group: original paragraph numbers ↔ translation paragraph indices."""

    alignment = models.ForeignKey(
        Alignment, on_delete=models.CASCADE, related_name="pairs", help_text="The alignment."
    )
    position = models.PositiveIntegerField(help_text="Order of the pair (0-based).")
    original_numbers = models.JSONField(
        help_text="Numbers of the original's paragraphs in this group (may be empty)."
    )
    translation_indices = models.JSONField(
        help_text="0-based indices of the translation's paragraphs in this group (may be empty)."
    )
    confidence = models.FloatField(help_text="The aligner's confidence, 1.0 once corrected.")
    corrected = models.BooleanField(default=False, help_text="A curator changed this pair.")

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["alignment", "position"], name="alignment_pair_position_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.original_numbers} ↔ {self.translation_indices}"


class TranslationJob(models.Model):
    """The translation of one decision's original into one language, written in the workspace
    paragraph by paragraph and published as a text only when every paragraph is reviewed."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="translation_jobs", help_text="Decision."
    )
    source = models.ForeignKey(
        Text, on_delete=models.CASCADE, related_name="+", help_text="The text translated."
    )
    target_language = models.CharField(
        max_length=8, help_text="ISO 639-1 code of the language translated into."
    )
    credit = models.CharField(
        max_length=300,
        help_text="The translator credit printed with the published text.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text="The curator who opened the job.",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was opened.")
    published_text = models.OneToOneField(
        Text,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translation_job",
        help_text="The text it became when published.",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who published it.",
    )
    published_at = models.DateTimeField(null=True, blank=True, help_text="When.")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "target_language"], name="translation_job_language_unique"
            )
        ]

    def __str__(self) -> str:
        return f"job {self.pk}: {self.decision_id} → {self.target_language}"


class Segment(models.Model):
    """One paragraph of a translation job: the original's paragraph and its translation."""

    job = models.ForeignKey(
        TranslationJob, on_delete=models.CASCADE, related_name="segments", help_text="The job."
    )
    number = models.PositiveIntegerField(help_text="The original paragraph's number.")
    source_body = models.TextField(help_text="The original paragraph when the job was opened.")
    source_hash = models.CharField(
        max_length=64, db_index=True, help_text="SHA-256 of the normalised original paragraph."
    )
    body = models.TextField(blank=True, help_text="The translation of the paragraph.")
    status = models.CharField(
        max_length=12, choices=SEGMENT_STATUSES, default="empty", help_text="Where it stands."
    )
    machine_engine = models.CharField(
        max_length=100, blank=True, help_text="The engine of the machine draft, if any."
    )
    machine_request = models.CharField(
        max_length=100, blank=True, help_text="An asynchronous engine's pending request id."
    )
    translated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who translated it.",
    )
    translated_at = models.DateTimeField(null=True, blank=True, help_text="When.")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who reviewed it.",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, help_text="When.")
    version = models.PositiveIntegerField(
        default=1, help_text="Incremented on every change (a stale form is refused)."
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["job", "number"], name="segment_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.job_id} ¶{self.number}"
