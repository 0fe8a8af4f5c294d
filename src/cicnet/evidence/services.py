"""Writes of the submission workflow: create and edit, submit, move a referral between states,
post a message, share with a network Secretariat. Every function takes the acting user's
context (from ``selectors.submission_context``), checks the policy, writes atomically and
records what happened for both parties (``SubmissionEvent``) and in the audit log.

Evidence files are added in ``uploads.py``; packages are made in ``export.py``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from cicnet.access import policy
from cicnet.audit.services import audit_record
from cicnet.errors import ActionDenied, UserInputError
from cicnet.evidence.custody_log import custody_append
from cicnet.evidence.models import Message, Referral, Share, Submission, SubmissionEvent
from cicnet.evidence.selectors import SubmissionContext
from cicnet.network.models import Network, Organisation
from cicnet.vocabularies import vocabulary

_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


class EvidenceDenied(ActionDenied):
    """The policy does not allow this action (answered as 403 or 404)."""


class EvidenceInputError(UserInputError):
    """Bad input from the user; the message names the field and what to do, ``field`` too."""


def new_uid(prefix: str) -> str:
    """A random public id (no counter: ids reveal nothing about other organisations' work)."""
    return prefix + "-" + "".join(secrets.choice(_ALPHABET) for _ in range(8))


@dataclass(frozen=True)
class SubmissionData:
    """Validated content of the submission form (``forms.SubmissionForm``)."""

    title: str
    narrative: str
    places: str
    period_start: Any
    period_end: Any
    period_note: str
    crimes: list[str]
    persons: list[dict[str, str]]
    victims_count: int | None
    languages: list[str]
    assessment: str
    addressees: list[Organisation]


def user_id_of(actor: policy.Actor) -> int:
    """The acting user's id; the vault has no anonymous writers."""
    if actor.user_id is None:
        raise EvidenceDenied("log in first")
    return actor.user_id


def _label(actor: policy.Actor, organisation: str) -> str:
    return f"{actor.username} · {organisation}"


def _event(
    submission: Submission, actor_label: str, kind: str, text: str, referral: Referral | None = None
) -> None:
    SubmissionEvent.objects.create(
        submission=submission, referral=referral, actor_label=actor_label, kind=kind, text=text
    )


def _apply(submission: Submission, data: SubmissionData) -> None:
    for name in (
        "title",
        "narrative",
        "places",
        "period_start",
        "period_end",
        "period_note",
        "crimes",
        "persons",
        "victims_count",
        "languages",
        "assessment",
    ):
        setattr(submission, name, getattr(data, name))


def _set_addressees(submission: Submission, addressees: list[Organisation]) -> None:
    wanted = {o.pk for o in addressees}
    Referral.objects.filter(submission=submission).exclude(organisation_id__in=wanted).delete()
    have = set(
        Referral.objects.filter(submission=submission).values_list("organisation_id", flat=True)
    )
    for org in addressees:
        if org.pk not in have:
            Referral.objects.create(submission=submission, organisation=org)


@transaction.atomic
def submission_create(
    *, actor: policy.Actor, organisation: Organisation, data: SubmissionData
) -> Submission:
    """A new draft of ``organisation`` (a civil-society organisation the actor acts for)."""
    if organisation.org_type != "civil_society" or organisation.pk not in actor.organisation_ids:
        raise EvidenceDenied("only members of a civil-society organisation prepare submissions")
    if actor.user_id is None:
        raise EvidenceDenied("log in first")
    submission = Submission(
        uid=new_uid("SUB"), submitting_organisation=organisation, created_by_id=actor.user_id
    )
    _apply(submission, data)
    submission.save()
    _set_addressees(submission, data.addressees)
    _event(submission, _label(actor, organisation.name), "created", "Draft created.")
    audit_record(
        actor=actor, action="submission.create", object_type="submission", object_id=submission.uid
    )
    return submission


@transaction.atomic
def submission_update(
    *, actor: policy.Actor, context: SubmissionContext, data: SubmissionData
) -> None:
    submission = Submission.objects.select_for_update().get(pk=context.submission.pk)
    if not policy.can_edit_submission(context.side, submission):
        raise EvidenceDenied("only the organisation edits its submission, and only as a draft")
    _apply(submission, data)
    submission.save()
    _set_addressees(submission, data.addressees)
    _event(submission, _label(actor, context.organisation_label), "edited", "Draft edited.")


@transaction.atomic
def submission_submit(*, actor: policy.Actor, context: SubmissionContext) -> None:
    """Send a draft to its addressed authorities: one referral each, state ``submitted``."""
    submission = Submission.objects.select_for_update().get(pk=context.submission.pk)
    if not policy.can_edit_submission(context.side, submission):
        raise EvidenceDenied("only the organisation sends its own draft")
    referrals = list(Referral.objects.filter(submission=submission).select_related("organisation"))
    if not referrals:
        raise EvidenceInputError(
            "addressees: choose at least one national authority before sending.", field="addressees"
        )
    submission.state = "submitted"
    submission.submitted_at = timezone.now()
    submission.save(update_fields=["state", "submitted_at", "updated_at"])
    names = ", ".join(r.organisation.name for r in referrals)
    label = _label(actor, context.organisation_label)
    _event(submission, label, "submitted", f"Sent to {names}.")
    for item in submission.items.all():
        for referral in referrals:
            custody_append(
                item=item,
                action="shared",
                actor=actor.username,
                organisation=context.organisation_label,
                purpose="submission sent to the addressed authority",
                details={"recipient": referral.organisation.name, "submission": submission.uid},
            )
    audit_record(
        actor=actor,
        action="submission.submit",
        object_type="submission",
        object_id=submission.uid,
        changes={"addressees": names},
    )


@transaction.atomic
def referral_transition(
    *,
    actor: policy.Actor,
    context: SubmissionContext,
    referral_id: int,
    to: str,
    message: str,
    closed_reason: str = "",
) -> Referral:
    """Move one referral to ``to``; requesting more information, answering and closing need a
    message, closing a reason."""
    referral = (
        Referral.objects.select_for_update()
        .filter(pk=referral_id, pk__in=[r.pk for r in context.referrals])
        .first()
    )
    if referral is None:
        raise EvidenceDenied("no such referral for you")
    if to not in vocabulary("evidence", "referral_states"):
        raise EvidenceInputError(f"state: unknown state {to!r}.", field="state")
    if not policy.can_transition_referral(context.side, referral.state, to):
        raise EvidenceDenied(f"you may not move this referral from {referral.state} to {to}")
    message = message.strip()
    if to in ("more_information_requested", "closed") and not message:
        raise EvidenceInputError("message: say what you need or why you close it.", field="message")
    if context.side == "cso" and to == "under_assessment" and not message:
        raise EvidenceInputError("message: answer the authority's request.", field="message")
    if to == "closed":
        if context.side == "cso":
            closed_reason = "withdrawn"
        elif closed_reason not in vocabulary("evidence", "closure_reasons") or (
            closed_reason == "withdrawn"
        ):
            raise EvidenceInputError(
                "closed_reason: choose why the referral is closed.", field="closed_reason"
            )
        referral.closed_reason = closed_reason
    previous = referral.state
    referral.state = to
    if to == "acknowledged":
        referral.acknowledged_at = timezone.now()
    referral.save()
    if message:
        Message.objects.create(
            referral=referral,
            author_id=user_id_of(actor),
            author_side=context.side,
            body=message,
            state_change=to,
        )
    states = vocabulary("evidence", "referral_states")
    text = f"{referral.organisation.name}: {states.label(previous)} → {states.label(to)}"
    if to == "closed":
        text += f" ({vocabulary('evidence', 'closure_reasons').label(referral.closed_reason)})"
    _event(context.submission, _label(actor, context.organisation_label), "state", text, referral)
    audit_record(
        actor=actor,
        action="referral.transition",
        object_type="submission",
        object_id=context.submission.uid,
        changes={"referral": referral.pk, "from": previous, "to": to},
    )
    return referral


@transaction.atomic
def message_post(
    *, actor: policy.Actor, context: SubmissionContext, referral_id: int, body: str
) -> Message:
    referral = next((r for r in context.referrals if r.pk == referral_id), None)
    if referral is None:
        raise EvidenceDenied("no such thread for you")
    if not policy.can_write_message(context.side, referral.state):
        raise EvidenceDenied("this thread is closed")
    body = body.strip()
    if not body:
        raise EvidenceInputError("body: write a message.", field="body")
    if len(body) > 20000:
        raise EvidenceInputError(
            "body: at most 20,000 characters; attach longer texts as items.", field="body"
        )
    return Message.objects.create(
        referral=referral, author_id=user_id_of(actor), author_side=context.side, body=body
    )


@transaction.atomic
def submission_share(
    *, actor: policy.Actor, context: SubmissionContext, network_id: int, purpose: str
) -> Share:
    """Let one network's Secretariat read the submission and the items that may leave the
    parties; each such item records the share in its custody log."""
    if not policy.can_share_submission(context.side, context.submission):
        raise EvidenceDenied("only a party shares a submitted submission")
    if network_id not in actor.network_ids:
        raise EvidenceInputError("network: choose one of your networks.", field="network")
    purpose = purpose.strip()
    if not purpose:
        raise EvidenceInputError(
            "purpose: say why the Secretariat should read it.", field="purpose"
        )
    network = Network.objects.get(pk=network_id)
    share = Share.objects.create(
        submission=context.submission,
        network=network,
        shared_by_id=user_id_of(actor),
        purpose=purpose[:300],
    )
    withheld = 0
    for item in context.submission.items.all():
        if not policy.item_may_leave_parties(item):
            withheld += 1
            continue
        custody_append(
            item=item,
            action="shared",
            actor=actor.username,
            organisation=context.organisation_label,
            purpose=purpose[:500],
            details={
                "recipient": f"Secretariat of {network}",
                "submission": context.submission.uid,
            },
        )
    text = f"Shared with the Secretariat of {network}: {purpose[:200]}"
    if withheld:
        text += f" ({withheld} item(s) withheld by their handling code)"
    _event(context.submission, _label(actor, context.organisation_label), "shared", text)
    audit_record(
        actor=actor,
        action="submission.share",
        object_type="submission",
        object_id=context.submission.uid,
        changes={"network": network.slug},
    )
    return share


@transaction.atomic
def share_revoke(*, actor: policy.Actor, context: SubmissionContext, share_id: int) -> None:
    if context.side not in ("cso", "authority"):
        raise EvidenceDenied("only a party withdraws a share")
    share = Share.objects.filter(
        pk=share_id, submission=context.submission, revoked_at__isnull=True
    ).first()
    if share is None:
        raise EvidenceInputError("share: no such active share.", field="share")
    share.revoked_at = timezone.now()
    share.save(update_fields=["revoked_at"])
    _event(
        context.submission,
        _label(actor, context.organisation_label),
        "unshared",
        f"Share with the Secretariat of {share.network} withdrawn.",
    )
