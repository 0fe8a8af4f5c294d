"""The jurisprudence database: decisions (works), their texts (expressions) and paragraphs.

See docs/architecture.md for the model and how search, the reader and the API use it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from cicnet.vocabularies import vocabulary


def _choices(name: str) -> list[tuple[str, str]]:
    return vocabulary("jurisprudence", name).choices()


class Proceedings(models.Model):
    """One criminal case across its instances (first instance → appeal → cassation)."""

    key = models.SlugField(
        max_length=120,
        unique=True,
        help_text="Stable identifier of the proceedings, e.g. 'de-anwar-r'.",
    )
    title = models.CharField(max_length=300, blank=True, help_text="Short name of the case.")

    class Meta:
        verbose_name_plural = "proceedings"

    def __str__(self) -> str:
        return self.title or self.key


class Decision(models.Model):
    """A national (or ECtHR) court decision on core international crimes: the work, whatever
    its language copies."""

    uid = models.SlugField(
        max_length=120,
        unique=True,
        help_text=(
            "Stable identifier used in URLs and citations, e.g. 'de-olg-koblenz-anwar-r-2022'."
        ),
    )
    title = models.CharField(
        max_length=300, help_text="Display title, e.g. 'Anwar R. — OLG Koblenz, 13 January 2022'."
    )
    country = models.CharField(
        max_length=2,
        db_index=True,
        help_text="ISO 3166-1 alpha-2 code of the court's State (for ECtHR: the respondent State).",
    )
    court_id = models.CharField(
        max_length=60,
        blank=True,
        db_index=True,
        help_text=(
            "Id in the court vocabulary (jurisprudence/vocab/courts.yaml); empty only for a row "
            "older than the vocabulary whose court name matched no entry."
        ),
    )
    court = models.CharField(
        max_length=200,
        db_index=True,
        help_text="Court name in English (the vocabulary's label for court_id).",
    )
    court_original = models.CharField(
        max_length=200,
        blank=True,
        help_text="Court name in the original language (the vocabulary's, for court_id).",
    )
    court_formation = models.CharField(
        max_length=200,
        blank=True,
        help_text="The chamber, section or senate that decided, e.g. 'Grand Chamber'.",
    )
    city = models.CharField(max_length=100, blank=True, help_text="Seat of the court.")
    decision_date = models.DateField(
        null=True, blank=True, db_index=True, help_text="Date of the decision; see date_precision."
    )
    date_precision = models.CharField(
        max_length=5,
        choices=[("day", "Day"), ("month", "Month"), ("year", "Year")],
        default="day",
        help_text="How much of decision_date the source stated (month/year: the rest is set to 1).",
    )
    case_number = models.CharField(
        max_length=200, blank=True, help_text="The court's case number(s)."
    )
    ecli = models.CharField(
        max_length=120,
        blank=True,
        db_index=True,
        help_text="European Case Law Identifier, validated; empty when none.",
    )
    instance = models.CharField(
        max_length=20, choices=_choices("instances"), help_text="Procedural instance."
    )
    decision_type = models.CharField(
        max_length=30,
        choices=_choices("decision_types"),
        default="judgment",
        help_text="Kind of decision.",
    )
    proceedings = models.ForeignKey(
        Proceedings,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
        help_text="The proceedings this decision belongs to, linking its instances.",
    )
    case_name = models.CharField(
        max_length=300,
        blank=True,
        help_text=(
            "The case's name in the public record ('Kononov v. Latvia', 'Al-Khatib trial'); set "
            "by curators or ingestion, never invented; masked like the title below the "
            "Secretariat."
        ),
    )
    also_known_as = models.JSONField(
        default=list,
        blank=True,
        help_text="Other names the public record uses for the case (list of strings).",
    )
    defendant = models.CharField(
        max_length=200,
        blank=True,
        help_text=(
            "Defendant label as published (e.g. 'Anwar R.'); never a fuller name than the source."
        ),
    )
    situation = models.CharField(
        max_length=300,
        blank=True,
        db_index=True,
        help_text="Where the crimes happened, e.g. 'Syria'.",
    )
    terrorism_concurrent = models.BooleanField(
        null=True,
        blank=True,
        help_text="Terrorism offences charged cumulatively; null when unknown.",
    )
    jurisdiction_basis = models.CharField(
        max_length=30,
        choices=_choices("jurisdiction_bases"),
        default="unknown",
        help_text="Basis of the court's jurisdiction.",
    )
    outcome = models.CharField(
        max_length=30, choices=_choices("outcomes"), default="unknown", help_text="Outcome."
    )
    sentence = models.CharField(
        max_length=500, blank=True, help_text="Sentence or finding, as stated by the sources."
    )
    keywords = models.JSONField(default=list, blank=True, help_text="List of free keywords.")
    summary = models.TextField(
        blank=True, help_text="Summary in English, in the Secretariat's own words."
    )
    source_urls = models.JSONField(
        default=list, blank=True, help_text="Where the metadata and texts come from."
    )
    access = models.CharField(
        max_length=20,
        choices=_choices("access_tiers"),
        default="public",
        db_index=True,
        help_text="Access tier.",
    )
    state = models.CharField(
        max_length=20,
        choices=_choices("publication_states"),
        default="draft",
        db_index=True,
        help_text="Publication state.",
    )
    state_changed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the state last changed."
    )
    state_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who last changed the state.",
    )
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was (last) published."
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who published it.",
    )
    is_demo = models.BooleanField(
        default=False, help_text="Loaded as demo content; labelled as such in the UI."
    )
    confidence = models.CharField(
        max_length=20,
        blank=True,
        choices=_choices("confidence_levels"),
        help_text=(
            "How sure the catalogue is of this decision's metadata and why "
            "(vocab/confidence_levels.yaml); empty when not assessed."
        ),
    )
    source_key = models.CharField(
        max_length=300,
        blank=True,
        db_index=True,
        help_text="Ingestion source name (metadata file stem) for idempotent re-ingestion.",
    )
    content_hash = models.CharField(
        max_length=64,
        blank=True,
        help_text="SHA-256 over the ingested metadata and text files; unchanged input is skipped.",
    )
    version = models.PositiveIntegerField(
        default=1, help_text="Incremented on every change; history in DecisionVersion."
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the row was created.")
    updated_at = models.DateTimeField(
        auto_now=True,
        db_index=True,  # the statistics' fingerprint reads its maximum (insights/selectors.py)
        help_text="When the row last changed.",
    )

    class Meta:
        ordering = ["-decision_date", "uid"]
        constraints = [
            models.UniqueConstraint(
                fields=["ecli"], condition=~models.Q(ecli=""), name="decision_ecli_unique_when_set"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if getattr(self, "_masked_display", False):
            # Fields masked for a reader below the Secretariat (anonymisation/headings.py) must
            # never overwrite the originals.
            raise RuntimeError(f"decision {self.uid}: a masked copy for display cannot be saved")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"/decisions/{self.uid}/"

    @property
    def year(self) -> int | None:
        return self.decision_date.year if self.decision_date else None

    @property
    def date_display(self) -> str:
        d = self.decision_date
        if d is None:
            return ""
        if self.date_precision == "year":
            return str(d.year)
        if self.date_precision == "month":
            return d.strftime("%B %Y")
        return f"{d.day} {d:%B %Y}"

    @property
    def citation(self) -> str:
        """How to cite the decision (jurisprudence/citation.py)."""
        from cicnet.jurisprudence.citation import cite

        return cite(self)


class DecisionCrime(models.Model):
    """A crime charged or ruled on, from the crimes vocabulary (cicnet/law/crimes.py)."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="crimes", help_text="The decision."
    )
    crime_id = models.CharField(
        max_length=40,
        db_index=True,
        help_text="Crime id, e.g. '7(1)(f)' or 'terrorism.membership'.",
    )
    derived = models.BooleanField(
        default=False,
        help_text="Derived from a cited national provision rather than stated by the source.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "crime_id"], name="decision_crime_unique")
        ]

    def __str__(self) -> str:
        return self.crime_id


