"""Ad hoc coordination meetings: a national authority's contact point asks the network's
Secretariat for a meeting on a case, a situation or a topic, naming the authorities concerned;
the Secretariat accepts — scheduling a meeting of the network (``network.services.
meeting_schedule``, the meetings model every network meeting uses) whose closed session
invites the contact points of the requester and of the authorities concerned — or declines with
a reason. The requester sees where its request stands.

When the subject is one of the requester's cases, asking is the owner's choice to put that
case's summary before the meeting's closed session: on acceptance the summary is shared with
the closed session (a ``CaseShare``), which shows it on that session's agenda to its invitees
only (``selectors.closed_session_cases``). Persons of interest never go with it.

The meeting is *invitees-only* (``Meeting.audience``): its existence, title, dates and agenda
are known to its invitees and the network's Secretariat only (``policy.meetings_visible``), so
it is in no one else's meeting list, calendar, feed, search, statistics or e-mail. It is
numbered from ``ADHOC_NUMBER_BASE``, apart from the plenaries, so the public archive's
numbering shows no gap and a plenary loaded from the seed never lands on it; the number offered
is drawn at random from the block, so it counts nothing (``meeting_number_offer``). The Secretariat
is e-mailed when a request arrives (a link, no case details).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from cicnet.access import policy
from cicnet.audit.services import audit_record
from cicnet.coordination.models import Case, CaseShare, MeetingRequest
from cicnet.coordination.services import CoordinationDenied, CoordinationInputError
from cicnet.network.models import Meeting, Membership, Network, Organisation, SessionParticipant
from cicnet.network.notifications import notify_new_meeting
from cicnet.network.services import NetworkInputError, meeting_schedule

MAX_CONCERNED = 30
# Ad hoc coordination meetings are numbered from here, apart from the plenaries' sequence; the
# number offered is drawn from the next ``ADHOC_NUMBER_SPAN`` numbers (four digits).
ADHOC_NUMBER_BASE = 1001
ADHOC_NUMBER_SPAN = 8999


@dataclass(frozen=True)
class MeetingRequestData:
    requester_id: int
    subject_kind: str
    case_uid: str
    subject: str
    reason: str
    concerned_ids: list[int]


@dataclass(frozen=True)
class ScheduleData:
    number: int
    title: str
    start_date: dt.date
    end_date: dt.date
    place: str
    meeting_format: str


def requests_for(*, actor: policy.Actor) -> QuerySet[MeetingRequest]:
    return policy.meeting_requests_visible(actor, MeetingRequest.objects.all()).select_related(
        "requester", "network", "meeting", "case"
    )


def request_get(*, actor: policy.Actor, uid: str) -> MeetingRequest | None:
    return requests_for(actor=actor).filter(uid=uid).first()


def scheduled_meeting_of(*, actor: policy.Actor, request: MeetingRequest) -> Meeting | None:
    """The meeting scheduled for a request, when the actor may know of it (an invitee or the
    Secretariat: the requester's people who joined after the invitations do not)."""
    if request.meeting_id is None:
        return None
    return policy.meetings_visible(actor, Meeting.objects.filter(pk=request.meeting_id)).first()


def concerned_of(*, actor: policy.Actor, request: MeetingRequest) -> list[Organisation]:
    """The authorities a visible request names (for its requester and the Secretariat)."""
    if not policy.meeting_requests_visible(
        actor, MeetingRequest.objects.filter(pk=request.pk)
    ).exists():
        return []
    return list(request.concerned.order_by("name"))


def requesters_for(*, actor: policy.Actor) -> QuerySet[Organisation]:
    """The actor's authorities in networks where it may ask for a meeting."""
    networks = sorted(n for n in actor.network_ids if policy.can_request_meeting(actor, n))
    return Organisation.objects.filter(
        pk__in=sorted(policy.authority_ids(actor)), network_id__in=networks
    ).order_by("name")


def concerned_candidates(*, actor: policy.Actor) -> QuerySet[Organisation]:
    """Authorities of the networks where the actor may ask (the form's choices)."""
    networks = requesters_for(actor=actor).values_list("network_id", flat=True)
    return Organisation.objects.filter(
        network_id__in=list(networks), org_type__in=sorted(policy.AUTHORITY_TYPES)
    ).order_by("name")


def cases_to_name(*, actor: policy.Actor) -> QuerySet[Case]:
    """The actor's own authorities' cases (a request may name one)."""
    return Case.objects.filter(organisation_id__in=sorted(policy.authority_ids(actor))).order_by(
        "-created_at"
    )


@transaction.atomic
def meeting_request(*, actor: policy.Actor, data: MeetingRequestData) -> MeetingRequest:
    """Ask the network's Secretariat for an ad hoc coordination meeting; audited."""
    requester = requesters_for(actor=actor).filter(pk=data.requester_id).first()
    if requester is None:
        if not requesters_for(actor=actor).exists():
            raise CoordinationDenied("only national authorities' contact points ask")
        raise CoordinationInputError(
            "Requesting authority: choose one of your authorities.", field="requester"
        )
    if data.subject_kind not in ("case", "situation", "topic"):
        raise CoordinationInputError(
            "Subject: choose a case, a situation or a topic.", field="subject_kind"
        )
    case = None
    if data.subject_kind == "case":
        case = (
            cases_to_name(actor=actor)
            .filter(uid=data.case_uid.strip(), organisation=requester)
            .first()
        )
        if case is None:
            raise CoordinationInputError(
                "Case: choose one of the requesting authority's registered cases.", field="case"
            )
    subject = data.subject.strip() or (case.situation if case else "")
    if not subject:
        raise CoordinationInputError(
            "What about: say in a line what the meeting is about.", field="subject"
        )
    candidates = set(
        concerned_candidates(actor=actor)
        .filter(network_id=requester.network_id)
        .exclude(pk=requester.pk)
        .values_list("pk", flat=True)
    )
    concerned = sorted(set(data.concerned_ids))
    if not concerned:
        raise CoordinationInputError(
            "Authorities concerned: name at least one other authority.", field="concerned"
        )
    if len(concerned) > MAX_CONCERNED or any(i not in candidates for i in concerned):
        raise CoordinationInputError(
            "Authorities concerned: pick other national authorities of the network from the list.",
            field="concerned",
        )
    request = MeetingRequest.objects.create(
        network_id=requester.network_id,
        requester=requester,
        requested_by_id=actor.user_id,
        subject_kind=data.subject_kind,
        case=case,
        subject=subject[:300],
        reason=data.reason.strip(),
    )
    request.concerned.set(concerned)
    audit_record(
        actor=actor,
        action="coordination.meeting_request",
        object_type="coordination.meeting_request",
        object_id=request.uid,
        # The audit log is read by the instance administrators: not who is concerned.
        changes={"concerned": len(concerned)},
    )
    _notify_secretariat(request)
    return request


def _notify_secretariat(request: MeetingRequest, *, base_url: str = "") -> None:
    """E-mail the network's Secretariat, on commit, one message per person: a link to the
    request and nothing of it (no authority, subject or case: the page shows them after login)."""
    from cicnet.accounts.models import User

    user_ids = Membership.objects.filter(
        network_id=request.network_id, role="secretariat", is_active=True
    ).values("person__user_id")
    emails = sorted(
        User.objects.filter(pk__in=user_ids, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    url = f"{base_url.rstrip('/')}/coordination/meetings/{request.uid}/"
    messages = tuple(
        (
            "A request for an ad hoc coordination meeting",
            "A national authority of your network asks the Secretariat for an ad hoc "
            f"coordination meeting. Read the request and decide (log in first):\n{url}\n",
            settings.DEFAULT_FROM_EMAIL,
            [email],
        )
        for email in emails
    )
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages))


def meeting_number_offer(*, network_id: int) -> int:
    """The number the Secretariat is offered: a free number of the ad hoc block, drawn at
    random. A sequence (1001, 1002 …) told every invitee how many ad hoc meetings — each
    confidential, known to its own invitees only — the network had held before theirs
    (docs/decisions/0172). Plenaries keep their own sequence below the block."""
    used = set(
        Meeting.objects.filter(
            network_id=network_id,
            number__gte=ADHOC_NUMBER_BASE,
            number__lt=ADHOC_NUMBER_BASE + ADHOC_NUMBER_SPAN,
        ).values_list("number", flat=True)
    )
    for _ in range(100):
        number = ADHOC_NUMBER_BASE + secrets.randbelow(ADHOC_NUMBER_SPAN)
        if number not in used:
            return number
    # The block is nearly full (thousands of ad hoc meetings): past its end, still apart.
    last = Meeting.objects.filter(network_id=network_id).aggregate(n=Max("number"))["n"]
    return max(int(last or 0), ADHOC_NUMBER_BASE + ADHOC_NUMBER_SPAN) + 1


def _decidable(actor: policy.Actor, request: MeetingRequest) -> None:
    if "secretariat" not in actor.network_roles(request.network_id):
        raise CoordinationDenied("only the network's Secretariat decides")
    if not policy.can_decide_meeting_request(actor, request):
        raise CoordinationInputError(
            f"Decision: this request is already {request.get_state_display().lower()}.",
            field="decision",
        )


@transaction.atomic
def meeting_request_accept(
    *, actor: policy.Actor, request: MeetingRequest, data: ScheduleData
) -> Meeting:
    """Schedule the meeting (invitees-only, closed session only) and invite the contact points
    of the requester and of the authorities concerned; share the named case with that session;
    e-mail the invitees (not the network)."""
    MeetingRequest.objects.select_for_update().filter(pk=request.pk).exists()
    request.refresh_from_db()
    _decidable(actor, request)
    if data.number < ADHOC_NUMBER_BASE:
        raise CoordinationInputError(
            f"Meeting number: ad hoc coordination meetings are numbered from "
            f"{ADHOC_NUMBER_BASE}, apart from the plenaries; take the number offered.",
            field="number",
        )
    network = Network.objects.get(pk=request.network_id)
    try:
        meeting = meeting_schedule(
            actor=actor,
            network=network,
            number=data.number,
            title=data.title,
            start_date=data.start_date,
            end_date=data.end_date,
            place=data.place,
            meeting_format=data.meeting_format,
            audience="invitees",
        )
    except NetworkInputError as exc:
        label = exc.field.replace("_", " ").capitalize()
        raise CoordinationInputError(f"{label}: {exc.message}.", field=exc.field) from None
    # An ad hoc coordination meeting is a closed session only.
    meeting.sessions.filter(kind="open").delete()
    session = meeting.sessions.get(kind="closed")
    session.date = data.start_date
    session.save(update_fields=["date"])
    organisations = [request.requester_id, *request.concerned.values_list("pk", flat=True)]
    persons = (
        Membership.objects.filter(
            network_id=request.network_id,
            organisation_id__in=organisations,
            role__in=sorted(policy.PRACTITIONER_ROLES),
            is_active=True,
        )
        .values_list("person_id", flat=True)
        .distinct()
    )
    SessionParticipant.objects.bulk_create(
        [SessionParticipant(session=session, person_id=p) for p in sorted(set(persons))]
    )
    if request.case_id is not None:
        CaseShare.objects.create(
            case_id=request.case_id, session=session, created_by_id=request.requested_by_id
        )
    request.state = "accepted"
    request.meeting = meeting
    request.decided_by_id = actor.user_id
    request.decided_at = timezone.now()
    request.save(update_fields=["state", "meeting", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action="coordination.meeting_request_accept",
        object_type="coordination.meeting_request",
        object_id=request.uid,
        changes={"meeting": meeting.pk, "invited": len(set(persons))},
    )
    # The usual new-meeting e-mail, to those the policy lets know of it: the invitees and the
    # Secretariat (who want meeting news), never the whole network.
    notify_new_meeting(meeting)
    return meeting


@transaction.atomic
def meeting_request_decline(*, actor: policy.Actor, request: MeetingRequest, reason: str) -> None:
    """Decline with a reason the requester reads."""
    MeetingRequest.objects.select_for_update().filter(pk=request.pk).exists()
    request.refresh_from_db()
    _decidable(actor, request)
    if not reason.strip():
        raise CoordinationInputError(
            "Reason: say why the meeting is declined (the requester reads it).", field="reason"
        )
    request.state = "declined"
    request.decision_reason = reason.strip()
    request.decided_by_id = actor.user_id
    request.decided_at = timezone.now()
    request.save(update_fields=["state", "decision_reason", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action="coordination.meeting_request_decline",
        object_type="coordination.meeting_request",
        object_id=request.uid,
        changes={},
    )
