"""Writes on networks: view logging, downgrades, documents and the seed archive.

Every write runs in one transaction; sensitive actions are audited (cicnet.audit) in the same
transaction as the change they record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction

from cicnet.access import policy
from cicnet.audit.services import audit_record
from cicnet.errors import ActionDenied, UserInputError
from cicnet.network.models import (
    AgendaItem,
    Document,
    DocumentView,
    Meeting,
    Network,
    Session,
    Tag,
)
from cicnet.network.seed import SEED_SOURCE, SeedMeeting
from cicnet.vocabularies import vocabulary

MAX_REASON_LENGTH = 500


class NetworkDenied(ActionDenied):
    """The actor may not do this (views answer 404, so nothing is revealed)."""


class NetworkInputError(UserInputError):
    """Input the user can fix; ``field`` names it (the message starts with it, for commands)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", field=field)
        self.message = message


@transaction.atomic
def document_view_record(
    *, actor: policy.Actor, document: Document, action: str, channel: str
) -> DocumentView | None:
    """Log a view of closed-session or Secretariat material (nothing for other material).

    Call after the policy allowed the view and before the content is sent.
    """
    if not policy.must_log_view(document) or actor.user_id is None:
        return None
    return DocumentView.objects.create(
        document=document,
        user_id=actor.user_id,
        username=actor.username,
        action=action,
        channel=channel,
        classification=document.classification,
    )


@transaction.atomic
def document_downgrade(*, actor: policy.Actor, document_id: int, to: str, reason: str) -> Document:
    """Lower a document's classification (e.g. conclusions made public): the network's
    Secretariat only, downwards only, with a reason; audited."""
    document = Document.objects.select_for_update().filter(pk=document_id).first()
    if document is None or not policy.can_administer_network(actor, document.network_id):
        raise NetworkDenied("only the Secretariat of the document's network may downgrade it")
    if to not in policy.CLASSIFICATIONS:
        raise NetworkInputError(
            "classification",
            f"unknown value {to!r}; use one of {', '.join(policy.CLASSIFICATIONS)}",
        )
    if not policy.can_downgrade(actor, document, to=to):
        raise NetworkInputError(
            "classification",
            f"{to!r} is not below the current classification {document.classification!r}; "
            "a classification can only be lowered",
        )
    reason = reason.strip()
    if not reason:
        raise NetworkInputError("reason", "say why the document may be seen more widely")
    if len(reason) > MAX_REASON_LENGTH:
        raise NetworkInputError("reason", f"at most {MAX_REASON_LENGTH} characters")
    old = document.classification
    document.classification = to
    document.save(update_fields=["classification"])
    audit_record(
        actor=actor,
        action="network.document.downgrade",
        object_type="network.document",
        object_id=document.pk,
        changes={"classification": [old, to], "reason": reason, "network": document.network.slug},
    )
    return document


@transaction.atomic
def document_add(
    *,
    actor: policy.Actor | None,
    network: Network,
    title: str,
    kind: str,
    classification: str,
    text: str = "",
    filename: str = "",
    content: bytes | None = None,
    meeting: Meeting | None = None,
    session: Session | None = None,
    tags: Iterable[str] = (),
    is_fictional: bool = False,
) -> Document:
    """Add a document to a network's library. ``actor=None`` is the system (demo loading);
    otherwise the network's Secretariat only. Audited."""
    if actor is not None and not policy.can_administer_network(actor, network.pk):
        raise NetworkDenied("only the network's Secretariat adds documents")
    if not title.strip():
        raise NetworkInputError("title", "give the document a title")
    if kind not in vocabulary("network", "document_kinds"):
        raise NetworkInputError("kind", f"unknown kind {kind!r}")
    if classification not in policy.CLASSIFICATIONS:
        raise NetworkInputError("classification", f"unknown classification {classification!r}")
    if meeting is not None and meeting.network_id != network.pk:
        raise NetworkInputError("meeting", "the meeting belongs to another network")
    if session is not None and (meeting is None or session.meeting_id != meeting.pk):
        raise NetworkInputError("session", "the session must belong to the document's meeting")
    document = Document(
        network=network,
        meeting=meeting,
        session=session,
        title=title.strip(),
        kind=kind,
        classification=classification,
        text=text,
        is_fictional=is_fictional,
    )
    if content is not None:
        document.file.save(filename or "document.txt", ContentFile(content), save=False)
    document.save()
    tag_objs = [Tag.objects.get_or_create(name=t.strip().lower())[0] for t in tags if t.strip()]
    document.tags.set(tag_objs)
    if actor is not None:  # not for the system's bulk loading (demo, imports)
        from cicnet.network.notifications import notify_new_document

        notify_new_document(document)
    audit_record(
        actor=actor,
        action="network.document.add",
        object_type="network.document",
        object_id=document.pk,
        # The audit log is read by the instance administrators, who see no more of a network
        # than the public: a title only where the public may read the document, never for one
        # of an invitees-only meeting (docs/decisions/0174).
        changes={"network": network.slug, "classification": classification}
        | ({"title": title} if policy.audit_may_name_document(document) else {}),
    )
    return document


