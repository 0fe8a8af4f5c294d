"""Forms of the secure-cooperation pages: the submission, an item's metadata, the referral
actions. Each error names its field; views render them next to the field."""

from __future__ import annotations

import re
from typing import Any

import pycountry
from django import forms

from cicnet.evidence.services import SubmissionData
from cicnet.law.crimes import GROUPS, crimes
from cicnet.network.models import Organisation
from cicnet.vocabularies import vocabulary

_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,39}$")
MAX_PERSONS = 200


def _vocab(name: str) -> list[tuple[str, str]]:
    return vocabulary("evidence", name).choices()


def most_restrictive_handling_code() -> str:
    """The handling code an item gets unless its provider chooses another: the last of the
    vocabulary, which lists them from the least to the most restrictive."""
    return vocabulary("evidence", "handling_codes").ids()[-1]


class AuthorityChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Authorities labelled with their country and network."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.country or 'international'}) · {obj.network}"


def crime_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The crimes vocabulary grouped as in the database's search facets."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    for c in crimes().values():
        grouped.setdefault(GROUPS[c.group], []).append(
            (c.id, f"{c.label} (art. {c.id})" if c.article else c.label)
        )
    return list(grouped.items())


class SubmissionForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="A short title for your own reference.")
    narrative = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=50000,
        label="What happened",
        help_text="Facts as you know them. Do not name victims or witnesses; use references.",
    )
    places = forms.CharField(max_length=500, label="Where", help_text="Towns, regions, countries.")
    period_start = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )
    period_note = forms.CharField(
        max_length=300, required=False, label="When, in words", help_text="e.g. 'spring 2022'."
    )
    crimes = forms.MultipleChoiceField(
        choices=crime_choices,
        required=False,
        label="Suspected crimes",
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text="The same vocabulary as the jurisprudence database (ICC Elements of Crimes).",
    )
    persons = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Persons involved",
        help_text="One per line: pseudonymous reference | role (suspected_perpetrator, victim, "
        "witness, other) | note. Never a name.",
    )
    victims_count = forms.IntegerField(required=False, min_value=0, label="Number of victims")
    languages = forms.CharField(
        required=False,
        max_length=200,
        help_text="Languages of the material, ISO 639-1 codes separated by commas (uk, ru, en).",
    )
    assessment = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
        label="Your assessment",
        help_text="What the material shows, how reliable you think it is, what is missing.",
    )
    addressees = AuthorityChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The national authorities to send it to (from your networks' directories).",
    )

    def __init__(self, *args: Any, authorities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["addressees"]
        assert isinstance(field, AuthorityChoiceField)
        field.queryset = authorities

    def clean_persons(self) -> list[dict[str, str]]:
        roles = vocabulary("evidence", "person_roles")
        out: list[dict[str, str]] = []
        for n, line in enumerate(self.cleaned_data["persons"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            ref = parts[0]
            role = parts[1] if len(parts) > 1 and parts[1] else "other"
            if not _REF.match(ref):
                raise forms.ValidationError(
                    f"line {n}: {ref[:40]!r} is not a reference; use letters, digits, spaces, "
                    "'.', '_' or '-' (at most 40), e.g. 'P-1' or 'Witness A'."
                )
            if role not in roles:
                raise forms.ValidationError(
                    f"line {n}: unknown role {role!r}; use one of {', '.join(roles.ids())}."
                )
            out.append({"ref": ref, "role": role, "note": "|".join(parts[2:])[:300]})
        if len(out) > MAX_PERSONS:
            raise forms.ValidationError(f"at most {MAX_PERSONS} persons; attach a list as an item.")
        return out

    def clean_languages(self) -> list[str]:
        codes = [c.strip().lower() for c in self.cleaned_data["languages"].split(",") if c.strip()]
        for code in codes:
            if len(code) != 2 or pycountry.languages.get(alpha_2=code) is None:
                raise forms.ValidationError(
                    f"{code!r} is not an ISO 639-1 language code (e.g. uk)."
                )
        return sorted(set(codes))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "the end is before the start.")
        return data

    def data_object(self) -> SubmissionData:
        d = self.cleaned_data
        return SubmissionData(
            title=d["title"],
            narrative=d["narrative"],
            places=d["places"],
            period_start=d["period_start"],
            period_end=d["period_end"],
            period_note=d["period_note"],
            crimes=list(d["crimes"]),
            persons=d["persons"],
            victims_count=d["victims_count"],
            languages=d["languages"],
            assessment=d["assessment"],
            addressees=list(d["addressees"]),
        )

    @staticmethod
    def initial_for(submission: Any) -> dict[str, Any]:
        return {
            "title": submission.title,
            "narrative": submission.narrative,
            "places": submission.places,
            "period_start": submission.period_start,
            "period_end": submission.period_end,
            "period_note": submission.period_note,
            "crimes": submission.crimes,
            "persons": "\n".join(
                " | ".join(x for x in (p["ref"], p["role"], p.get("note", "")) if x)
                for p in submission.persons
            ),
            "victims_count": submission.victims_count,
            "languages": ", ".join(submission.languages),
            "assessment": submission.assessment,
            "addressees": [r.organisation_id for r in submission.referrals.all()],
        }


class ItemMetadataForm(forms.Form):
    """What is recorded about each item (docs/evidence.md); sent before the file's bytes."""

    filename = forms.CharField(max_length=1000)
    size = forms.IntegerField(min_value=0)
    description = forms.CharField(
        max_length=5000, widget=forms.Textarea(attrs={"rows": 3}), help_text="What it shows."
    )
    captured_at = forms.DateTimeField(
        required=False,
        label="Captured at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="When it was recorded (UTC), if known.",
    )
    captured_note = forms.CharField(max_length=200, required=False, label="When, in words")
    capture_place = forms.CharField(max_length=300, required=False, label="Capture place")
    capture_method = forms.CharField(
        max_length=300, required=False, label="Device or method", help_text="Camera, phone, app."
    )
    collector = forms.CharField(max_length=200, required=False, help_text="Who collected it.")
    source = forms.CharField(max_length=300, required=False, help_text="Where it came from.")
    source_anonymous = forms.BooleanField(required=False, label="The source is anonymous")
    consent_reference = forms.CharField(max_length=200, required=False, label="Consent reference")
    consent_scope = forms.CharField(
        max_length=2000,
        required=False,
        label="Consent scope",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What the person agreed to: uses, recipients, duration.",
    )
    handling_code = forms.ChoiceField(
        choices=lambda: _vocab("handling_codes"),
        initial=lambda: most_restrictive_handling_code(),
        help_text="Preselected: the most restrictive. Loosen it only as far as the provider "
        "agreed.",
    )
    source_reliability = forms.ChoiceField(
        choices=lambda: _vocab("source_reliability"), initial="X"
    )
    information_reliability = forms.ChoiceField(
        choices=lambda: _vocab("information_reliability"), initial="4"
    )
    sensitive_sgbv = forms.BooleanField(required=False, label="Sexual or gender-based violence")
    sensitive_child = forms.BooleanField(required=False, label="Concerns a child")
    sensitive_protected_witness = forms.BooleanField(
        required=False, label="Could identify a protected witness"
    )
    parent = forms.CharField(required=False, max_length=20, help_text="For a derived item.")
    derivation = forms.ChoiceField(
        required=False, choices=lambda: [("", "—"), *_vocab("derivations")]
    )
    related = forms.CharField(
        required=False, max_length=2000, help_text="Ids of related items, separated by commas."
    )

    def __init__(self, *args: Any, item_uids: frozenset[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item_uids = item_uids

    def clean_parent(self) -> str:
        parent = str(self.cleaned_data["parent"]).strip()
        if parent and parent not in self.item_uids:
            raise forms.ValidationError(f"{parent} is not an item of this submission.")
        return parent

    def clean_related(self) -> list[str]:
        uids = [u.strip() for u in self.cleaned_data["related"].split(",") if u.strip()]
        unknown = [u for u in uids if u not in self.item_uids]
        if unknown:
            raise forms.ValidationError(f"not items of this submission: {', '.join(unknown)}.")
        return uids

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("parent") and not data.get("derivation"):
            self.add_error("derivation", "say how the item was derived from its parent.")
        if data.get("derivation") and not data.get("parent"):
            self.add_error("parent", "a derived item needs the item it was made from.")
        return data

    def metadata(self) -> dict[str, Any]:
        """The item fields as stored with the upload (JSON)."""
        d = dict(self.cleaned_data)
        d.pop("filename")
        d.pop("size")
        captured = d.get("captured_at")
        d["captured_at"] = captured.isoformat() if captured else None
        if d.get("source_anonymous"):
            d["source"] = ""
        return d


class TransitionForm(forms.Form):
    referral = forms.IntegerField()
    to = forms.CharField(max_length=30)
    message = forms.CharField(required=False, max_length=20000, widget=forms.Textarea)
    closed_reason = forms.CharField(required=False, max_length=30)


class MessageForm(forms.Form):
    referral = forms.IntegerField()
    body = forms.CharField(max_length=20000, widget=forms.Textarea(attrs={"rows": 3}))


class ShareForm(forms.Form):
    network = forms.IntegerField()
    purpose = forms.CharField(max_length=300)


class ExportForm(forms.Form):
    purpose = forms.CharField(max_length=500)
    recipient = forms.CharField(max_length=200, required=False)
    exclude_restricted = forms.BooleanField(required=False)
