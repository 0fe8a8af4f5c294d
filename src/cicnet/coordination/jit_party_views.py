"""Pages of a joint investigation team's membership changes, under /coordination/jits/<uid>/:
propose a new member (``members/new``), agree to or decline an amendment
(``amendments/<amd>/agree``, ``…/decline``), withdraw one's own member (``withdraw``).

Behind the vault's guard (``evidence.views.vault_view``) like every coordination page. A team
the actor is no active member of — a withdrawn member, an authority proposed but not added —
answers 404 like a missing one, and so does each page to a member's person who is not a
contact point of a party (or, for a withdrawal, of the member). Views parse input, call one
service of ``jit_parties``, render.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cicnet.access import policy
from cicnet.access.context import request_actor
from cicnet.coordination import jit_acting, jit_parties, jits
from cicnet.coordination.jit_party_forms import MemberProposeForm, WithdrawForm
from cicnet.coordination.models import JointTeam, JointTeamAmendment
from cicnet.errors import ActionDenied, UserInputError, form_submit
from cicnet.evidence.views import vault_view


def _team(request: HttpRequest, uid: str) -> tuple[policy.Actor, JointTeam]:
    actor = request_actor(request)
    team = jits.jit_get(actor=actor, uid=uid)
    if team is None:
        raise Http404("no such team")
    return actor, team


@require_http_methods(["GET", "POST"])
@vault_view
def member_new(request: HttpRequest, uid: str) -> HttpResponse:
    """A party's contact point proposes an authority by an amendment."""
    actor, team = _team(request, uid)
    if not policy.can_propose_jit_member(actor, team):
        raise Http404("no such page")
    form = MemberProposeForm(
        request.POST or None,
        candidates=jit_parties.addition_candidates(actor=actor, team=team),
        acting=jit_acting.acting_choices(actor=actor, team=team, parties_only=True),
    )
    if request.method == "POST":
        amendment = form_submit(
            form,
            lambda: jit_parties.member_propose(
                actor=actor,
                team=team,
                organisation_id=form.cleaned_data["organisation"].pk,
                dated=form.cleaned_data["dated"],
                note=form.cleaned_data["note"] or "",
                acting_for=form.acting_for(),
            ),
        )
        if amendment is not None:
            messages.success(
                request,
                f"Amendment {amendment.uid} proposed: {amendment.organisation.name} becomes a "
                "member when every party has agreed.",
            )
            return redirect("coordination-jit", uid=uid)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "coordination/jit_member_new.html", {"team": team, "form": form}, status=status
    )


def _amendment(request: HttpRequest, uid: str, amd: str) -> tuple[policy.Actor, JointTeamAmendment]:
    actor, team = _team(request, uid)
    amendment = jit_parties.amendment_get(actor=actor, team=team, uid=amd)
    if amendment is None or not policy.jit_parties_spoken_for(actor, team):
        raise Http404("no such amendment")
    return actor, amendment


@require_POST
@vault_view
def amendment_agree(request: HttpRequest, uid: str, amd: str) -> HttpResponse:
    actor, amendment = _amendment(request, uid, amd)
    try:
        in_force = jit_parties.amendment_agree(
            actor=actor,
            amendment=amendment,
            acting_for=jit_acting.acting_for_value(request.POST.get(jit_acting.FIELD)),
        )
    except ActionDenied:
        raise Http404("no such amendment") from None
    except UserInputError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"Amendment {amendment.uid} is in force: {amendment.organisation.name} is a member."
            if in_force
            else f"Your authority agreed to amendment {amendment.uid}.",
        )
    return redirect("coordination-jit", uid=uid)


@require_POST
@vault_view
def amendment_decline(request: HttpRequest, uid: str, amd: str) -> HttpResponse:
    actor, amendment = _amendment(request, uid, amd)
    try:
        jit_parties.amendment_decline(
            actor=actor,
            amendment=amendment,
            acting_for=jit_acting.acting_for_value(request.POST.get(jit_acting.FIELD)),
        )
    except ActionDenied:
        raise Http404("no such amendment") from None
    except UserInputError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Amendment {amendment.uid} declined: nobody is added.")
    return redirect("coordination-jit", uid=uid)


@require_http_methods(["GET", "POST"])
@vault_view
def withdraw(request: HttpRequest, uid: str) -> HttpResponse:
    """A member's contact point withdraws the member from the team."""
    actor, team = _team(request, uid)
    if not policy.can_withdraw_from_jit(actor, team):
        raise Http404("no such page")
    form = WithdrawForm(
        request.POST or None,
        acting=jit_acting.acting_choices(actor=actor, team=team, parties_only=False),
    )
    if request.method == "POST":
        member = form_submit(
            form,
            lambda: jit_parties.member_withdraw(
                actor=actor,
                team=team,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                reason=form.cleaned_data["reason"],
                acting_for=form.acting_for(),
            ),
        )
        if member is not None:
            messages.success(
                request,
                f"{member.organisation.name} withdrew from {team.uid}; its people no longer "
                "see the team.",
            )
            return redirect("coordination-jits")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "coordination/jit_withdraw.html", {"team": team, "form": form}, status=status
    )
