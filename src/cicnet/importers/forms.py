"""The curators' import form."""

from __future__ import annotations

from django import forms

from cicnet.importers.services import MAX_IDENTIFIERS, SOURCES


class ImportForm(forms.Form):
    source = forms.ChoiceField(
        choices=[(name, cls.label) for name, cls in SOURCES.items()],
        help_text="The court database to import from.",
    )
    identifiers = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=(
            f"One per line, at most {MAX_IDENTIFIERS}: an ECLI, or the original's ECLI + the "
            "ECLI of the court's own translation "
            "(ECLI:NL:RBDHA:2019:7430+ECLI:NL:RBDHA:2019:10647)."
        ),
    )

    def identifier_lines(self) -> list[str]:
        return [line for line in self.cleaned_data["identifiers"].splitlines() if line.strip()]
