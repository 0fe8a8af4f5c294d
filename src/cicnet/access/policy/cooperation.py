"""Secure cooperation (``evidence`` app; docs/evidence.md) depends on the organisations the actor
acts for. A submission is read by the members of the submitting civil-society organisation (the
``cso`` side) and, once submitted, by the members of the addressed authorities (the
``authority`` side; each sees only its own referral and message thread). Nobody else reads it —
not instance administrators, not a network Secretariat — unless a party shares it with a
network's Secretariat, which then reads the submission and only the items whose handling code
allows onward sharing, never the message threads. Every page of the vault needs a session
verified with the second factor, demo accounts included.

docs/evidence.md has the whole picture.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .actors import Actor

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from cicnet.evidence.models import EvidenceItem, Referral, Submission

# Handling codes whose items may not leave the parties: no forwarding, no export to a third
# party, no share with a Secretariat (evidence/vocab/handling_codes.yaml).
NO_ONWARD_SHARING = frozenset({"no_onward_sharing", "no_court_use_no_onward_sharing"})
SIDES = ("cso", "authority", "secretariat")

# (side, from, to) transitions of a referral's state. The organisation answers a request for
# more information (back to assessment) or withdraws (closed); the authority does the rest.
_REFERRAL_TRANSITIONS: frozenset[tuple[str, str, str]] = frozenset(
    {
        ("authority", "submitted", "acknowledged"),
        ("authority", "acknowledged", "under_assessment"),
        ("authority", "under_assessment", "more_information_requested"),
        ("authority", "more_information_requested", "under_assessment"),
        ("cso", "more_information_requested", "under_assessment"),
    }
    | {("authority", s, "closed") for s in ("submitted", "acknowledged", "under_assessment")}
    | {("authority", "more_information_requested", "closed")}
    | {
        ("cso", s, "closed")
        for s in ("submitted", "acknowledged", "under_assessment", "more_information_requested")
    }
)


def vault_needs_verified_session() -> bool:
    """The vault asks for a second-factor-verified session from every role; the demo exemption
    does not apply here. Only the test settings (``CICNET_REQUIRE_2FA=False``) switch it off."""
    from django.conf import settings

    return bool(settings.CICNET_REQUIRE_2FA)


def _secretariat_networks(actor: Actor) -> list[int]:
    return sorted(nid for nid, role in actor.memberships if role == "secretariat")


def submissions_visible(actor: Actor, queryset: QuerySet[Submission]) -> QuerySet[Submission]:
    """Restrict a Submission queryset to the submissions ``actor`` may read."""
    from django.db.models import Q

    orgs = sorted(actor.organisation_ids)
    q = Q(submitting_organisation_id__in=orgs) | Q(
        state="submitted", referrals__organisation_id__in=orgs
    )
    networks = _secretariat_networks(actor)
    if networks:
        q |= Q(state="submitted", shares__network_id__in=networks, shares__revoked_at__isnull=True)
    return queryset.filter(q).distinct()


def submission_side(
    actor: Actor,
    submission: Submission,
    *,
    referral_org_ids: frozenset[int],
    shared_network_ids: frozenset[int],
) -> str | None:
    """How ``actor`` reads ``submission``: ``cso``, ``authority``, ``secretariat`` (through an
    active share) or ``None`` (not at all). ``referral_org_ids``: the addressed authorities;
    ``shared_network_ids``: networks whose Secretariat it is actively shared with."""
    orgs = actor.organisation_ids
    if submission.submitting_organisation_id in orgs:
        return "cso"
    if submission.state != "submitted":
        return None
    if orgs & referral_org_ids:
        return "authority"
    if shared_network_ids & frozenset(_secretariat_networks(actor)):
        return "secretariat"
    return None


def referrals_visible_to(
    actor: Actor, side: str | None, referrals: list[Referral]
) -> list[Referral]:
    """The referrals (state and thread) a side sees: the organisation all of them, an
    authority its own, the Secretariat none."""
    if side == "cso":
        return list(referrals)
    if side == "authority":
        return [r for r in referrals if r.organisation_id in actor.organisation_ids]
    return []


def item_may_leave_parties(item: EvidenceItem) -> bool:
    """Whether the provider's handling code lets the item go beyond the parties."""
    return item.handling_code not in NO_ONWARD_SHARING


def items_visible_to(side: str | None, items: list[EvidenceItem]) -> list[EvidenceItem]:
    """The parties read every item; a Secretariat only the items that may leave the parties."""
    if side in ("cso", "authority"):
        return list(items)
    if side == "secretariat":
        return [i for i in items if item_may_leave_parties(i)]
    return []


def can_edit_submission(side: str | None, submission: Submission) -> bool:
    """The organisation edits its submission (and its addressees) until it is sent."""
    return side == "cso" and submission.state == "draft"


def can_add_items(side: str | None, submission: Submission, open_referrals: int) -> bool:
    """The organisation adds items to a draft, or while a referral is open (answering a
    request for more information); an addressed authority adds derived items (working copies,
    redactions) while its referral is open."""
    if side == "cso":
        return submission.state == "draft" or open_referrals > 0
    return side == "authority" and open_referrals > 0


def can_transition_referral(side: str | None, current: str, to: str) -> bool:
    return side is not None and (side, current, to) in _REFERRAL_TRANSITIONS


def can_write_message(side: str | None, referral_state: str) -> bool:
    return side in ("cso", "authority") and referral_state != "closed"


def can_share_submission(side: str | None, submission: Submission) -> bool:
    """A party (the organisation or an addressed authority) may let a network's Secretariat
    read a submitted submission."""
    return side in ("cso", "authority") and submission.state == "submitted"


def can_export_items(side: str | None) -> bool:
    """Signed packages are made by the parties only (each item's handling code is checked on
    top when the package goes to a third party)."""
    return side in ("cso", "authority")


def can_download_item(side: str | None, item: EvidenceItem) -> bool:
    return item in items_visible_to(side, [item])
