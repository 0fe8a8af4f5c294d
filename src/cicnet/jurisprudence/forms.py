"""HTML forms: browse filters and the curator's metadata form.

Forms only parse and shape input; the rules (vocabularies, ECLI, permissions) live in
``services.py`` so the API and the pages enforce the same ones.
"""

from __future__ import annotations

from typing import Any

from django import forms

from cicnet.jurisprudence.courts import court_choices
from cicnet.jurisprudence.listing import DecisionFilters
from cicnet.jurisprudence.models import Decision
from cicnet.jurisprudence.services import EDITABLE_FIELDS
from cicnet.law.crimes import GROUPS, crimes
from cicnet.pipeline.metadata import country_choices
from cicnet.vocabularies import vocabulary


def _vocab_choices(name: str, *, blank: str | None = None) -> list[tuple[str, str]]:
    choices = vocabulary("jurisprudence", name).choices()
    return [("", blank), *choices] if blank is not None else choices


def crime_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Crimes grouped for a <select> with <optgroup>s."""
    grouped: dict[str, list[tuple[str, str]]] = {g: [] for g in GROUPS}
    for c in crimes().values():
        label = f"{c.id} — {c.label}" if c.article else c.label
        grouped[c.group].append((c.id, label))
    return [(GROUPS[g], items) for g, items in grouped.items() if items]


class BrowseForm(forms.Form):
    """Filters of the browse page; every field optional."""

    country = forms.RegexField(
        regex=r"^[A-Za-z]{2}$",
        required=False,
        max_length=2,
        label="Country",
        help_text="Two-letter ISO code, e.g. DE.",
        error_messages={"invalid": "Use a two-letter ISO country code such as DE or FR."},
    )
    court = forms.ChoiceField(required=False, choices=[("", "Any")], label="Court")
    instance = forms.ChoiceField(required=False, choices=_vocab_choices("instances", blank="Any"))
    outcome = forms.ChoiceField(required=False, choices=_vocab_choices("outcomes", blank="Any"))
    year_from = forms.IntegerField(
        required=False, min_value=1900, max_value=2100, label="From year"
    )
    year_to = forms.IntegerField(required=False, min_value=1900, max_value=2100, label="To year")
    # Only shown to curators (the view drops them for everyone else).
    state = forms.ChoiceField(
        required=False, choices=_vocab_choices("publication_states", blank="Any"), label="State"
    )
    access = forms.ChoiceField(
        required=False, choices=_vocab_choices("access_tiers", blank="Any"), label="Access tier"
    )

    def __init__(self, *args: Any, curator: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["court"].choices = [("", "Any"), *court_choices()]  # type: ignore[attr-defined]  # a ChoiceField
        if not curator:
            del self.fields["state"]
            del self.fields["access"]

    def filters(self) -> DecisionFilters:
        """The valid filters as the one decision filter takes them (none when invalid)."""
        if not self.is_bound or not self.is_valid():
            return DecisionFilters()
        data = self.cleaned_data

        def one(name: str) -> tuple[str, ...]:
            return (data[name],) if data.get(name) else ()

        return DecisionFilters(
            country=one("country"),
            court=one("court"),
            instance=one("instance"),
            outcome=one("outcome"),
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
            state=one("state"),
            access=one("access"),
        )

    def clean_country(self) -> str:
        return str(self.cleaned_data.get("country") or "").upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lo, hi = data.get("year_from"), data.get("year_to")
        if lo is not None and hi is not None and lo > hi:
            self.add_error("year_to", "'To year' must not be before 'From year'.")
        return data


_TERRORISM = [("", "Not stated"), ("yes", "Yes"), ("no", "No")]


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


# Edited fields whose form value is shaped from the model's: an id, lines of a list, yes/no.
_SHAPED_FOR_THE_FORM = frozenset(
    {
        "court",
        "also_known_as",
        "terrorism_concurrent",
        "crimes",
        "provisions",
        "keywords",
        "source_urls",
    }
)


class DecisionEditForm(forms.Form):
    """The curator's metadata form. ``changes()`` gives what ``decision_update`` takes."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(max_length=300)
    country = forms.ChoiceField(
        choices=country_choices, help_text="The court's State (for the ECtHR: the respondent)."
    )
    court = forms.ChoiceField(
        choices=lambda: [("", "— pick the court —"), *court_choices()],
        help_text="From the court vocabulary; a court not listed is added to the vocabulary "
        "with its source by the platform's administrators.",
    )
    court_formation = forms.CharField(
        max_length=200,
        required=False,
        label="Formation",
        help_text="Chamber, section or senate, e.g. 'Grand Chamber', '3rd Criminal Senate'.",
    )
    city = forms.CharField(max_length=100, required=False)
    decision_date = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="YYYY-MM-DD."
    )
    date_precision = forms.ChoiceField(
        choices=[("day", "Day"), ("month", "Month"), ("year", "Year")],
        help_text="How much of the date the source stated.",
    )
    case_number = forms.CharField(max_length=200, required=False)
    ecli = forms.CharField(
        max_length=120,
        required=False,
        label="ECLI",
        help_text="e.g. ECLI:DE:BGH:2023:123; empty when none.",
    )
    instance = forms.ChoiceField(choices=_vocab_choices("instances"))
    decision_type = forms.ChoiceField(choices=_vocab_choices("decision_types"))
    case_name = forms.CharField(
        max_length=300,
        required=False,
        help_text="The name the public record gives the case ('Al-Khatib trial'); never invented.",
    )
    also_known_as = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Also known as",
        help_text="Other public-record names of the case, one per line.",
    )
    defendant = forms.CharField(
        max_length=200,
        required=False,
        help_text="As published (e.g. 'Anwar R.'); never a fuller name than the source.",
    )
    situation = forms.CharField(
        max_length=300, required=False, help_text="Where the crimes happened."
    )
    terrorism_concurrent = forms.ChoiceField(
        choices=_TERRORISM, required=False, label="Terrorism charged cumulatively"
    )
    jurisdiction_basis = forms.ChoiceField(choices=_vocab_choices("jurisdiction_bases"))
    outcome = forms.ChoiceField(choices=_vocab_choices("outcomes"))
    sentence = forms.CharField(max_length=500, required=False)
    crimes = forms.MultipleChoiceField(
        required=False,
        choices=crime_choices,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text="Crimes stated by the sources (Ctrl/Cmd-click for several). Crimes derived "
        "from the national provisions are added automatically.",
    )
    provisions = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="National provisions as cited, one per line (e.g. VStGB § 7(1) no. 5).",
    )
    keywords = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="One keyword per line."
    )
    summary = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="In English, in the Secretariat's own words.",
    )
    source_urls = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Source URLs",
        help_text="One address per line.",
    )
    access = forms.ChoiceField(choices=_vocab_choices("access_tiers"), label="Access tier")
    confidence = forms.CharField(max_length=20, required=False)

    @classmethod
    def initial_for(cls, decision: Decision) -> dict[str, Any]:
        tc = decision.terrorism_concurrent
        return {
            "version": decision.version,
            **{f: getattr(decision, f) for f in EDITABLE_FIELDS if f not in _SHAPED_FOR_THE_FORM},
            "court": decision.court_id,
            "also_known_as": "\n".join(decision.also_known_as or []),
            "terrorism_concurrent": "" if tc is None else ("yes" if tc else "no"),
            "crimes": [c.crime_id for c in decision.crimes.all() if not c.derived],
            "provisions": "\n".join(p.citation for p in decision.provisions.all()),
            "keywords": "\n".join(decision.keywords or []),
            "source_urls": "\n".join(decision.source_urls or []),
        }

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        tc = data.pop("terrorism_concurrent", "")
        data["terrorism_concurrent"] = None if not tc else tc == "yes"
        for name in ("provisions", "keywords", "source_urls", "also_known_as"):
            data[name] = _lines(data.get(name) or "")
        data["crimes"] = list(data.get("crimes") or [])
        return data
