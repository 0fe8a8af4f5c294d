"""Case coordination between national authorities: ongoing cases, their persons of interest,
the encoded forms compared across authorities, candidate hits, reveals and the check log.

Tables only; who may see what is decided in ``access/policy/coordination.py`` and applied by
``selectors.py``. docs/coordination.md explains the blind cross-check.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cicnet.coordination.uids import public_uid
from cicnet.vocabularies import vocabulary


def _choices(name: str) -> list[tuple[str, str]]:
    return vocabulary("coordination", name).choices()


def hit_uid() -> str:
    return public_uid("HIT")


class Case(models.Model):
    """An ongoing case of one national authority (its owner)."""

    uid = models.CharField(max_length=20, unique=True, help_text="Public id, e.g. CC-5K2P9Q7M.")
    network = models.ForeignKey(
        "network.Network",
        on_delete=models.PROTECT,
        related_name="coordination_cases",
        help_text="The network whose members may be told of hits.",
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        related_name="coordination_cases",
        help_text="The national authority that owns the case.",
    )
    reference = models.CharField(max_length=100, help_text="The authority's internal reference.")
    situation = models.CharField(
        max_length=300, help_text="The situation investigated (country, place, events, unit)."
    )
    crimes = models.JSONField(default=list, help_text="Crime ids of the crimes vocabulary (law/).")
    period_start = models.PositiveIntegerField(
        null=True, blank=True, help_text="First year of the events."
    )
    period_end = models.PositiveIntegerField(
        null=True, blank=True, help_text="Last year of the events."
    )
    places = models.CharField(max_length=300, blank=True, help_text="Places of the events.")
    stage = models.CharField(
        max_length=20, choices=_choices("case_stages"), help_text="Where the case stands."
    )
    jit_sought = models.BooleanField(
        default=False, help_text="Whether the authority seeks a joint investigation team."
    )
    witness_count = models.PositiveIntegerField(
        default=0, help_text="How many witnesses the authority has heard (never who)."
    )
    evidence_categories = models.JSONField(
        default=list, help_text="Ids of the evidence categories held (vocab/evidence_categories)."
    )
    situation_encoding = models.JSONField(
        default=dict, help_text="Bloom-filter encoding of situation and places (cross-checks)."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who registered it.",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was registered.")
    updated_at = models.DateTimeField(auto_now=True, help_text="Last change.")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="coordination_case_reference_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.uid} · {self.reference}"


class CasePerson(models.Model):
    """A person of interest of a case. The names stay with the owner; only ``encoding`` is
    compared with other authorities."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="persons", help_text="The case."
    )
    names = models.JSONField(
        default=list, help_text="Every known spelling of the name, in any script."
    )
    birth_date = models.DateField(null=True, blank=True, help_text="Date of birth, when known.")
    birth_year = models.PositiveIntegerField(
        null=True, blank=True, help_text="Year of birth (from the date when it is known)."
    )
    nationality = models.CharField(
        max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code of the nationality."
    )
    role = models.CharField(
        max_length=30, choices=_choices("person_roles"), help_text="Role in the case."
    )
    unit = models.CharField(
        max_length=200, blank=True, help_text="Affiliation or unit (branch, brigade, group)."
    )
    encoding = models.JSONField(
        default=dict, help_text="Bloom-filter linkage keys (linkage.Encoded): what is compared."
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was added.")

    class Meta:
        ordering = ["case", "pk"]

    def __str__(self) -> str:
        return f"person {self.pk} of {self.case.uid}"


class CaseShare(models.Model):
    """The owner shares its case summary with a named authority or a meeting's closed session."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="shares", help_text="The shared case."
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="coordination_shares",
        help_text="The authority it is shared with (or empty for a session).",
    )
    session = models.ForeignKey(
        "network.Session",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="coordination_shares",
        help_text="The closed session on whose agenda it appears (invitees only).",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who shared it.",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When.")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False, session__isnull=True)
                | models.Q(organisation__isnull=True, session__isnull=False),
                name="coordination_share_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"share of case {self.case_id}"


class Hit(models.Model):
    """A candidate hit: case ``case_a`` (of one authority) and ``case_b`` (of another) may
    concern the same person (``person_a``/``person_b``) or situation. Neither side's names are
    stored here."""

    uid = models.CharField(
        max_length=20,
        unique=True,
        default=hit_uid,
        help_text="Public id in the hit's address, random (HIT-…): no counter of others' hits.",
    )
    kind = models.CharField(max_length=20, choices=_choices("hit_kinds"), help_text="What matched.")
    case_a = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="hits_as_a", help_text="One case."
    )
    case_b = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="hits_as_b", help_text="The other case."
    )
    person_a = models.ForeignKey(
        CasePerson,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="hits_as_a",
        help_text="The person of case_a (person hits).",
    )
    person_b = models.ForeignKey(
        CasePerson,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="hits_as_b",
        help_text="The person of case_b (person hits).",
    )
    score = models.FloatField(help_text="Dice score of the encodings, 0 to 1.")
    band = models.CharField(
        max_length=20,
        help_text="'strong', 'possible' or 'weak' (linkage.Match; docs/coordination.md).",
    )
    matched = models.JSONField(default=list, help_text="What matched: name, birth year, …")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was found.")

    class Meta:
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "case_a", "case_b", "person_a", "person_b"],
                name="coordination_hit_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} hit {self.pk} ({self.band})"


class Reveal(models.Model):
    """One side of a hit chose to show its record to the other side. Irreversible for what was
    revealed: the snapshot is what the other side reads."""

    hit = models.ForeignKey(
        Hit, on_delete=models.CASCADE, related_name="reveals", help_text="The hit."
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The authority that revealed its record.",
    )
    snapshot = models.JSONField(help_text="What was revealed (case summary and person record).")
    revealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who revealed it.",
    )
    revealed_at = models.DateTimeField(auto_now_add=True, help_text="When.")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["hit", "organisation"], name="coordination_reveal_once")
        ]

    def __str__(self) -> str:
        return f"reveal {self.pk} of hit {self.hit_id}"


class CheckLogEntry(models.Model):
    """Every check, hit and reveal, logged for each authority it concerns (append-only)."""

    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The authority this entry is shown to.",
    )
    event = models.CharField(max_length=30, help_text="check, hit, reveal, revealed_to_you.")
    case = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="This authority's case concerned.",
    )
    hit = models.ForeignKey(
        Hit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The hit concerned.",
    )
    detail = models.JSONField(default=dict, help_text="Counts and bands; never names.")
    actor_label = models.CharField(max_length=150, help_text="Who acted ('system' for checks).")
    at = models.DateTimeField(auto_now_add=True, db_index=True, help_text="When (UTC).")

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.event} at {self.at}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise RuntimeError("the check log is append-only")
        super().save(*args, **kwargs)


def question_uid() -> str:
    return public_uid("Q")


class Question(models.Model):
    """A legal or practical question of a national contact point to the network (all, some
    countries, or the Secretariat). Once answered it joins the knowledge base at the tier the
    asker chose."""

    uid = models.CharField(
        max_length=20,
        unique=True,
        default=question_uid,
        help_text="Public id in the question's address, random: no counter of others' rows.",
    )
    network = models.ForeignKey(
        "network.Network",
        on_delete=models.PROTECT,
        related_name="coordination_questions",
        help_text="The network asked.",
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        related_name="coordination_questions",
        help_text="The organisation the asker acts for.",
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who asked.",
    )
    title = models.CharField(max_length=300, help_text="The question in one line.")
    body = models.TextField(help_text="Details: facts, law, what is sought.")
    audience = models.CharField(
        max_length=20,
        choices=_choices("question_audiences"),
        help_text="Who is asked: all, some countries, the Secretariat.",
    )
    countries = models.CharField(
        max_length=400,
        blank=True,
        help_text="Countries asked (audience 'countries'), stored as ',DE,FR,' for lookups.",
    )
    kb_tier = models.CharField(
        max_length=20,
        choices=_choices("knowledge_tiers"),
        help_text="Who reads it in the knowledge base once answered.",
    )
    deadline = models.DateField(null=True, blank=True, help_text="Answers wanted by this day.")
    answered_at = models.DateTimeField(
        null=True, blank=True, help_text="When the asker marked it answered."
    )
    reminded_at = models.DateTimeField(
        null=True, blank=True, help_text="When the deadline reminder was e-mailed."
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was asked.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Answer(models.Model):
    """An answer in a question's thread (a reply to another answer when ``parent`` is set)."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", help_text="The question."
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        help_text="The answer this one replies to.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who wrote it.",
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The organisation the author acts for.",
    )
    body = models.TextField(help_text="The answer.")
    citations = models.JSONField(
        default=list,
        help_text="Decisions and library documents cited: {kind, path, title} each.",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was written.")

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"answer {self.pk} to question {self.question_id}"


from cicnet.coordination.document_models import (  # noqa: E402  # the JITs' document area
    JointTeamDocument,
    JointTeamDocumentVersion,
)
from cicnet.coordination.jit_models import (  # noqa: E402  # models of the JIT spaces
    JointTeam,
    JointTeamAmendment,
    JointTeamConsent,
    JointTeamExtension,
    JointTeamItem,
    JointTeamMember,
    JointTeamTask,
)
from cicnet.coordination.meeting_models import MeetingRequest  # noqa: E402
from cicnet.coordination.request_models import AssistanceRequest  # noqa: E402

__all__ = [
    "Answer",
    "AssistanceRequest",
    "Case",
    "CasePerson",
    "CaseShare",
    "CheckLogEntry",
    "Hit",
    "JointTeam",
    "JointTeamAmendment",
    "JointTeamConsent",
    "JointTeamDocument",
    "JointTeamDocumentVersion",
    "JointTeamExtension",
    "JointTeamItem",
    "JointTeamMember",
    "JointTeamTask",
    "MeetingRequest",
    "Question",
    "Reveal",
]
