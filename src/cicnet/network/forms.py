"""Input of the network pages, validated with messages that name the field."""

from __future__ import annotations

from django import forms

from cicnet.access import policy
from cicnet.network.services import MAX_REASON_LENGTH
from cicnet.vocabularies import vocabulary

MAX_Q_LENGTH = 200


class LibraryForm(forms.Form):
    """The library's search and filters (all optional)."""

    q = forms.CharField(required=False, max_length=MAX_Q_LENGTH, label="Words")
    tag = forms.SlugField(required=False, max_length=60, label="Tag")
    kind = forms.ChoiceField(required=False, label="Kind")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # Form's own signature
        kinds = [("", "Any kind"), *vocabulary("network", "document_kinds").choices()]
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]  # a ChoiceField

    def filters(self) -> dict[str, str]:
        data = self.cleaned_data if self.is_valid() else {}
        return {k: str(data.get(k) or "") for k in ("q", "tag", "kind")}


class DowngradeForm(forms.Form):
    """Lower a document's classification (Secretariat)."""

    classification = forms.ChoiceField(label="New classification")
    reason = forms.CharField(
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason (recorded in the audit log)",
    )

    def __init__(self, *args: object, current: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # Form's own signature
        labels = dict(vocabulary("network", "classifications").choices())
        lower = policy.CLASSIFICATIONS[: policy.CLASSIFICATIONS.index(current)]
        self.fields["classification"].choices = [(c, labels[c]) for c in lower]  # type: ignore[attr-defined]  # ChoiceField has choices


MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class DocumentUploadForm(forms.Form):
    """Add a document to a network's library (the network's Secretariat)."""

    title = forms.CharField(max_length=300, label="Title")
    kind = forms.ChoiceField(label="Kind")
    classification = forms.ChoiceField(label="Classification")
    meeting = forms.IntegerField(required=False, min_value=1, label="Meeting number (optional)")
    session = forms.ChoiceField(required=False, label="Session (optional)")
    tags = forms.CharField(required=False, max_length=300, label="Tags (comma-separated)")
    file = forms.FileField(label="File (PDF, DOCX, HTML, text or any other kind)")
    text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Text for search (optional; taken from PDF, DOCX, HTML and text files)",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # Form's own signature
        self.fields["kind"].choices = vocabulary("network", "document_kinds").choices()  # type: ignore[attr-defined]
        self.fields["classification"].choices = [  # type: ignore[attr-defined]
            (c, vocabulary("network", "classifications").label(c)) for c in policy.CLASSIFICATIONS
        ]
        self.fields["session"].choices = [  # type: ignore[attr-defined]
            ("", "The whole meeting"),
            *vocabulary("network", "session_kinds").choices(),
        ]

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"the file is {upload.size // (1024 * 1024)} MB; the library takes at most "
                f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB per file."
            )
        return upload

    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data.get("tags", "").split(",") if t.strip()]
