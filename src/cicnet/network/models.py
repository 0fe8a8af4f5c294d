"""Networks as tenants: their organisations, people, meetings, sessions and documents.

Tables only; who may see what is decided in ``access/policy/`` and applied by
``network/selectors.py``. See docs/architecture.md and docs/security.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cicnet.vocabularies import vocabulary

CLASSIFICATION_ORDER = ("public", "network", "closed_session", "secretariat")


def _choices(name: str) -> list[tuple[str, str]]:
    return vocabulary("network", name).choices()


class Network(models.Model):
    """One network hosted on this instance (a tenant): its own members, meetings, documents."""

    slug = models.SlugField(max_length=60, unique=True, help_text="Identifier used in URLs.")
    name = models.CharField(max_length=200, help_text="Full name of the network.")
    short_name = models.CharField(max_length=60, blank=True, help_text="Name used in menus.")
    description = models.TextField(blank=True, help_text="What the network is and does.")
    is_public_archive = models.BooleanField(
        default=False,
        help_text="Its meetings, organisations and public documents are shown to everyone; "
        "otherwise only its members see that it exists.",
    )
    is_fictional = models.BooleanField(
        default=False, help_text="Demo network that does not exist in the real world."
    )
    source_note = models.CharField(
        max_length=300, blank=True, help_text="Where the network's public data comes from."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class Organisation(models.Model):
    """An authority or organisation taking part in one network."""

    network = models.ForeignKey(
        Network,
        on_delete=models.CASCADE,
        related_name="organisations",
        help_text="The network it takes part in.",
    )
    name = models.CharField(max_length=200, help_text="Name of the organisation.")
    country = models.CharField(
        max_length=2,
        blank=True,
        db_index=True,
        help_text="ISO 3166-1 alpha-2 code; empty for international organisations.",
    )
    org_type = models.CharField(
        max_length=30,
        choices=_choices("organisation_types"),
        help_text="Its place in the network; see network/vocab/organisation_types.yaml.",
    )
    is_specialised_unit = models.BooleanField(
        default=False,
        help_text="A specialised unit for investigating or prosecuting core international crimes.",
    )
    is_fictional = models.BooleanField(default=False, help_text="Demo organisation, not real.")
    source_note = models.CharField(
        max_length=300, blank=True, help_text="The recorded source of this entry."
    )

    class Meta:
        ordering = ["country", "name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="network_org_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A person known to one or more networks; personal data (see docs/security.md)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="network_person",
        help_text="The login of this person, when they have one.",
    )
    name = models.CharField(max_length=200, help_text="Full name as the person wishes it shown.")
    function = models.CharField(max_length=200, blank=True, help_text="Job title or function.")
    email = models.EmailField(blank=True, help_text="Work e-mail for network contact.")
    phone = models.CharField(max_length=50, blank=True, help_text="Work telephone.")
    is_fictional = models.BooleanField(default=False, help_text="Demo person, not real.")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's role in a network, on behalf of an organisation."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="memberships", help_text="Who."
    )
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="memberships", help_text="In which network."
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        help_text="On behalf of which organisation (of the same network).",
    )
    role = models.CharField(
        max_length=30,
        choices=_choices("network_roles"),
        help_text="The role; decides what the person sees (access/policy/).",
    )
    is_active = models.BooleanField(
        default=True, help_text="Inactive memberships give no access and are kept for history."
    )
    since = models.DateField(null=True, blank=True, help_text="Start of the membership.")

    class Meta:
        ordering = ["network", "role", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "network", "role"], name="network_membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()} · {self.network}"


class Meeting(models.Model):
    """A plenary meeting of a network (the Genocide Network meets twice a year)."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="meetings", help_text="Whose meeting."
    )
    number = models.PositiveIntegerField(help_text="Ordinal number of the meeting in its network.")
    title = models.CharField(
        max_length=200, help_text="Title, e.g. '36th Genocide Network meeting'."
    )
    start_date = models.DateField(help_text="First day.")
    end_date = models.DateField(help_text="Last day (the first day for one-day meetings).")
    place = models.CharField(max_length=200, blank=True, help_text="City or venue, when known.")
    meeting_format = models.CharField(
        max_length=20,
        blank=True,
        choices=_choices("meeting_formats"),
        help_text="In person, hybrid or videoconference; empty when the source does not say.",
    )
    presidency = models.CharField(
        max_length=100, blank=True, help_text="Convening presidency, when known."
    )
    conclusions_available = models.BooleanField(
        default=True, help_text="Whether conclusions were published (the seed marks exceptions)."
    )
    source_note = models.CharField(max_length=300, blank=True, help_text="Recorded source.")
    audience = models.CharField(
        max_length=20,
        choices=_choices("meeting_audiences"),
        default="network",
        db_index=True,
        help_text="Who may know of the meeting: 'network' (listed like every meeting of its "
        "network) or 'invitees' (an ad hoc coordination meeting: its invitees and the "
        "network's Secretariat only); see access/policy/networks.py.",
    )

    class Meta:
        ordering = ["network", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["network", "number"], name="network_meeting_number"),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="network_meeting_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Session(models.Model):
    """The open or the closed session of a meeting, with its invitation list."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="sessions", help_text="Of which meeting."
    )
    kind = models.CharField(
        max_length=10, choices=_choices("session_kinds"), help_text="Open or closed."
    )
    date = models.DateField(null=True, blank=True, help_text="Day of the session, when known.")

    class Meta:
        ordering = ["meeting", "-kind"]  # open before closed
        constraints = [
            models.UniqueConstraint(fields=["meeting", "kind"], name="network_session_kind")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.get_kind_display()}"


class SessionParticipant(models.Model):
    """A person invited to a session, and whether they attended."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="participants", help_text="Which session."
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="sessions", help_text="Who was invited."
    )
    attended = models.BooleanField(null=True, blank=True, help_text="Empty until recorded.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="network_participant_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.session}"