class DecisionProvision(models.Model):
    """A national provision as cited by a decision, linked where possible to the provisions
    table."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="provisions", help_text="The decision."
    )
    citation = models.CharField(
        max_length=300, help_text="The provision as cited, e.g. 'VStGB § 7(1) no. 5'."
    )
    national_provision_key = models.CharField(
        max_length=20,
        blank=True,
        help_text=(
            "Key of the matched row in law/data/national_provisions.csv; empty when unmatched."
        ),
    )

    def __str__(self) -> str:
        return self.citation


def completeness_label(completeness: str, excerpt_contents: str) -> str:
    """'Complete judgment', or 'Excerpt: procedure and facts' naming what an excerpt holds."""
    if completeness != "excerpt":
        return "Complete judgment"
    c = excerpt_contents
    return f"Excerpt: {c[:1].lower()}{c[1:]}" if c else "Excerpt"


class Text(models.Model):
    """One language copy of a decision: the original or a translation."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="texts", help_text="The decision."
    )
    language = models.CharField(
        max_length=8, help_text="ISO 639-1 code of the text's language, e.g. 'en', 'de'."
    )
    is_original = models.BooleanField(
        default=False, help_text="This is the language the court issued the decision in."
    )
    provenance = models.CharField(
        max_length=20,
        choices=_choices("provenances"),
        default="original",
        help_text="Original, human or machine translation.",
    )
    translator = models.CharField(
        max_length=200, blank=True, help_text="Translator or agency for translations."
    )
    translated_on = models.DateField(null=True, blank=True, help_text="Date of the translation.")
    unofficial = models.BooleanField(
        default=True, help_text="A translation that is not the court's official version."
    )
    source_filename = models.CharField(
        max_length=300, blank=True, help_text="Name of the ingested file."
    )
    source_sha256 = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the ingested file."
    )
    source_file = models.CharField(
        max_length=300,
        blank=True,
        help_text="Path of the stored copy under MEDIA_ROOT, for download.",
    )
    body = models.TextField(blank=True, help_text="Full extracted text.")
    completeness = models.CharField(
        max_length=10,
        choices=_choices("text_completeness"),
        default="complete",
        help_text="Whether this is the complete judgment or an excerpt of it.",
    )
    excerpt_contents = models.CharField(
        max_length=200,
        blank=True,
        help_text=(
            "For an excerpt, which parts of the decision it holds, e.g. 'Procedure and facts'."
        ),
    )
    source_ecli = models.CharField(
        max_length=80,
        blank=True,
        help_text=(
            "The ECLI under which the court published this language version, when it has its "
            "own (a Dutch court's English translation); empty otherwise."
        ),
    )
    detected_language = models.CharField(
        max_length=8,
        blank=True,
        help_text="ISO 639-1 code lingua detected for the whole text (empty: not detected).",
    )
    language_confidence = models.FloatField(
        null=True, blank=True, help_text="lingua's confidence in the detected language (0-1)."
    )
    ocr_pages = models.JSONField(
        default=list,
        blank=True,
        help_text=(
            "Per PDF page: {page, ocr (bool), confidence (mean Tesseract word confidence, 0-100)"
            " or null}; empty for files that are not PDFs."
        ),
    )
    needs_proofreading = models.BooleanField(
        default=False,
        help_text="Some of the text comes from OCR and has not been proofread against the scan.",
    )
    numbering = models.CharField(
        max_length=10,
        choices=[
            ("court", "Court's own paragraph numbers"),
            ("sequence", "Numbered in order by cicnet"),
        ],
        default="sequence",
        help_text=(
            "Where paragraph numbers come from: the court's numbering (¶ 12 is p12) or the "
            "order of blank-line separated blocks."
        ),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "language"], name="text_language_unique")
        ]
        ordering = ["-is_original", "language"]

    def __str__(self) -> str:
        return f"{self.decision.uid} [{self.language}]"

    @property
    def is_excerpt(self) -> bool:
        return self.completeness == "excerpt"

    @property
    def kind_label(self) -> str:
        """What this text is, in words: 'Original', "Court's own translation", 'Human
        translation (unofficial)' or 'Machine translation (unofficial)'."""
        if self.is_original:
            return "Original"
        if self.provenance == "court" or not self.unofficial:
            return "Court's own translation"
        return f"{self.get_provenance_display()} (unofficial)"

    @property
    def completeness_label(self) -> str:
        return completeness_label(self.completeness, self.excerpt_contents)


