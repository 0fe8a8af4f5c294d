"""Schemas of the network endpoints of the JSON API (/api/v1/networks/…)."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Schema

from cicnet.network.forms import MAX_Q_LENGTH

MAX_DOCUMENT_LIMIT = 200
# Bounds of paging and path parameters, stated in the schema and enforced by it (a larger offset
# overflowed the database's 64-bit integer: a 500).
MAX_DOCUMENT_OFFSET = 1_000_000
MAX_SLUG_LENGTH = 60  # Network.slug
MAX_MEETING_NUMBER = 2_147_483_647  # PositiveIntegerField
MAX_DOCUMENT_ID = 9_223_372_036_854_775_807  # BigAutoField

Classification = Literal["public", "network", "closed_session", "secretariat"]
DocumentKind = Literal["conclusions", "report", "factsheet", "training", "agenda", "note"]


class NetworkOut(Schema):
    slug: str = Field(description="Identifier used in every /networks/{slug}/… URL.")
    name: str
    description: str
    is_public_archive: bool = Field(description="Shown to everyone (else members only).")
    is_fictional: bool = Field(description="Demo network that does not exist.")
    your_roles: list[str] = Field(description="The caller's roles in this network.")


class MeetingSummaryOut(Schema):
    number: int = Field(description="Ordinal number; use it with /meetings/{number}.")
    title: str
    start_date: str = Field(description="ISO date of the first day.")
    end_date: str = Field(description="ISO date of the last day.")
    place: str
    format: str = Field(description="in_person, hybrid, online, or empty when not recorded.")
    presidency: str
    conclusions_available: bool


class MeetingListOut(Schema):
    count: int = Field(description="Meetings of the network visible to the caller.")
    results: list[MeetingSummaryOut]


class DocumentSummaryOut(Schema):
    id: int = Field(description="Use it with /documents/{id}.")
    title: str
    kind: str
    classification: Classification
    meeting: int | None = Field(description="Number of the meeting it belongs to.")
    session: str | None = Field(description="'open' or 'closed' when shared in a session.")
    tags: list[str]
    has_file: bool = Field(description="Whether /documents/{id}/download serves a file.")
    created_at: str


class DocumentOut(DocumentSummaryOut):
    text: str = Field(description="Plain text of the document.")
    download_url: str | None


class DocumentListOut(Schema):
    count: int = Field(description="Matching documents visible to the caller.")
    results: list[DocumentSummaryOut]


class AgendaItemOut(Schema):
    order: int
    title: str
    classification: Classification


class ParticipantOut(Schema):
    name: str
    attended: bool | None


class SessionOut(Schema):
    kind: Literal["open", "closed"]
    agenda: list[AgendaItemOut] = Field(description="Agenda items visible to the caller.")
    documents: list[DocumentSummaryOut] = Field(description="Documents visible to the caller.")
    participants: list[ParticipantOut] | None = Field(
        description="Invitation list and attendance; null when the caller may not see it."
    )


class MeetingOut(MeetingSummaryOut):
    sessions: list[SessionOut]
    documents: list[DocumentSummaryOut] = Field(description="Meeting documents outside sessions.")


class DocumentQuery(Schema):
    q: str = Field(
        default="",
        max_length=MAX_Q_LENGTH,
        description="Words that must all occur in the title or text (case-insensitive).",
    )
    tag: str = Field(default="", max_length=60, description="Only documents with this tag.")
    kind: DocumentKind | None = Field(default=None, description="Only documents of this kind.")
    classification: Classification | None = Field(
        default=None, description="Only documents of this classification (among those visible)."
    )
    limit: int = Field(default=50, ge=1, le=MAX_DOCUMENT_LIMIT, description="Page size.")
    offset: int = Field(
        default=0,
        ge=0,
        le=MAX_DOCUMENT_OFFSET,
        description=f"Documents to skip (0-{MAX_DOCUMENT_OFFSET}).",
    )


class OrganisationOut(Schema):
    name: str
    country: str = Field(description="ISO 3166-1 alpha-2, empty for international bodies.")
    type: str
    is_specialised_unit: bool
    is_fictional: bool


class PersonOut(Schema):
    name: str
    function: str
    email: str
    phone: str
    role: str
    organisation: str
    country: str


class DirectoryOut(Schema):
    organisations: list[OrganisationOut]
    people: list[PersonOut] = Field(
        description="People whose contact details the caller may see (members of the network "
        "other than civil-society representatives; always the caller's own entry)."
    )
    people_counts: dict[str, int] = Field(description="Active members per role (numbers only).")