@transaction.atomic
def meeting_schedule(
    *,
    actor: policy.Actor,
    network: Network,
    number: int,
    title: str,
    start_date: dt.date,
    end_date: dt.date,
    place: str = "",
    meeting_format: str = "",
    presidency: str = "",
    audience: str = "network",
) -> Meeting:
    """Schedule a meeting with its open and closed sessions: the network's Secretariat only;
    audited. A meeting of the network: members who want it are e-mailed on commit. An
    invitees-only meeting (``audience="invitees"``) has no invitees yet, so nobody is e-mailed
    here: the caller invites, then calls ``notifications.notify_new_meeting``, which e-mails
    only those the policy lets know of it."""
    if not policy.can_administer_network(actor, network.pk):
        raise NetworkDenied("only the network's Secretariat schedules meetings")
    if audience not in vocabulary("network", "meeting_audiences"):
        raise NetworkInputError("audience", f"unknown audience {audience!r}")
    if not title.strip():
        raise NetworkInputError("title", "give the meeting a title")
    if end_date < start_date:
        raise NetworkInputError("end_date", "the last day cannot be before the first")
    if Meeting.objects.filter(network=network, number=number).exists():
        raise NetworkInputError("number", f"meeting {number} already exists in this network")
    meeting = Meeting.objects.create(
        network=network,
        number=number,
        title=title.strip(),
        start_date=start_date,
        end_date=end_date,
        place=place,
        meeting_format=meeting_format,
        presidency=presidency,
        audience=audience,
    )
    for kind in ("open", "closed"):
        Session.objects.create(meeting=meeting, kind=kind)
    changes: dict[str, object] = {"network": network.slug, "number": number}
    if audience in policy.OPEN_MEETING_AUDIENCES:
        changes["start_date"] = start_date.isoformat()
    else:
        # The audit log is read by the instance administrators: ids only, not the date.
        changes["audience"] = audience
    audit_record(
        actor=actor,
        action="network.meeting.schedule",
        object_type="network.meeting",
        object_id=meeting.pk,
        changes=changes,
    )
    if audience in policy.OPEN_MEETING_AUDIENCES:
        from cicnet.network.notifications import notify_new_meeting

        notify_new_meeting(meeting)
    return meeting


@dataclass
class SeedLoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@transaction.atomic
def meetings_load_from_seed(*, network: Network, meetings: Iterable[SeedMeeting]) -> SeedLoadResult:
    """Create or update the network's archive meetings from parsed seed meetings (idempotent).

    Each meeting gets an open and a closed session; the topics become public agenda items of
    the open session (the page publishes them as the conclusions' topics).
    """
    result = SeedLoadResult()
    for sm in meetings:
        defaults = {
            "title": sm.title,
            "start_date": sm.start_date,
            "end_date": sm.end_date,
            "meeting_format": sm.meeting_format,
            "conclusions_available": sm.conclusions_available,
            "source_note": SEED_SOURCE,
        }
        meeting = Meeting.objects.filter(network=network, number=sm.number).first()
        if meeting is not None and meeting.audience not in policy.OPEN_MEETING_AUDIENCES:
            # Never overwrite (nor publish topics on) an ad hoc coordination meeting.
            raise NetworkInputError(
                "number",
                f"meeting {sm.number} of {network.slug} is an invitees-only meeting; renumber "
                "it (ad hoc meetings are numbered apart from the plenaries) and load again",
            )
        if meeting is None:
            meeting = Meeting.objects.create(network=network, number=sm.number, **defaults)
            result.created += 1
        else:
            changed = [k for k, v in defaults.items() if getattr(meeting, k) != v]
            for k in changed:
                setattr(meeting, k, defaults[k])
            if changed:
                meeting.save(update_fields=changed)
            existing = list(
                meeting.agenda_items.filter(classification="public").values_list("title", flat=True)
            )
            if not changed and existing == list(sm.topics):
                result.unchanged += 1
                continue
            result.updated += 1
        open_session, _ = Session.objects.get_or_create(
            meeting=meeting, kind="open", defaults={"date": sm.start_date}
        )
        Session.objects.get_or_create(meeting=meeting, kind="closed")
        meeting.agenda_items.filter(classification="public").delete()
        AgendaItem.objects.bulk_create(
            AgendaItem(
                meeting=meeting,
                session=open_session,
                order=i,
                title=topic,
                classification="public",
            )
            for i, topic in enumerate(sm.topics, start=1)
        )
    return result
