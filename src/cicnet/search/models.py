"""Tables of the search app. The PostgreSQL full-text tables are created by raw SQL in the
migrations (PostgreSQL only); the embeddings are an ordinary model on both databases."""

from __future__ import annotations

from django.db import models


class ParagraphEmbedding(models.Model):
    """The vector of one anonymised paragraph, as the search index holds it, for one model.

    Written by the ``embed`` stage (search/embeddings.py); a row whose text changed since (its
    ``body_hash`` no longer matches the anonymised paragraph) is deleted when the decision is
    re-indexed, so the vector index never holds a text the search index no longer holds.
    ``excerpt`` is the start of that anonymised text, shown with a semantic match.
    """

    decision = models.ForeignKey(
        "jurisprudence.Decision", on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(max_length=16)
    number = models.IntegerField()
    model = models.CharField(max_length=64)
    body_hash = models.CharField(max_length=64)  # SHA-256 of the embedded text
    excerpt = models.TextField()
    vector = models.BinaryField()  # float16, L2-normalised
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("decision", "language", "number", "model"),
                name="search_embedding_one_per_paragraph_model",
            )
        ]
        indexes = [models.Index(fields=["model", "decision"], name="search_emb_model_dec")]

    def __str__(self) -> str:
        return f"{self.decision_id} {self.language} ¶{self.number} ({self.model})"
