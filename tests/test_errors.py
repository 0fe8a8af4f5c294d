"""One family of user-facing errors (issue 11: seven error classes, three ways of finding the
field, one of them splitting the message on ':')."""

from __future__ import annotations

import pytest
from django import forms

from cicnet.anonymisation.sign_off import SignOffDenied, SignOffError
from cicnet.anonymisation.workbench import WorkbenchDenied, WorkbenchError
from cicnet.errors import ActionDenied, UserInputError, as_json, form_error
from cicnet.evidence.services import EvidenceDenied, EvidenceInputError
from cicnet.evidence.uploads import UploadOffsetError
from cicnet.jurisprudence.services import CurationDenied, CurationError
from cicnet.network.services import NetworkDenied, NetworkInputError
from cicnet.search.types import QueryError


@pytest.mark.parametrize(
    "error",
    [
        CurationError("ecli: bad", field="ecli"),
        WorkbenchError("pseudonym: bad", field="pseudonym"),
        SignOffError("batch: bad", field="batch"),
        NetworkInputError("reason", "bad"),
        EvidenceInputError("purpose: bad", field="purpose"),
        UploadOffsetError("offset: bad", 10),
        QueryError("page: bad", parameter="page"),
    ],
)
def test_every_input_error_is_one_kind_and_names_its_field(error: UserInputError) -> None:
    assert isinstance(error, UserInputError)
    assert error.field and str(error).startswith(error.field + ":")
    assert as_json(error)["field"] == error.field


@pytest.mark.parametrize(
    "denied", [CurationDenied, WorkbenchDenied, SignOffDenied, NetworkDenied, EvidenceDenied]
)
def test_every_refusal_is_one_kind(denied: type[Exception]) -> None:
    assert issubclass(denied, ActionDenied)


class _Form(forms.Form):
    title = forms.CharField()
    version = forms.IntegerField(widget=forms.HiddenInput)


def test_form_error_puts_the_message_on_a_visible_field_or_above_the_form() -> None:
    form = _Form({"title": "x", "version": "1"})
    assert form.is_valid()
    form_error(form, UserInputError("A clash: reload the page.", field="title"))
    form_error(form, UserInputError("Someone else changed it.", field="version"))
    form_error(form, UserInputError("Not a field of this form.", field="elsewhere"))
    assert form.errors["title"] == ["A clash: reload the page."]
    assert form.non_field_errors() == ["Someone else changed it.", "Not a field of this form."]
