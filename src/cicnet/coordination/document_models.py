"""The shared document area of a joint investigation team: documents (the agreement, working
documents) and their versions. Each version's file is encrypted at rest like an evidence item
(``evidence/crypto.py``: its own key, wrapped by the vault's key-encryption key); a new upload
to a document is a new version, and the earlier ones stay readable.

Tables only; imported by ``models.py`` so Django finds them. Access: the team's members only
(``policy.jits_visible`` and ``policy.can_use_jit_documents``); service: ``jit_documents.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cicnet.coordination.uids import public_uid
from cicnet.vocabularies import vocabulary


def jit_document_uid() -> str:
    return public_uid("DOC")


class JointTeamDocument(models.Model):
    uid = models.CharField(
        max_length=20,
        unique=True,
        default=jit_document_uid,
        help_text="Public id in the document's address, random: no counter of others' rows.",
    )
    team = models.ForeignKey(
        "coordination.JointTeam",
        on_delete=models.CASCADE,
        related_name="documents",
        help_text="The team whose document area holds it.",
    )
    title = models.CharField(max_length=300, help_text="Title shown in the team's list.")
    kind = models.CharField(
        max_length=20,
        choices=vocabulary("coordination", "jit_document_kinds").choices(),
        help_text="Agreement document, working document …",
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The member organisation that added it.",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was added.")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"document {self.pk} of team {self.team_id}"


class JointTeamDocumentVersion(models.Model):
    document = models.ForeignKey(
        JointTeamDocument,
        on_delete=models.CASCADE,
        related_name="versions",
        help_text="The document this is a version of.",
    )
    number = models.PositiveIntegerField(help_text="Version number, from 1.")
    filename = models.CharField(max_length=255, help_text="The file's name as uploaded.")
    size = models.PositiveBigIntegerField(help_text="Plaintext size in bytes.")
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the plaintext (hex).")
    media_type = models.CharField(max_length=100, help_text="Media type from the first bytes.")
    storage_name = models.CharField(
        max_length=64, unique=True, help_text="Random name of the encrypted file in the store."
    )
    records = models.PositiveIntegerField(help_text="Encrypted records in the file (crypto.py).")
    kek_id = models.CharField(max_length=32, help_text="Key-encryption key that wraps the key.")
    wrapped_key = models.BinaryField(help_text="The file key, wrapped (RFC 3394).")
    note = models.CharField(max_length=300, blank=True, help_text="What changed in this version.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who uploaded it.",
    )
    uploaded_by_name = models.CharField(max_length=150, help_text="Their username at the time.")
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The member organisation they uploaded it for.",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, help_text="When it was uploaded.")

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="coordination_jit_document_version"
            )
        ]

    def __str__(self) -> str:
        return f"version {self.number} of document {self.document_id}"
