"""Citations found in decisions' texts (``extract.py``), one row per cited thing per decision,
linked to a decision of the database, a provision of ``law/`` or a public source (``link.py``).
No access logic here: ``selectors.py`` filters every read through the policy."""

from __future__ import annotations

from django.db import models

from cicnet.citations.extract import KIND_LABELS
from cicnet.jurisprudence.models import Decision


class Citation(models.Model):
    """What one decision cites: a decision, an application, a provision."""

    citing = models.ForeignKey(
        Decision,
        on_delete=models.CASCADE,
        related_name="citations_made",
        help_text="The decision whose text holds the citation.",
    )
    kind = models.CharField(
        max_length=30,
        choices=sorted(KIND_LABELS.items()),
        help_text="What is cited: ECLI, ECtHR application, international or national case "
        "number, Rome Statute, Elements of Crimes, ECHR or a national provision.",
    )
    key = models.CharField(
        max_length=200,
        db_index=True,
        help_text="The normalised citation that links it (28045/02, ICC-01/04-01/06, RS:7(1)(f)).",
    )
    text = models.CharField(max_length=300, help_text="The citation as written (first one).")
    language = models.CharField(max_length=12, help_text="Language of the text it was found in.")
    paragraph = models.IntegerField(default=0, help_text="Paragraph number of its first mention.")
    occurrences = models.PositiveIntegerField(default=1, help_text="Mentions in the texts.")
    cited = models.ForeignKey(
        Decision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cited_by_rows",
        help_text="The decision of the database it cites, when there is one.",
    )
    provision_key = models.CharField(
        max_length=40,
        blank=True,
        help_text="Key into law/data/national_provisions.csv, or a crime id for the Rome "
        "Statute and the Elements of Crimes.",
    )
    url = models.URLField(
        max_length=500, blank=True, help_text="Public source (HUDOC, ICC Legal Tools …)."
    )
    extractor_version = models.CharField(
        max_length=10, help_text="Version of the cite stage that wrote the row."
    )

    class Meta:
        ordering = ["citing_id", "kind", "key"]
        constraints = [
            models.UniqueConstraint(fields=["citing", "kind", "key"], name="citation_unique_key")
        ]
        indexes = [models.Index(fields=["kind", "key"], name="citation_kind_key")]

    def __str__(self) -> str:
        return f"{self.citing_id} cites {self.kind} {self.key}"

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)