class AgendaItem(models.Model):
    """One topic on a meeting's agenda, in a session, with its own classification."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="agenda_items",
        help_text="Of which meeting.",
    )
    session = models.ForeignKey(
        Session,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
        help_text="In which session; empty when the source does not say.",
    )
    order = models.PositiveIntegerField(help_text="Position on the agenda, from 1.")
    title = models.TextField(help_text="The topic as recorded.")
    classification = models.CharField(
        max_length=20,
        choices=_choices("classifications"),
        default="public",
        help_text="Who may see this item (access/policy/).",
    )

    class Meta:
        ordering = ["meeting", "order"]

    def __str__(self) -> str:
        return self.title[:80]


class Tag(models.Model):
    """A library keyword."""

    name = models.SlugField(max_length=60, unique=True, help_text="Lower-case keyword.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def _document_path(instance: Document, filename: str) -> str:
    return f"network/{instance.network.slug}/{filename}"


class Document(models.Model):
    """A document of a network: conclusions, reports, notes …, with its classification."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="documents", help_text="Whose document."
    )
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
        help_text="The meeting it belongs to, if any.",
    )
    session = models.ForeignKey(
        Session,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
        help_text="The session it was shared in, if any.",
    )
    title = models.CharField(max_length=300, help_text="Title shown in lists.")
    kind = models.CharField(
        max_length=20, choices=_choices("document_kinds"), help_text="What sort of document."
    )
    classification = models.CharField(
        max_length=20,
        choices=_choices("classifications"),
        db_index=True,
        help_text="Who may see it (access/policy/); only the Secretariat lowers it.",
    )
    file = models.FileField(
        upload_to=_document_path,
        blank=True,
        max_length=300,
        help_text="The stored file under MEDIA_ROOT; served only through the download view.",
    )
    text = models.TextField(blank=True, help_text="Plain text of the document, for search.")
    tags = models.ManyToManyField(Tag, blank=True, related_name="documents", help_text="Keywords.")
    language = models.CharField(max_length=2, default="en", help_text="ISO 639-1 language code.")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was added.")
    is_fictional = models.BooleanField(default=False, help_text="Demo document, not real.")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class DocumentView(models.Model):
    """One view of confidential material (closed-session or Secretariat): who, what, when.

    Written by ``services.document_view_record``; read by the network's Secretariat only.
    """

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="views", help_text="What was viewed."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who viewed it.",
    )
    username = models.CharField(max_length=150, help_text="Their username at the time.")
    at = models.DateTimeField(auto_now_add=True, db_index=True, help_text="When (UTC).")
    action = models.CharField(
        max_length=20, help_text="'read' (the document page or API record) or 'download'."
    )
    channel = models.CharField(max_length=10, help_text="'web' or 'api'.")
    classification = models.CharField(
        max_length=20, help_text="The document's classification at the time of the view."
    )

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} document {self.document_id}"


class Invitation(models.Model):
    """An invitation by a network's Secretariat to join it in a role (the only way to register).

    Only a hash of the secret token is stored; the link with the token goes out by e-mail once.
    """

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="invitations", help_text="To which network."
    )
    email = models.EmailField(help_text="Where the invitation link was sent.")
    role = models.CharField(
        max_length=30, choices=_choices("network_roles"), help_text="The role offered."
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="invitations",
        help_text="On behalf of which organisation.",
    )
    token_hash = models.CharField(
        max_length=64, unique=True, help_text="SHA-256 of the secret token in the link."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The Secretariat member who invited.",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was sent.")
    expires_at = models.DateTimeField(help_text="After this the link no longer works.")
    accepted_at = models.DateTimeField(null=True, blank=True, help_text="When it was used.")
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The account created with it.",
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"invitation of {self.email} to {self.network} as {self.role}"


class NotificationPreference(models.Model):
    """What a user wants to be e-mailed about (defaults: new documents and meetings, on)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="network_notifications",
        help_text="Whose preferences.",
    )
    new_documents = models.BooleanField(
        default=True, help_text="E-mail when a document they may see is added to their networks."
    )
    new_meetings = models.BooleanField(
        default=True, help_text="E-mail when a meeting of their networks is scheduled."
    )

    def __str__(self) -> str:
        return f"notification preferences of {self.user}"
