"""Reads of the secure-cooperation area, every one filtered by ``access/policy/``.

``submission_context`` is the one way to open a submission: it answers ``None`` (shown as 404,
exactly like a missing page) unless the policy gives the actor a side, and then carries only
what that side may see.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from cicnet.access import policy
from cicnet.evidence.models import (
    CustodyEntry,
    EvidenceItem,
    Message,
    Referral,
    Share,
    Submission,
    SubmissionEvent,
)
from cicnet.network.models import Organisation

ADDRESSABLE_ORG_TYPES = ("national_authority", "observer_state_authority")
OPEN_STATES = frozenset(
    {"submitted", "acknowledged", "under_assessment", "more_information_requested"}
)


@dataclass
class SubmissionContext:
    """A submission as one actor may see it."""

    submission: Submission
    side: str
    referrals: list[Referral]  # the referrals this side sees
    all_referral_count: int
    items: list[EvidenceItem]
    events: list[SubmissionEvent]
    organisation_label: str  # the organisation the actor acts for here
    open_referrals: int = 0
    messages: dict[int, list[Message]] = field(default_factory=dict)

    @property
    def can_edit(self) -> bool:
        return policy.can_edit_submission(self.side, self.submission)

    @property
    def can_add_items(self) -> bool:
        return policy.can_add_items(self.side, self.submission, self.open_referrals)

    @property
    def can_share(self) -> bool:
        return policy.can_share_submission(self.side, self.submission)

    @property
    def can_export(self) -> bool:
        return policy.can_export_items(self.side) and bool(self.items)


def submissions_for(*, actor: policy.Actor) -> QuerySet[Submission]:
    """The submissions ``actor`` may read, newest first."""
    return policy.submissions_visible(actor, Submission.objects.all()).select_related(
        "submitting_organisation"
    )


@dataclass(frozen=True)
class SubmissionRow:
    """One line of the submissions list: the submission and the referrals the actor sees."""

    submission: Submission
    is_own: bool  # the actor acts for the submitting organisation
    referrals: list[Referral]


def submission_rows(*, actor: policy.Actor) -> list[SubmissionRow]:
    """The submissions list: per submission, the referrals the actor's side sees (the submitting
    organisation every one, an authority its own). Two queries."""
    rows = []
    own_orgs = actor.organisation_ids
    for s in submissions_for(actor=actor).prefetch_related("referrals__organisation"):
        referrals = list(s.referrals.all())
        if s.submitting_organisation_id in own_orgs:
            side = "cso"
        elif any(r.organisation_id in own_orgs for r in referrals):
            side = "authority"
        else:  # listed through a share
            side = "secretariat"
        rows.append(
            SubmissionRow(
                submission=s,
                is_own=side == "cso",
                referrals=policy.referrals_visible_to(actor, side, referrals),
            )
        )
    return rows


def submission_shares(context: SubmissionContext) -> list[Share]:
    """The shares of the submission, for its parties only (a Secretariat does not see who else
    it was shared with)."""
    if context.side not in ("cso", "authority"):
        return []
    return list(context.submission.shares.select_related("network"))


def custody_entries(*, item: EvidenceItem) -> list[CustodyEntry]:
    """The item's custody log in order (the caller already holds the item through a context)."""
    return list(CustodyEntry.objects.filter(item=item).order_by("seq"))


def related_item_ids(*, item: EvidenceItem) -> set[int]:
    return set(item.related.values_list("pk", flat=True))


def submission_context(*, actor: policy.Actor, uid: str) -> SubmissionContext | None:
    submission = (
        Submission.objects.select_related("submitting_organisation").filter(uid=uid).first()
    )
    if submission is None:
        return None
    referrals = list(Referral.objects.filter(submission=submission).select_related("organisation"))
    shared = frozenset(
        submission.shares.filter(revoked_at__isnull=True).values_list("network_id", flat=True)
    )
    side = policy.submission_side(
        actor,
        submission,
        referral_org_ids=frozenset(r.organisation_id for r in referrals),
        shared_network_ids=shared,
    )
    if side is None:
        return None
    seen_referrals = policy.referrals_visible_to(actor, side, referrals)
    items = policy.items_visible_to(
        side,
        list(
            EvidenceItem.objects.filter(submission=submission).select_related(
                "parent", "created_by"
            )
        ),
    )
    seen_ids = {r.pk for r in seen_referrals}
    events_qs = SubmissionEvent.objects.filter(submission=submission)
    if side == "secretariat":
        events_qs = events_qs.filter(referral__isnull=True).filter(
            Q(item__isnull=True) | Q(item_id__in=[i.pk for i in items])
        )
    else:
        events_qs = events_qs.filter(Q(referral__isnull=True) | Q(referral_id__in=seen_ids))
    messages: dict[int, list[Message]] = {r.pk: [] for r in seen_referrals}
    if side in ("cso", "authority"):
        for m in Message.objects.filter(referral_id__in=seen_ids).select_related("author"):
            messages[m.referral_id].append(m)
    return SubmissionContext(
        submission=submission,
        side=side,
        referrals=seen_referrals,
        all_referral_count=len(referrals),
        items=items,
        events=list(events_qs),
        organisation_label=_organisation_label(actor, side, submission, seen_referrals),
        open_referrals=sum(1 for r in seen_referrals if r.state in OPEN_STATES),
        messages=messages,
    )


def _organisation_label(
    actor: policy.Actor, side: str, submission: Submission, referrals: list[Referral]
) -> str:
    if side == "cso":
        return submission.submitting_organisation.name
    if side == "authority":
        return ", ".join(r.organisation.name for r in referrals) or "addressed authority"
    orgs = Organisation.objects.filter(
        pk__in=sorted(actor.organisation_ids), org_type="secretariat"
    )
    return ", ".join(o.name for o in orgs) or "network Secretariat"


def item_in(context: SubmissionContext, uid: str) -> EvidenceItem | None:
    """An item of the submission that the context's side may see."""
    for item in context.items:
        if item.uid == uid:
            return item
    return None


def addressable_authorities(*, actor: policy.Actor) -> QuerySet[Organisation]:
    """The national and observer-State authorities in the directories of the networks the actor
    belongs to: whom a civil-society organisation may address."""
    return (
        Organisation.objects.filter(
            network_id__in=sorted(actor.network_ids), org_type__in=ADDRESSABLE_ORG_TYPES
        )
        .select_related("network")
        .order_by("network__name", "country", "name")
    )


def cso_organisations(*, actor: policy.Actor) -> QuerySet[Organisation]:
    """The civil-society organisations the actor acts for (who may prepare submissions)."""
    return Organisation.objects.filter(
        pk__in=sorted(actor.organisation_ids), org_type="civil_society"
    ).order_by("name")


def shareable_networks(*, actor: policy.Actor) -> list[tuple[int, str]]:
    """Networks the actor belongs to, whose Secretariat a submission may be shared with."""
    from cicnet.network.models import Network

    return [
        (n.pk, str(n))
        for n in Network.objects.filter(pk__in=sorted(actor.network_ids)).order_by("name")
    ]
