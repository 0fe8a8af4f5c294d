"""Secure cooperation: submissions from civil society to national authorities, the evidence
vault and its custody log.

Tables only. Who may see and do what is decided in ``access/policy/`` and applied by
``evidence/selectors.py`` and the services; the file format and the signatures are in
``evidence/crypto.py`` and ``evidence/custody.py``. See docs/evidence.md.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from cicnet.vocabularies import vocabulary


def _choices(name: str) -> list[tuple[str, str]]:
    return vocabulary("evidence", name).choices()


class Submission(models.Model):
    """What a civil-society organisation sends to one or more national authorities."""

    STATES = (("draft", "Draft"), ("submitted", "Submitted"))

    uid = models.CharField(
        max_length=20, unique=True, help_text="Public reference, e.g. SUB-7Q2M4K9T (random)."
    )
    submitting_organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        related_name="submissions_made",
        help_text="The civil-society organisation that prepares and sends it.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The member of the organisation who created it.",
    )
    state = models.CharField(
        max_length=12,
        choices=STATES,
        default="draft",
        help_text="Draft (only the organisation sees it) or submitted (the referrals have "
        "their own states).",
    )
    title = models.CharField(max_length=200, help_text="Short title chosen by the organisation.")
    narrative = models.TextField(help_text="What happened, in the organisation's words.")
    places = models.CharField(
        max_length=500, help_text="Where it happened: towns, regions, countries."
    )
    period_start = models.DateField(null=True, blank=True, help_text="When it started.")
    period_end = models.DateField(null=True, blank=True, help_text="When it ended.")
    period_note = models.CharField(
        max_length=300, blank=True, help_text="When, in words, where dates are approximate."
    )
    crimes = models.JSONField(
        default=list,
        blank=True,
        help_text="Suspected crimes: ids from the crimes vocabulary of the database (law/).",
    )
    persons = models.JSONField(
        default=list,
        blank=True,
        help_text="Persons involved as pseudonymous references: [{ref, role, note}], never names.",
    )
    victims_count = models.PositiveIntegerField(
        null=True, blank=True, help_text="Number of victims, when the organisation can say."
    )
    languages = models.JSONField(
        default=list, blank=True, help_text="ISO 639-1 codes of the languages of the material."
    )
    assessment = models.TextField(
        blank=True, help_text="The organisation's own assessment of the material and its gaps."
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was created.")
    updated_at = models.DateTimeField(auto_now=True, help_text="When it was last changed.")
    submitted_at = models.DateTimeField(
        null=True, blank=True, help_text="When the organisation sent it."
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.uid} · {self.title}"


class Referral(models.Model):
    """A submission at one addressed authority: its own state and its own message thread."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="referrals", help_text="Which one."
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals_received",
        help_text="The addressed national authority (from a network directory).",
    )
    state = models.CharField(
        max_length=30,
        choices=_choices("referral_states"),
        default="submitted",
        help_text="See evidence/vocab/referral_states.yaml.",
    )
    closed_reason = models.CharField(
        max_length=30,
        blank=True,
        choices=_choices("closure_reasons"),
        help_text="Why it was closed (closed referrals only).",
    )
    acknowledged_at = models.DateTimeField(
        null=True, blank=True, help_text="When the authority acknowledged receipt."
    )
    updated_at = models.DateTimeField(auto_now=True, help_text="Last change of state.")

    class Meta:
        ordering = ["submission", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "organisation"], name="evidence_referral_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.submission.uid} → {self.organisation}"