class Paragraph(models.Model):
    """A numbered paragraph of a text, with a stable anchor (``p12``)."""

    text = models.ForeignKey(
        Text, on_delete=models.CASCADE, related_name="paragraphs", help_text="The text."
    )
    number = models.PositiveIntegerField(
        help_text="Paragraph number: the court's own number when the text numbers its paragraphs "
        "(0 is then the heading before the first numbered paragraph), else the 1-based position."
    )
    body = models.TextField(help_text="Paragraph text.")
    language = models.CharField(
        max_length=8,
        blank=True,
        help_text=(
            "ISO 639-1 code of this paragraph when it differs from its text's (a quotation in "
            "another language); empty: the text's language."
        ),
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["text", "number"], name="paragraph_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.text} ¶{self.number}"

    @property
    def anchor(self) -> str:
        return f"p{self.number}"


class DecisionVersion(models.Model):
    """A snapshot of a decision's metadata before a change: the decision's history."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="versions", help_text="The decision."
    )
    version = models.PositiveIntegerField(help_text="The version number this snapshot had.")
    snapshot = models.JSONField(
        help_text="Metadata, crimes, provisions and text hashes at that version."
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the snapshot was taken.")
    reason = models.CharField(
        max_length=100, help_text="Why it changed: 'ingest', 'edit', 'state'."
    )

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "version"], name="decision_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.decision_id} v{self.version}"


METADATA_FIELDS: tuple[str, ...] = (
    "title",
    "country",
    "court_id",
    "court",
    "court_original",
    "court_formation",
    "city",
    "decision_date",
    "date_precision",
    "case_number",
    "ecli",
    "instance",
    "decision_type",
    "case_name",
    "also_known_as",
    "defendant",
    "situation",
    "terrorism_concurrent",
    "jurisdiction_basis",
    "outcome",
    "sentence",
    "keywords",
    "summary",
    "source_urls",
    "access",
    "confidence",
)
"""A decision's own metadata fields: the one list that ingestion stores, curation edits (less
the court's names, which follow ``court_id``), the edit form shows and version snapshots keep."""


def decision_snapshot(decision: Decision) -> dict[str, Any]:
    """Everything that identifies a version of a decision, as JSON."""
    fields = [
        "uid",
        *(f for f in METADATA_FIELDS if f != "decision_date"),
        "state",
        "content_hash",
    ]
    snap: dict[str, Any] = {f: getattr(decision, f) for f in fields}
    snap["decision_date"] = decision.decision_date.isoformat() if decision.decision_date else None
    snap["proceedings"] = decision.proceedings.key if decision.proceedings is not None else None
    snap["crimes"] = sorted(c.crime_id for c in decision.crimes.all())
    snap["provisions"] = [p.citation for p in decision.provisions.all()]
    snap["texts"] = {t.language: t.source_sha256 for t in decision.texts.all()}
    return snap
