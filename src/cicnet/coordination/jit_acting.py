"""Which member organisation a contact point acts for in a team's change of membership.

A person may be the contact point of two member organisations of one team (national contact
point of one authority and observer counterpart of another, or a party's contact point and a
participant's Secretariat member). Proposing, agreeing to or declining an amendment, and
withdrawing, are acts of one organisation: such a person says which, in the form's "Acting
for" choice (``FIELD``); nobody acts for an organisation by default. A person who speaks for
one organisation of the team is not asked (docs/decisions/0185, point 7).
"""

from __future__ import annotations

from cicnet.access import policy
from cicnet.coordination.models import JointTeam
from cicnet.coordination.services import CoordinationDenied, CoordinationInputError
from cicnet.network.models import Organisation

FIELD = "acting_for"
LABEL = "Acting for"


def acting_choices(
    *, actor: policy.Actor, team: JointTeam, parties_only: bool
) -> list[Organisation]:
    """The active members of ``team`` the actor is a contact point of, by name: its parties
    (``parties_only``: propose, agree, decline) or any member (withdraw)."""
    spoken = policy.jit_contact_point_for(actor, team)
    ids = sorted(o for o, role in spoken.items() if role == "party" or not parties_only)
    return list(Organisation.objects.filter(pk__in=ids).order_by("name", "pk"))


def acting_for_value(raw: str | None) -> int | None:
    """The ``acting_for`` value of a posted form: None when not given; refused, naming the
    field, when it is not an organisation's number."""
    value = (raw or "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise CoordinationInputError(
            f"{LABEL}: pick one of your organisations from the list.", field=FIELD
        )
    return int(value)


def acting_organisation(
    *, actor: policy.Actor, team: JointTeam, organisation_id: int | None, parties_only: bool
) -> Organisation:
    """The organisation the actor acts for: the one it names, which must be one it speaks for
    in ``team``; with none named, its only one. Denied when it speaks for none; refused, naming
    the field, when it speaks for several and named none, or named another."""
    choices = acting_choices(actor=actor, team=team, parties_only=parties_only)
    if not choices:
        raise CoordinationDenied(
            "not a contact point of a party of this team"
            if parties_only
            else "not a contact point of a member of this team"
        )
    names = " and ".join(o.name for o in choices)
    kind = "party" if parties_only else "member"
    if organisation_id is None:
        if len(choices) == 1:
            return choices[0]
        raise CoordinationInputError(
            f"{LABEL}: you are a contact point of more than one {kind} of this team ({names}); "
            "pick the one you act for.",
            field=FIELD,
        )
    chosen = next((o for o in choices if o.pk == organisation_id), None)
    if chosen is None:
        raise CoordinationInputError(
            f"{LABEL}: pick a {kind} of this team you are a contact point of ({names}).",
            field=FIELD,
        )
    return chosen
