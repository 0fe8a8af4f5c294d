"""Joint investigation team spaces: create a team (two or more national authorities, Eurojust
as participant where it is), record the agreement's extensions, tasks, and share evidence items
of the vault into the team. Only members read a team (``policy.jits_visible``); an item shared
in keeps its handling code and custody log, which records the share and every read in the team.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cicnet.access import policy
from cicnet.audit.services import audit_record
from cicnet.coordination.models import (
    JointTeam,
    JointTeamExtension,
    JointTeamItem,
    JointTeamMember,
    JointTeamTask,
)
from cicnet.coordination.services import CoordinationDenied, CoordinationInputError
from cicnet.evidence.custody_log import custody_append, custody_check, custody_entries
from cicnet.evidence.models import EvidenceItem
from cicnet.evidence.selectors import submission_context
from cicnet.evidence.services import new_uid
from cicnet.network.models import Organisation

MAX_MEMBERS = 30


@dataclass(frozen=True)
class TeamData:
    network_id: int
    name: str
    member_ids: list[int]
    agreement_title: str
    agreement_signed_on: dt.date
    agreement_expires_on: dt.date


def jits_for(*, actor: policy.Actor) -> QuerySet[JointTeam]:
    return policy.jits_visible(actor, JointTeam.objects.all()).order_by("-created_at")


def jit_get(*, actor: policy.Actor, uid: str) -> JointTeam | None:
    return jits_for(actor=actor).filter(uid=uid).first()


def member_candidates(*, actor: policy.Actor) -> QuerySet[Organisation]:
    """Organisations that can be members: authorities and Eurojust-like bodies of the networks
    where the actor acts for an authority."""
    networks = (
        Organisation.objects.filter(pk__in=sorted(policy.authority_ids(actor)))
        .values_list("network_id", flat=True)
        .distinct()
    )
    return Organisation.objects.filter(
        network_id__in=list(networks), org_type__in=sorted(policy.JIT_MEMBER_TYPES)
    ).order_by("name")


def _my_org(actor: policy.Actor, team: JointTeam) -> Organisation:
    member = (
        team.members.filter(
            organisation_id__in=sorted(actor.organisation_ids), withdrawn_at__isnull=True
        )
        .select_related("organisation")
        .first()
    )
    if member is None:
        raise CoordinationDenied("not a member of this team")
    return member.organisation


@transaction.atomic
def jit_create(*, actor: policy.Actor, data: TeamData) -> JointTeam:
    if not policy.can_create_jit(actor):
        raise CoordinationDenied("only national authorities create teams")
    if not data.name.strip():
        raise CoordinationInputError("Name: give the team a name.", field="name")
    if not data.agreement_title.strip():
        raise CoordinationInputError(
            "Agreement: give the title of the JIT agreement.", field="agreement_title"
        )
    if data.agreement_expires_on <= data.agreement_signed_on:
        raise CoordinationInputError(
            "Agreement ends: the end must come after the signature.", field="agreement_expires_on"
        )
    candidates = {
        o.pk: o for o in member_candidates(actor=actor).filter(network_id=data.network_id)
    }
    ids = sorted(set(data.member_ids))
    if len(ids) > MAX_MEMBERS or any(i not in candidates for i in ids):
        raise CoordinationInputError(
            "Members: pick authorities (and Eurojust) of the network from the list.",
            field="members",
        )
    own = [i for i in ids if i in policy.authority_ids(actor)]
    authorities = [i for i in ids if candidates[i].org_type in policy.AUTHORITY_TYPES]
    if not own:
        raise CoordinationInputError("Members: include your own authority.", field="members")
    if len(authorities) < 2:
        raise CoordinationInputError(
            "Members: a joint investigation team needs two or more national authorities.",
            field="members",
        )
    team = JointTeam.objects.create(
        uid=new_uid("JIT"),
        network_id=data.network_id,
        name=data.name.strip(),
        agreement_title=data.agreement_title.strip(),
        agreement_signed_on=data.agreement_signed_on,
        agreement_expires_on=data.agreement_expires_on,
        created_by_id=actor.user_id,
    )
    for i in ids:
        JointTeamMember.objects.create(
            team=team,
            organisation_id=i,
            role="party" if candidates[i].org_type in policy.AUTHORITY_TYPES else "participant",
        )
    audit_record(
        actor=actor,
        action="coordination.jit_create",
        object_type="coordination.jit",
        object_id=team.uid,
        # The audit log is read by the instance administrators, who do not see teams: how
        # many members, not which (docs/decisions/0171).
        changes={"members": len(ids)},
    )
    return team


@transaction.atomic
def jit_extend(*, actor: policy.Actor, team: JointTeam, new_expiry: dt.date, note: str) -> None:
    _my_org(actor, team)
    if new_expiry <= team.agreement_expires_on:
        raise CoordinationInputError(
            "New end: an extension ends after the current end "
            f"({team.agreement_expires_on:%d %B %Y}).",
            field="new_expiry",
        )
    JointTeamExtension.objects.create(
        team=team, previous_expiry=team.agreement_expires_on, new_expiry=new_expiry, note=note
    )
    team.agreement_expires_on = new_expiry
    team.save(update_fields=["agreement_expires_on"])
    audit_record(
        actor=actor,
        action="coordination.jit_extend",
        object_type="coordination.jit",
        object_id=team.uid,
        changes={"agreement_expires_on": new_expiry.isoformat()},
    )


@transaction.atomic
def task_add(
    *, actor: policy.Actor, team: JointTeam, title: str, assignee_id: int, due: dt.date | None
) -> JointTeamTask:
    _my_org(actor, team)
    if not title.strip():
        raise CoordinationInputError("Task: say what is to be done.", field="title")
    if not team.members.filter(organisation_id=assignee_id, withdrawn_at__isnull=True).exists():
        raise CoordinationInputError("Assignee: pick a member of the team.", field="assignee")
    return JointTeamTask.objects.create(
        team=team, title=title.strip(), assignee_id=assignee_id, due=due
    )


@transaction.atomic
def task_done(*, actor: policy.Actor, team: JointTeam, task_id: int) -> None:
    _my_org(actor, team)
    task = team.tasks.filter(pk=task_id, done_at__isnull=True).first()
    if task is None:
        raise CoordinationInputError("Task: it is done already or not of this team.")
    task.done_at = timezone.now()
    task.save(update_fields=["done_at"])


@transaction.atomic
def item_share(
    *, actor: policy.Actor, team: JointTeam, submission_uid: str, item_uid: str
) -> JointTeamItem:
    """Share an item the actor reads in the vault (as a party) into the team; the share is
    appended to the item's custody log."""
    organisation = _my_org(actor, team)
    context = submission_context(actor=actor, uid=submission_uid.strip())
    item = next((i for i in context.items if i.uid == item_uid.strip()), None) if context else None
    if context is None or item is None:
        raise CoordinationInputError(
            "Item: give the reference of a submission and an item you can read in the vault.",
            field="item",
        )
    if not policy.can_share_into_jit(context.side, item):
        raise CoordinationInputError(
            f"Item: its handling code ({item.handling_code}) does not let it go beyond the "
            "parties of the submission.",
            field="item",
        )
    if team.items.filter(item=item).exists():
        raise CoordinationInputError("Item: it is already shared into this team.", field="item")
    shared = JointTeamItem.objects.create(team=team, item=item, shared_by=organisation)
    custody_append(
        item=item,
        action="shared",
        actor=actor.username,
        organisation=organisation.name,
        purpose=f"shared into joint investigation team {team.uid}",
        details={
            "jit": team.uid,
            "members": sorted(
                m.organisation.name
                for m in team.members.filter(withdrawn_at__isnull=True).select_related(
                    "organisation"
                )
            ),
        },
    )
    audit_record(
        actor=actor,
        action="coordination.jit_item_share",
        object_type="coordination.jit",
        object_id=team.uid,
        changes={"item": item.uid},
    )
    return shared