class Message(models.Model):
    """One message in the thread between the organisation and one addressed authority."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="messages", help_text="Which thread."
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who wrote it.",
    )
    author_side = models.CharField(
        max_length=10,
        choices=(("cso", "Organisation"), ("authority", "Authority")),
        help_text="Which party wrote it.",
    )
    body = models.TextField(help_text="The message.")
    state_change = models.CharField(
        max_length=30, blank=True, help_text="The state the referral moved to with this message."
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was sent.")

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"message {self.pk} on referral {self.referral_id}"


class Share(models.Model):
    """A party lets one network's Secretariat read a submission (never its message threads; only
    the items whose handling code allows onward sharing)."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="shares", help_text="What is shared."
    )
    network = models.ForeignKey(
        "network.Network",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Whose Secretariat may read it.",
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", help_text="Who."
    )
    purpose = models.CharField(max_length=300, help_text="Why, as recorded in the custody log.")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When.")
    revoked_at = models.DateTimeField(
        null=True, blank=True, help_text="When the share was withdrawn (then it gives no access)."
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"share of submission {self.submission_id} with network {self.network_id}"


class SubmissionEvent(models.Model):
    """The history both parties see: creation, submission, state changes, items, shares."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="events", help_text="Of which."
    )
    referral = models.ForeignKey(
        Referral,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
        help_text="The referral concerned, if one (then only its parties see the event).",
    )
    item = models.ForeignKey(
        "EvidenceItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The item concerned, if one (then only those who see the item see the event).",
    )
    at = models.DateTimeField(auto_now_add=True, help_text="When.")
    actor_label = models.CharField(max_length=200, help_text="Who, as username · organisation.")
    kind = models.CharField(max_length=30, help_text="What kind of event.")
    text = models.CharField(max_length=500, help_text="What happened, in words.")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.text}"


class EvidenceItem(models.Model):
    """One file in the vault with the metadata the documentation standards ask for.

    Write-once: once created, neither the file nor its metadata changes (``save`` refuses an
    update; only key rotation rewraps the file key). Copies, conversions and redactions are new
    items pointing to their ``parent``.
    """

    uid = models.CharField(max_length=20, unique=True, help_text="Public id, e.g. EV-5K2P9Q7M.")
    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, related_name="items", help_text="Submitted with."
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="derived",
        help_text="The item this one was derived from (none for an original).",
    )
    derivation = models.CharField(
        max_length=20,
        blank=True,
        choices=_choices("derivations"),
        help_text="How it was derived from the parent (empty for an original).",
    )
    # The file
    filename = models.CharField(max_length=255, help_text="Name of the file as uploaded.")
    size = models.BigIntegerField(help_text="Size in bytes.")
    sha256 = models.CharField(max_length=64, db_index=True, help_text="SHA-256 of the file.")
    media_type = models.CharField(max_length=100, help_text="Type detected from the content.")
    storage_name = models.CharField(
        max_length=100, help_text="Name of the encrypted file in the vault directory."
    )
    ciphertext_size = models.BigIntegerField(help_text="Size of the encrypted file.")
    records = models.PositiveIntegerField(help_text="Encrypted records in the file.")
    kek_id = models.CharField(max_length=40, help_text="Id of the key wrapping the file key.")
    wrapped_key = models.BinaryField(help_text="The file's AES-256 key, wrapped (AES-KW).")
    # What the standards ask to record about the item and its source
    description = models.TextField(help_text="What the item shows or contains.")
    captured_at = models.DateTimeField(null=True, blank=True, help_text="When it was captured.")
    captured_note = models.CharField(
        max_length=200, blank=True, help_text="When, in words, where the time is approximate."
    )
    capture_place = models.CharField(
        max_length=300, blank=True, help_text="Where it was captured (place or coordinates)."
    )
    capture_method = models.CharField(
        max_length=300, blank=True, help_text="Capture device or method (camera model, app …)."
    )
    collector = models.CharField(
        max_length=200, blank=True, help_text="Who collected it (a pseudonym is fine)."
    )
    source = models.CharField(
        max_length=300, blank=True, help_text="Where it came from; empty with an anonymous source."
    )
    source_anonymous = models.BooleanField(
        default=False, help_text="The source asked not to be identified."
    )
    consent_reference = models.CharField(
        max_length=200, blank=True, help_text="Reference of the informed-consent record."
    )
    consent_scope = models.TextField(
        blank=True, help_text="What the consent covers (uses, recipients, duration)."
    )
    handling_code = models.CharField(
        max_length=40,
        choices=_choices("handling_codes"),
        help_text="Use and onward-sharing restrictions chosen by the provider (enforced).",
    )
    source_reliability = models.CharField(
        max_length=1, choices=_choices("source_reliability"), help_text="A, B, C or X."
    )
    information_reliability = models.CharField(
        max_length=1, choices=_choices("information_reliability"), help_text="1, 2, 3 or 4."
    )
    sensitive_sgbv = models.BooleanField(
        default=False, help_text="Concerns sexual or gender-based violence."
    )
    sensitive_child = models.BooleanField(default=False, help_text="Concerns a child.")
    sensitive_protected_witness = models.BooleanField(
        default=False, help_text="Could identify a protected or at-risk witness."
    )
    related = models.ManyToManyField(
        "self",
        blank=True,
        symmetrical=False,
        related_name="related_from",
        help_text="Other items this one relates to (same event, same source …).",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", help_text="Who."
    )
    created_by_side = models.CharField(
        max_length=10, help_text="The party that added it: cso or authority."
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it entered the vault.")

    class Meta:
        ordering = ["submission", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.uid} · {self.filename}"

    _REWRAP_FIELDS = frozenset({"kek_id", "wrapped_key"})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            fields = kwargs.get("update_fields")
            if fields is None or not set(fields) <= self._REWRAP_FIELDS:
                raise ValueError(
                    f"evidence item {self.uid} is write-once: make a derived item instead"
                )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError(f"evidence item {self.uid} is write-once and cannot be deleted")


class CustodyEntry(models.Model):
    """One entry of an item's custody log: append-only, hash-chained and signed
    (``evidence/custody.py``)."""

    item = models.ForeignKey(
        EvidenceItem, on_delete=models.PROTECT, related_name="custody", help_text="Of which item."
    )
    seq = models.PositiveIntegerField(help_text="Position in the item's log, from 1.")
    action = models.CharField(
        max_length=20, choices=_choices("custody_actions"), help_text="What happened."
    )
    actor = models.CharField(max_length=150, help_text="Username of who did it.")
    organisation = models.CharField(max_length=200, help_text="On behalf of which organisation.")
    at = models.CharField(max_length=40, help_text="When, ISO 8601 UTC, exactly as hashed.")
    purpose = models.CharField(max_length=500, help_text="Why, as stated by the actor.")
    details = models.JSONField(default=dict, help_text="Action details (hash, recipient …).")
    prev_hash = models.CharField(max_length=64, help_text="entry_hash of the previous entry.")
    entry_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of this entry.")
    key_id = models.CharField(max_length=32, help_text="Id of the instance key that signed it.")
    signature = models.CharField(max_length=120, help_text="Ed25519 signature, base64.")

    class Meta:
        ordering = ["item", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["item", "seq"], name="evidence_custody_unique_seq")
        ]

    def __str__(self) -> str:
        return f"custody {self.item_id}#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("the custody log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("the custody log is append-only")

    def as_entry(self) -> dict[str, Any]:
        """The entry as hashed and signed (``custody.entry_hash``)."""
        return {
            "item": self.item.uid,
            "seq": self.seq,
            "action": self.action,
            "actor": self.actor,
            "organisation": self.organisation,
            "at": self.at,
            "purpose": self.purpose,
            "details": self.details,
            "prev_hash": self.prev_hash,
            "entry_hash": self.entry_hash,
            "key_id": self.key_id,
            "signature": self.signature,
        }


class SigningKey(models.Model):
    """Every public key that has signed custody entries, so old entries stay verifiable after
    the instance key is replaced."""

    key_id = models.CharField(max_length=32, unique=True, help_text="SHA-256 prefix of the key.")
    public_key_pem = models.TextField(help_text="The Ed25519 public key, PEM.")
    first_used_at = models.DateTimeField(auto_now_add=True, help_text="When it first signed.")

    def __str__(self) -> str:
        return self.key_id


class Upload(models.Model):
    """A chunked upload in progress. Never an item: the bytes become an item only when the
    whole file has arrived and its SHA-256 matches the sender's (``evidence/uploads.py``)."""

    upload_id = models.CharField(max_length=64, unique=True, help_text="Secret id in the URL.")
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="uploads", help_text="For which."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", help_text="Who."
    )
    side = models.CharField(max_length=10, help_text="cso or authority.")
    organisation_name = models.CharField(max_length=200, help_text="On behalf of which org.")
    filename = models.CharField(max_length=255, help_text="Name of the file.")
    size = models.BigIntegerField(help_text="Declared size in bytes.")
    metadata = models.JSONField(default=dict, help_text="Validated item metadata.")
    received = models.BigIntegerField(default=0, help_text="Bytes received and committed.")
    file_bytes = models.BigIntegerField(default=0, help_text="Committed encrypted bytes.")
    records = models.PositiveIntegerField(default=0, help_text="Committed encrypted records.")
    storage_name = models.CharField(max_length=100, help_text="Encrypted partial file.")
    kek_id = models.CharField(max_length=40, help_text="Key wrapping the file key.")
    wrapped_key = models.BinaryField(help_text="The file key, wrapped.")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it started.")
    updated_at = models.DateTimeField(auto_now=True, help_text="Last chunk.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"upload of {self.filename}"
