"""Forms of a joint investigation team's membership changes (``jit_parties``): propose a new
member by an amendment, withdraw one's own member. Each error names its field; the services
validate again and their ``CoordinationInputError`` lands on the same field. A contact point of
more than one member organisation gets a required "Acting for" choice first
(``jit_acting``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from cicnet.coordination.jit_acting import FIELD, LABEL
from cicnet.network.models import Organisation


class ActingForMixin(forms.Form):
    """Adds the required ``acting_for`` choice when ``acting`` names two or more
    organisations; with one there is nothing to choose and no field."""

    def add_acting_for(self, acting: Sequence[Organisation], kind: str) -> None:
        if len(acting) < 2:
            return
        self.fields[FIELD] = forms.ModelChoiceField(
            queryset=Organisation.objects.filter(pk__in=[o.pk for o in acting]).order_by(
                "name", "pk"
            ),
            label=LABEL,
            empty_label="Choose the organisation you act for",
            help_text=f"You are a contact point of more than one {kind} of this team: say "
            "which one this is for.",
            error_messages={
                "required": f"{LABEL}: pick the {kind} you act for.",
                "invalid_choice": f"{LABEL}: pick one of your organisations from the list.",
            },
        )
        self.order_fields([FIELD, *[name for name in self.fields if name != FIELD]])

    def acting_for(self) -> int | None:
        """The organisation chosen (cleaned form), or None when the form did not ask."""
        chosen = self.cleaned_data.get(FIELD)
        return chosen.pk if isinstance(chosen, Organisation) else None


class MemberProposeForm(ActingForMixin):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="Authority",
        help_text="A national authority of the network (or Eurojust, as participant).",
        error_messages={
            "required": "Authority: pick the authority the amendment adds.",
            "invalid_choice": "Authority: pick an authority from the list (not a member yet).",
        },
    )
    dated = forms.DateField(
        label="Amendment date",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Between the agreement's signature and its end.",
        error_messages={
            "required": "Amendment date: give the date of the amendment.",
            "invalid": "Amendment date: give a date (YYYY-MM-DD).",
        },
    )
    note = forms.CharField(
        required=False,
        max_length=300,
        label="Reference or note",
        help_text="The amendment's reference, e.g. 'Amendment 2'. The parties read it.",
    )

    def __init__(
        self,
        *args: Any,
        candidates: Any,
        acting: Sequence[Organisation] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = candidates
        self.add_acting_for(acting, "party")


class WithdrawForm(ActingForMixin):
    withdrawn_on = forms.DateField(
        label="Date of the withdrawal",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Today or earlier: your people lose access as soon as it is recorded.",
        error_messages={
            "required": "Date: give the date of the withdrawal.",
            "invalid": "Date: give a date (YYYY-MM-DD).",
        },
    )
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Reason",
        help_text="Why your authority withdraws. The other parties read it.",
        error_messages={"required": "Reason: say why your authority withdraws."},
    )
    confirm = forms.BooleanField(
        label="I understand that my authority's people lose access to the space at once",
        error_messages={"required": "Confirm: tick the box to confirm the withdrawal."},
    )

    def __init__(self, *args: Any, acting: Sequence[Organisation] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_acting_for(acting, "member")
