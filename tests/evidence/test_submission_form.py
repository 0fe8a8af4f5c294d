"""The submission form as its users find it (issue 11): required fields marked, an error summary
linking to each field, the most restrictive handling code preselected, a legend for the
reliability codes, and a confirmation that says what goes to whom before anything is sent."""

from __future__ import annotations

import html
import re

import pytest

from cicnet.evidence.models import Submission
from cicnet.vocabularies import vocabulary

from .conftest import OPEN_BYTES, World, add_item

pytestmark = pytest.mark.django_db


def _text(response: object) -> str:
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]  # a response


def test_required_fields_are_marked_and_explained(world: World) -> None:
    page = world.client("cso").get("/cooperation/new/").content.decode()
    assert 'data-testid="required-legend"' in page
    for name in ("title", "narrative", "places"):
        label = re.search(rf'<label for="id_{name}">(.*?)</label>', page, re.S)
        assert label and 'class="req"' in label.group(1) and "(required)" in label.group(1), name
        field = re.search(rf'<(?:input|textarea)[^>]*id="id_{name}"[^>]*>', page)
        assert field and " required" in field.group(0), name
    optional = re.search(r'<label for="id_assessment">(.*?)</label>', page, re.S)
    assert optional and "req" not in optional.group(1)


def test_an_error_summary_at_the_top_links_to_each_field_in_error(world: World) -> None:
    response = world.client("cso").post(
        "/cooperation/new/",
        {"organisation": world.orgs["cso"].pk, "title": "", "narrative": "", "places": "x",
         "languages": "xx", "period_start": "2022-02-01", "period_end": "2022-01-01"},
    )  # fmt: skip
    assert response.status_code == 400
    page = _text(response)
    summary = page.index('data-testid="error-summary"')
    assert summary < page.index('data-testid="submission-form"')
    links = re.findall(r'<a href="#(id_\w+)" data-testid="summary-\w+">([^<]*)</a>', page)
    assert {target for target, _ in links} == {
        "id_title", "id_narrative", "id_languages", "id_period_end"
    }  # fmt: skip
    for target, text in links:
        assert f'id="{target}"' in page  # each link lands on its field
        assert ": " in text  # the field's label and what is wrong
    assert "Languages: 'xx' is not an ISO 639-1 language code" in page
    assert "To: the end is before the start." in page


def test_the_item_form_preselects_the_most_restrictive_handling_code(world: World) -> None:
    codes = vocabulary("evidence", "handling_codes").ids()
    assert codes[-1] == "no_court_use_no_onward_sharing"  # the vocabulary's order says so
    page = world.client("cso").get(f"/cooperation/{world.draft.uid}/").content.decode()
    select = re.search(r'<select name="handling_code".*?</select>', page, re.S)
    assert select is not None
    selected = re.findall(r'<option value="([^"]+)"[^>]* selected>', select.group(0))
    assert selected == ["no_court_use_no_onward_sharing"]
    label = re.search(r'<label for="id_description">(.*?)</label>', page, re.S)
    assert label and 'class="req"' in label.group(1)


def test_a_legend_explains_every_reliability_code(world: World) -> None:
    page = _text(world.client("authority").get(f"/cooperation/{world.submission.uid}/"))
    legend = page[page.index('data-testid="reliability-legend"') :]
    for name in ("source_reliability", "information_reliability", "handling_codes"):
        for term in vocabulary("evidence", name):
            assert term.label in legend and term.description in legend, (name, term.id)


def test_sending_asks_first_and_says_what_goes_to_whom(world: World) -> None:
    client = world.client("cso")
    draft = world.draft
    detail = client.get(f"/cooperation/{draft.uid}/").content.decode()
    assert f'href="/cooperation/{draft.uid}/submit" data-testid="send"' in detail
    confirm = client.get(f"/cooperation/{draft.uid}/submit")
    assert confirm.status_code == 200
    page = _text(confirm)
    assert "Fictional draft not yet sent" in page
    recipients = page[page.index('data-testid="confirm-recipients"') :]
    assert "Fictional Prosecutor DE (DE)" in recipients
    assert "Fictional Prosecutor FR" not in page  # not addressed by this draft
    assert 'data-testid="confirm-no-items"' in page
    assert "can no longer be edited" in page
    # Neither the page nor a POST without the confirmation sends anything.
    assert client.post(f"/cooperation/{draft.uid}/submit").status_code == 200
    draft.refresh_from_db()
    assert draft.state == "draft"
    sent = client.post(f"/cooperation/{draft.uid}/submit", {"confirmed": "yes"})
    assert sent.status_code == 302
    draft.refresh_from_db()
    assert draft.state == "submitted"
    # Sent: the page does not offer to send again.
    again = client.get(f"/cooperation/{draft.uid}/submit")
    assert again.status_code == 403 and b"confirm-send" not in again.content


def test_the_confirmation_lists_the_items_and_their_handling(world: World) -> None:
    client = world.client("cso")
    sub = Submission.objects.get(pk=world.draft.pk)
    item = add_item(world.actors["cso"], world.context("cso", sub), OPEN_BYTES, "square.jpg")
    page = _text(client.get(f"/cooperation/{sub.uid}/submit"))
    listed = page[page.index('data-testid="confirm-items"') :]
    assert f"{item.uid} · square.jpg · {item.get_handling_code_display()}" in listed
    assert "1 item:" in page and "confirm-no-items" not in page
    # A draft without authorities cannot be sent from the confirmation.
    sub.referrals.all().delete()
    empty = _text(client.get(f"/cooperation/{sub.uid}/submit"))
    assert 'data-testid="confirm-no-recipients"' in empty and "confirm-send" not in empty


@pytest.mark.parametrize("role", ["cso_colleague", "authority", "secretariat", "admin"])
def test_only_the_organisation_reaches_the_confirmation_of_its_draft(
    world: World, role: str
) -> None:
    response = world.client(role).get(f"/cooperation/{world.draft.uid}/submit")
    assert response.status_code == (200 if role == "cso_colleague" else 404)