@transaction.atomic
def item_download(
    *, actor: policy.Actor, team: JointTeam, item_uid: str, purpose: str
) -> EvidenceItem:
    """An item shared into the team, for a member to download (``evidence.uploads.
    item_plaintext`` streams it): the download and its purpose go in the item's custody log
    first, so a member who is not a party of the vault submission gets the file with its
    chain of custody intact."""
    organisation = _my_org(actor, team)
    shared = team.items.select_related("item").filter(item__uid=item_uid).first()
    if shared is None or not policy.can_download_jit_item(True, shared.item):
        raise CoordinationDenied("no such item in this team")
    if not purpose.strip():
        raise CoordinationInputError(
            "Purpose: say why you download the file (it goes in the custody log).",
            field="purpose",
        )
    item = shared.item
    custody_append(
        item=item,
        action="downloaded",
        actor=actor.username,
        organisation=organisation.name,
        purpose=f"{purpose.strip()[:400]} (joint investigation team {team.uid})",
        details={"sha256": item.sha256, "jit": team.uid},
    )
    audit_record(
        actor=actor,
        action="coordination.jit_item_download",
        object_type="coordination.jit",
        object_id=team.uid,
        changes={"item": item.uid},
    )
    return item


@dataclass(frozen=True)
class SharedItem:
    item: EvidenceItem
    shared_by: str
    custody: list[dict[str, Any]]
    custody_problems: list[str]


def team_items(*, actor: policy.Actor, team: JointTeam) -> list[SharedItem]:
    """The items shared into the team with their custody log, for a member (each read is
    itself appended to the log)."""
    organisation = _my_org(actor, team)
    out = []
    for shared in team.items.select_related("item", "shared_by"):
        custody_append(
            item=shared.item,
            action="viewed",
            actor=actor.username,
            organisation=organisation.name,
            purpose=f"joint investigation team {team.uid} page opened",
            details={},
        )
        out.append(
            SharedItem(
                item=shared.item,
                shared_by=shared.shared_by.name,
                custody=custody_entries(shared.item),
                custody_problems=custody_check(shared.item),
            )
        )
    return out


def team_members(*, actor: policy.Actor, team: JointTeam) -> list[JointTeamMember]:
    """Every member row, active and withdrawn (the history: who joined and who left when)."""
    _my_org(actor, team)
    return list(team.members.select_related("organisation"))


def team_extensions(*, actor: policy.Actor, team: JointTeam) -> list[JointTeamExtension]:
    _my_org(actor, team)
    return list(team.extensions.all())


def team_tasks(*, actor: policy.Actor, team: JointTeam) -> list[JointTeamTask]:
    _my_org(actor, team)
    return list(team.tasks.select_related("assignee"))
