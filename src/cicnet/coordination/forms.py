"""Forms of the coordination pages. Each error names its field; services validate again and
their ``CoordinationInputError`` lands on the same field (``errors.form_error``)."""

from __future__ import annotations

from typing import Any

from django import forms

from cicnet.coordination.jits import TeamData
from cicnet.coordination.meeting_requests import MeetingRequestData, ScheduleData
from cicnet.coordination.questions import QuestionData
from cicnet.coordination.requests import RequestData
from cicnet.coordination.services import MAX_NAMES, CaseData, PersonData
from cicnet.evidence.forms import crime_choices
from cicnet.network.models import Network, Organisation
from cicnet.vocabularies import vocabulary


def _vocab(name: str) -> list[tuple[str, str]]:
    return vocabulary("coordination", name).choices()


class CaseForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="Authority",
        help_text="The authority that owns the case.",
        error_messages={"invalid_choice": "Authority: pick an authority you act for."},
    )
    reference = forms.CharField(max_length=100, help_text="Your internal reference.")
    situation = forms.CharField(
        max_length=300, help_text="Country, place, events, unit (e.g. Branch 251, Damascus)."
    )
    places = forms.CharField(max_length=300, required=False, help_text="Places of the events.")
    crimes = forms.MultipleChoiceField(
        choices=crime_choices, required=False, help_text="From the crimes vocabulary."
    )
    period_start = forms.IntegerField(required=False, label="From (year)", min_value=1900)
    period_end = forms.IntegerField(required=False, label="To (year)", min_value=1900)
    stage = forms.ChoiceField(choices=_vocab("case_stages"))
    jit_sought = forms.BooleanField(required=False, label="A joint investigation team is sought")
    witness_count = forms.IntegerField(
        min_value=0,
        max_value=100000,
        initial=0,
        label="Witnesses heard",
        help_text="How many (never who).",
    )
    evidence_categories = forms.MultipleChoiceField(
        choices=_vocab("evidence_categories"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Evidence held",
    )

    def __init__(self, *args: Any, authorities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = authorities

    def data_object(self) -> CaseData:
        c = self.cleaned_data
        return CaseData(
            organisation_id=c["organisation"].pk,
            reference=c["reference"],
            situation=c["situation"],
            crimes=list(c["crimes"]),
            period_start=c["period_start"],
            period_end=c["period_end"],
            places=c["places"],
            stage=c["stage"],
            jit_sought=bool(c["jit_sought"]),
            witness_count=c["witness_count"] or 0,
            evidence_categories=list(c["evidence_categories"]),
        )


class PersonForm(forms.Form):
    names = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Names",
        help_text="One spelling per line, in any script (Latin, Arabic, Cyrillic …).",
    )
    birth_date = forms.DateField(
        required=False, label="Date of birth", widget=forms.DateInput(attrs={"type": "date"})
    )
    birth_year = forms.IntegerField(required=False, label="Year of birth", min_value=1900)
    nationality = forms.CharField(
        max_length=2, required=False, help_text="Two-letter ISO code (SY, IQ, RU …)."
    )
    role = forms.ChoiceField(choices=_vocab("person_roles"))
    unit = forms.CharField(
        max_length=200, required=False, label="Affiliation or unit", help_text="Branch, brigade."
    )

    def clean_names(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["names"].splitlines() if line.strip()]
        if len(lines) > MAX_NAMES:
            raise forms.ValidationError(f"Names: at most {MAX_NAMES} spellings, one per line.")
        return lines

    def data_object(self) -> PersonData:
        c = self.cleaned_data
        return PersonData(
            names=list(c["names"]),
            birth_date=c["birth_date"],
            birth_year=c["birth_year"],
            nationality=c["nationality"] or "",
            role=c["role"],
            unit=c["unit"] or "",
        )


class ShareForm(forms.Form):
    organisation = forms.IntegerField(required=False, widget=forms.HiddenInput)
    session = forms.IntegerField(required=False, widget=forms.HiddenInput)


class QuestionForm(forms.Form):
    network = forms.ModelChoiceField(
        queryset=Network.objects.none(),
        help_text="The network you ask.",
        error_messages={"invalid_choice": "Network: pick a network where you may ask."},
    )
    title = forms.CharField(max_length=300, label="Question", help_text="In one line.")
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), label="Details", max_length=20000
    )
    audience = forms.ChoiceField(choices=_vocab("question_audiences"), label="Ask")
    countries = forms.CharField(
        required=False,
        max_length=300,
        help_text="When asking some countries: two-letter codes, separated by commas (DE, FR).",
    )
    kb_tier = forms.ChoiceField(
        choices=_vocab("knowledge_tiers"),
        label="Knowledge base",
        help_text="Who reads the question and its answers once you mark it answered.",
    )
    deadline = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="Optional."
    )

    def __init__(self, *args: Any, networks: list[Network], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["network"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Network.objects.filter(pk__in=[n.pk for n in networks])

    def data_object(self) -> QuestionData:
        c = self.cleaned_data
        return QuestionData(
            network_id=c["network"].pk,
            title=c["title"],
            body=c["body"],
            audience=c["audience"],
            countries=[x for x in (c["countries"] or "").replace(";", ",").split(",")],
            kb_tier=c["kb_tier"],
            deadline=c["deadline"],
        )


class AnswerForm(forms.Form):
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), label="Answer", max_length=20000
    )
    cites = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Cites",
        help_text="Links to decisions of the database or documents of the library, one per line.",
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class TeamForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="Name of the team.")
    members = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Two or more national authorities, yours included; Eurojust as participant.",
    )
    agreement_title = forms.CharField(max_length=300, label="Agreement")
    agreement_signed_on = forms.DateField(
        label="Signed on", widget=forms.DateInput(attrs={"type": "date"})
    )
    agreement_expires_on = forms.DateField(
        label="Agreement ends", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["members"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = candidates

    def data_object(self) -> TeamData:
        c = self.cleaned_data
        members = list(c["members"])
        return TeamData(
            network_id=members[0].network_id,
            name=c["name"],
            member_ids=[m.pk for m in members],
            agreement_title=c["agreement_title"],
            agreement_signed_on=c["agreement_signed_on"],
            agreement_expires_on=c["agreement_expires_on"],
        )


class TeamActionForm(forms.Form):
    """One of the actions on a team page: extend, add a task, finish a task, share an item."""

    action = forms.ChoiceField(
        choices=[("extend", "extend"), ("task", "task"), ("done", "done"), ("share", "share")]
    )
    new_expiry = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(required=False, max_length=300)
    title = forms.CharField(required=False, max_length=300)
    assignee = forms.IntegerField(required=False)
    due = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    task = forms.IntegerField(required=False)
    submission = forms.CharField(required=False, max_length=40)
    item = forms.CharField(required=False, max_length=40)


class RequestForm(forms.Form):
    from_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="From",
        error_messages={"invalid_choice": "From: pick the authority you act for."},
    )
    to_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="To",
        error_messages={"invalid_choice": "To: pick another national authority of the network."},
    )
    kind = forms.ChoiceField(choices=_vocab("request_kinds"), label="Type")
    reference = forms.CharField(max_length=100)
    subject = forms.CharField(max_length=300, help_text="What is requested, in one line.")
    sent_on = forms.DateField(label="Sent on", widget=forms.DateInput(attrs={"type": "date"}))
    deadline = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, senders: Any, recipients: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, qs in (("from_organisation", senders), ("to_organisation", recipients)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = qs

    def data_object(self) -> RequestData:
        c = self.cleaned_data
        return RequestData(
            from_organisation_id=c["from_organisation"].pk,
            to_organisation_id=c["to_organisation"].pk,
            kind=c["kind"],
            reference=c["reference"],
            subject=c["subject"],
            sent_on=c["sent_on"],
            deadline=c["deadline"],
        )


class DocumentForm(forms.Form):
    """A file into a team's document area: a new document (title and kind) or, with
    ``new_version``, a new version of one (title and kind not asked)."""

    title = forms.CharField(max_length=300, help_text="Title shown in the team's list.")
    kind = forms.ChoiceField(choices=_vocab("jit_document_kinds"), label="Kind")
    file = forms.FileField(
        label="File",
        help_text="PDF, office document, text, image, e-mail or archive.",
        error_messages={
            "required": "File: choose the document to upload.",
            "empty": "File: the file is empty; choose the document itself.",
            "invalid": "File: the upload did not arrive as a file; choose it again.",
        },
    )
    note = forms.CharField(
        max_length=300, required=False, label="Note", help_text="What this version is or changes."
    )

    def __init__(self, *args: Any, new_version: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if new_version:
            del self.fields["title"]
            del self.fields["kind"]


class MeetingRequestForm(forms.Form):
    requester = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="Requesting authority",
        error_messages={"invalid_choice": "Requesting authority: pick one you act for."},
    )
    subject_kind = forms.ChoiceField(choices=_vocab("meeting_subjects"), label="The meeting is on")
    case = forms.ChoiceField(
        required=False,
        label="Case",
        help_text="For a meeting on a case: asking puts its summary (never its persons) before "
        "the meeting's closed session once it is scheduled.",
    )
    subject = forms.CharField(
        max_length=300,
        required=False,
        label="What about",
        help_text="In a line (for a case, its situation when left empty).",
    )
    reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Why a meeting"
    )
    concerned = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Authorities concerned",
        help_text="Invited to the meeting's closed session with you.",
        error_messages={
            "required": "Authorities concerned: name at least one other authority.",
            "invalid_choice": "Authorities concerned: pick authorities from the list.",
        },
    )

    def __init__(
        self, *args: Any, requesters: Any, candidates: Any, cases: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        requester = self.fields["requester"]
        assert isinstance(requester, forms.ModelChoiceField)
        requester.queryset = requesters
        concerned = self.fields["concerned"]
        assert isinstance(concerned, forms.ModelMultipleChoiceField)
        concerned.queryset = candidates
        case = self.fields["case"]
        assert isinstance(case, forms.ChoiceField)
        case.choices = [("", "—"), *((uid, uid) for uid in cases)]

    def data_object(self) -> MeetingRequestData:
        c = self.cleaned_data
        return MeetingRequestData(
            requester_id=c["requester"].pk,
            subject_kind=c["subject_kind"],
            case_uid=c["case"] or "",
            subject=c["subject"],
            reason=c["reason"],
            concerned_ids=[o.pk for o in c["concerned"]],
        )


class MeetingDecisionForm(forms.Form):
    """The Secretariat's decision: accept (with the meeting's details) or decline (a reason)."""

    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("decline", "Decline")])
    number = forms.IntegerField(
        required=False,
        min_value=1,
        label="Meeting number",
        help_text="The next free one; ad hoc meetings are numbered from 1001, apart from the "
        "plenaries.",
    )
    title = forms.CharField(max_length=200, required=False, label="Meeting title")
    start_date = forms.DateField(
        required=False, label="First day", widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        required=False, label="Last day", widget=forms.DateInput(attrs={"type": "date"})
    )
    place = forms.CharField(max_length=200, required=False, label="Place")
    meeting_format = forms.ChoiceField(
        required=False,
        label="Format",
        choices=vocabulary("network", "meeting_formats").choices(),
        error_messages={"invalid_choice": "Format: pick one from the list."},
    )
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason (when declining)",
    )

    def clean(self) -> dict[str, Any]:
        c = super().clean() or {}
        if c.get("decision") == "accept":
            for name, message in (
                ("number", "Meeting number: give the meeting's number."),
                ("title", "Meeting title: give the meeting a title."),
                ("start_date", "First day: give the meeting's date."),
            ):
                if not c.get(name):
                    self.add_error(name, message)
        elif c.get("decision") == "decline" and not (c.get("reason") or "").strip():
            self.add_error("reason", "Reason: say why the meeting is declined.")
        return c

    def schedule_data(self) -> ScheduleData:
        c = self.cleaned_data
        return ScheduleData(
            number=c["number"],
            title=c["title"],
            start_date=c["start_date"],
            end_date=c["end_date"] or c["start_date"],
            place=c["place"],
            meeting_format=c["meeting_format"],
        )
