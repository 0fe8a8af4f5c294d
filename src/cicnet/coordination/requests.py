"""Requests for assistance and extradition between authorities: record, move between states,
share with the network's Secretariat; the Secretariat's statistics count them without their
content. Reads and writes through ``access/policy/coordination.py``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, QuerySet

from cicnet.access import policy
from cicnet.audit.services import audit_record
from cicnet.coordination.models import AssistanceRequest
from cicnet.coordination.services import CoordinationDenied, CoordinationInputError
from cicnet.network.models import Organisation
from cicnet.vocabularies import vocabulary

# (side, from, to) moves of a request's state.
_MOVES = frozenset(
    {("requested", "sent", "received"), ("requested", "received", "in_progress")}
    | {("requested", s, "executed") for s in ("received", "in_progress")}
    | {("requested", s, "refused") for s in ("sent", "received", "in_progress")}
    | {("requesting", s, "withdrawn") for s in ("sent", "received", "in_progress")}
)


@dataclass(frozen=True)
class RequestData:
    from_organisation_id: int
    to_organisation_id: int
    kind: str
    reference: str
    subject: str
    sent_on: dt.date
    deadline: dt.date | None


def requests_for(*, actor: policy.Actor) -> QuerySet[AssistanceRequest]:
    return policy.requests_visible(
        actor,
        AssistanceRequest.objects.select_related("from_organisation", "to_organisation"),
    )


def request_get(*, actor: policy.Actor, uid: str) -> AssistanceRequest | None:
    return requests_for(actor=actor).filter(uid=uid).first()


def recipients_for(*, actor: policy.Actor) -> QuerySet[Organisation]:
    networks = Organisation.objects.filter(pk__in=sorted(policy.authority_ids(actor))).values(
        "network_id"
    )
    return Organisation.objects.filter(
        network_id__in=networks, org_type__in=sorted(policy.AUTHORITY_TYPES)
    ).order_by("name")


@transaction.atomic
def request_record(*, actor: policy.Actor, data: RequestData) -> AssistanceRequest:
    own = policy.authority_ids(actor)
    if data.from_organisation_id not in own:
        raise CoordinationInputError(
            "From: pick the authority you act for.", field="from_organisation"
        )
    sender = Organisation.objects.get(pk=data.from_organisation_id)
    recipient = (
        Organisation.objects.filter(
            pk=data.to_organisation_id,
            network_id=sender.network_id,
            org_type__in=sorted(policy.AUTHORITY_TYPES),
        )
        .exclude(pk=sender.pk)
        .first()
    )
    if recipient is None:
        raise CoordinationInputError(
            "To: pick another national authority of the network.", field="to_organisation"
        )
    if data.kind not in vocabulary("coordination", "request_kinds"):
        raise CoordinationInputError("Type: pick one of the types listed.", field="kind")
    if not data.reference.strip():
        raise CoordinationInputError("Reference: give your reference.", field="reference")
    if not data.subject.strip():
        raise CoordinationInputError("Subject: say what is requested.", field="subject")
    if data.deadline is not None and data.deadline < data.sent_on:
        raise CoordinationInputError(
            "Deadline: it comes before the request was sent.", field="deadline"
        )
    request = AssistanceRequest.objects.create(
        network_id=sender.network_id,
        from_organisation=sender,
        to_organisation=recipient,
        kind=data.kind,
        reference=data.reference.strip(),
        subject=data.subject.strip(),
        sent_on=data.sent_on,
        deadline=data.deadline,
        created_by_id=actor.user_id,
    )
    audit_record(
        actor=actor,
        action="coordination.request_record",
        object_type="coordination.request",
        object_id=request.uid,
        changes={"kind": request.kind},
    )
    return request


@transaction.atomic
def request_move(*, actor: policy.Actor, request: AssistanceRequest, to: str) -> None:
    side = policy.request_side(actor, request)
    if side is None:
        raise CoordinationDenied("not a party of this request")
    if (side, request.state, to) not in _MOVES:
        raise CoordinationInputError(
            f"State: your side cannot move it from {request.state} to {to}.", field="state"
        )
    before = request.state
    request.state = to
    request.save(update_fields=["state", "updated_at"])
    audit_record(
        actor=actor,
        action="coordination.request_state",
        object_type="coordination.request",
        object_id=request.uid,
        changes={"state": [before, to]},
    )


@transaction.atomic
def request_share(*, actor: policy.Actor, request: AssistanceRequest, shared: bool) -> None:
    if policy.request_side(actor, request) is None:
        raise CoordinationDenied("not a party of this request")
    request.shared_with_secretariat = shared
    request.save(update_fields=["shared_with_secretariat", "updated_at"])


def moves_for(*, actor: policy.Actor, request: AssistanceRequest) -> list[str]:
    side = policy.request_side(actor, request)
    return sorted(to for s, frm, to in _MOVES if s == side and frm == request.state)


def request_statistics(*, actor: policy.Actor) -> dict[str, dict[str, int]] | None:
    """Counts by type and by state of every request of the actor's Secretariat networks
    (administrators: all) — shared or not, without their content."""
    if not policy.can_view_crosscheck_statistics(actor):
        return None
    rows = AssistanceRequest.objects.all()
    if actor.role != "admin":
        nets = sorted(nid for nid, role in actor.memberships if role == "secretariat")
        rows = rows.filter(network_id__in=nets)
    by_kind = {r["kind"]: r["n"] for r in rows.values("kind").annotate(n=Count("pk"))}
    by_state = {r["state"]: r["n"] for r in rows.values("state").annotate(n=Count("pk"))}
    return {"by_kind": by_kind, "by_state": by_state}
