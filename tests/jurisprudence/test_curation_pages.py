"""Curation pages: 404 for everyone but curators, forms that name the bad field, POST buttons."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from cicnet.audit.models import AuditEntry
from cicnet.jurisprudence.forms import DecisionEditForm
from cicnet.jurisprudence.models import Decision

from ..conftest import VISIBLE
from ..factories import DecisionFactory, ParagraphFactory, TextFactory
from .conftest import ROLES

pytestmark = pytest.mark.django_db

CURATORS = ("curator", "admin")


def _form_data(decision: Decision, **overrides: Any) -> dict[str, Any]:
    data = DecisionEditForm.initial_for(decision)
    data = {k: ("" if v is None else v) for k, v in data.items()}
    # Factory decisions carry a fictional court outside the vocabulary: the form asks for one.
    data["court"] = data["court"] or "de-olg-koblenz"
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", ROLES)
def test_curation_queue_only_for_curators(
    role: str, tier_matrix: dict[str, Any], clients: dict[str, Client]
) -> None:
    response = clients[role].get("/curation/")
    if role not in CURATORS:
        assert response.status_code == 404
        return
    html = response.content.decode()
    listed = set(re.findall(r'data-testid="row" data-uid="([^"]+)"', html))
    assert listed == {d.uid for k, d in tier_matrix.items() if not k.endswith("/published")}


@pytest.mark.parametrize("role", ROLES)
def test_edit_page_matrix(
    role: str, tier_matrix: dict[str, Any], clients: dict[str, Client]
) -> None:
    for key, decision in tier_matrix.items():
        response = clients[role].get(f"/decisions/{decision.uid}/edit/")
        allowed = role in CURATORS and key in VISIBLE[role]
        assert response.status_code == (200 if allowed else 404), (role, key)


@pytest.mark.parametrize("role", ROLES)
def test_edit_post_matrix(
    role: str, tier_matrix: dict[str, Any], clients: dict[str, Client]
) -> None:
    for key, decision in tier_matrix.items():
        response = clients[role].post(
            f"/decisions/{decision.uid}/edit/", _form_data(decision, title=f"Edited by {role}")
        )
        stored = Decision.objects.get(pk=decision.pk)
        if role in CURATORS:
            assert response.status_code == 302, (role, key)
            assert stored.title == f"Edited by {role}"
        else:
            assert response.status_code == 404, (role, key)
            assert stored.title == decision.title
    assert AuditEntry.objects.count() == (9 if role in CURATORS else 0)


@pytest.mark.parametrize("role", ROLES)
def test_transition_post_matrix(
    role: str, tier_matrix: dict[str, Any], clients: dict[str, Client]
) -> None:
    targets = {"draft": "review", "review": "published", "published": "draft"}
    for key, decision in tier_matrix.items():
        response = clients[role].post(
            f"/decisions/{decision.uid}/state/",
            {"to_state": targets[decision.state], "confirm": "yes"},
        )
        stored = Decision.objects.get(pk=decision.pk)
        if role in CURATORS:
            assert response.status_code == 302 and stored.state == targets[decision.state], (
                role,
                key,
            )
        else:
            assert response.status_code == 404 and stored.state == decision.state, (role, key)


def test_transition_get_is_not_allowed(
    tier_matrix: dict[str, Any], clients: dict[str, Client]
) -> None:
    assert (
        clients["curator"].get(f"/decisions/{tier_matrix['public/draft'].uid}/state/").status_code
        == 405
    )


def test_invalid_transition_shows_a_message(clients: dict[str, Client]) -> None:
    decision = DecisionFactory(state="draft")
    response = clients["curator"].post(
        f"/decisions/{decision.uid}/state/", {"to_state": "published"}, follow=True
    )
    html = response.content.decode()
    assert "cannot move to" in html and "Published" in html
    assert Decision.objects.get(pk=decision.pk).state == "draft"


def test_edit_form_names_the_bad_field(clients: dict[str, Client]) -> None:
    decision = DecisionFactory()
    response = clients["curator"].post(
        f"/decisions/{decision.uid}/edit/", _form_data(decision, ecli="not an ecli")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-field="ecli"' in html and "is not a valid ECLI" in html
    assert Decision.objects.get(pk=decision.pk).ecli == ""


def test_country_is_picked_by_name_and_a_future_date_is_refused(
    clients: dict[str, Client],
) -> None:
    decision = DecisionFactory(country="DE")
    page = clients["curator"].get(f"/decisions/{decision.uid}/edit/").content.decode()
    # A list of names, not two letters to type: Austria is AT, never AU (Australia).
    assert '<option value="AT">Austria</option>' in page
    assert '<option value="AU">Australia</option>' in page
    assert '<option value="DE" selected>Germany</option>' in page
    response = clients["curator"].post(
        f"/decisions/{decision.uid}/edit/", _form_data(decision, country="XX")
    )
    assert 'data-field="country"' in response.content.decode()
    response = clients["curator"].post(
        f"/decisions/{decision.uid}/edit/", _form_data(decision, decision_date="2999-01-01")
    )
    html = response.content.decode()
    assert 'data-field="decision_date"' in html and "2999-01-01 is in the future" in html
    assert Decision.objects.get(pk=decision.pk).decision_date != dt.date(2999, 1, 1)


def test_edit_form_refuses_a_stale_version(clients: dict[str, Client]) -> None:
    decision = DecisionFactory()
    stale = _form_data(decision, title="Mine")
    clients["admin"].post(f"/decisions/{decision.uid}/edit/", _form_data(decision, title="Theirs"))
    html = clients["curator"].post(f"/decisions/{decision.uid}/edit/", stale).content.decode()
    assert "changed by someone else" in html
    assert Decision.objects.get(pk=decision.pk).title == "Theirs"


def test_edit_page_shows_history(clients: dict[str, Client]) -> None:
    decision = DecisionFactory()
    clients["curator"].post(
        f"/decisions/{decision.uid}/edit/", _form_data(decision, title="Changed")
    )
    html = clients["curator"].get(f"/decisions/{decision.uid}/edit/").content.decode()
    assert "2 (current)" in html and "<td>edit</td>" in html


def test_queue_publish_button_publishes(clients: dict[str, Client]) -> None:
    decision = DecisionFactory(state="review")
    html = clients["curator"].get("/curation/").content.decode()
    assert f'data-testid="publish-{decision.uid}"' in html
    response = clients["curator"].post(
        f"/decisions/{decision.uid}/state/",
        {"to_state": "published", "next": "/curation/", "confirm": "yes"},
    )
    assert response.status_code == 302 and response["Location"] == "/curation/"
    assert Decision.objects.get(pk=decision.pk).state == "published"


def test_next_cannot_redirect_elsewhere(clients: dict[str, Client]) -> None:
    decision = DecisionFactory(state="review")
    response = clients["curator"].post(
        f"/decisions/{decision.uid}/state/",
        {"to_state": "published", "next": "https://evil.example/", "confirm": "yes"},
    )
    assert response["Location"] == decision.get_absolute_url()


def test_publishing_asks_for_confirmation_and_says_what_becomes_public(
    clients: dict[str, Client],
) -> None:
    decision = DecisionFactory(state="review", access="network")
    ParagraphFactory(text=TextFactory(decision=decision, language="de"), number=1)
    url = f"/decisions/{decision.uid}/state/"
    asked = clients["curator"].post(url, {"to_state": "published"})
    html = asked.content.decode()
    assert asked.status_code == 200 and 'data-testid="publish-confirm"' in html
    assert Decision.objects.get(pk=decision.pk).state == "review"
    assert "<strong>Network</strong> tier" in html
    assert "members of the networks and the Secretariat" in html
    assert "search index shows it to them" in html
    assert "German (original): the full text, anonymised" in html
    assert 'name="confirm" value="yes"' in html
    done = clients["curator"].post(url, {"to_state": "published", "confirm": "yes"})
    assert done.status_code == 302 and Decision.objects.get(pk=decision.pk).state == "published"


def test_returning_to_draft_needs_no_confirmation(clients: dict[str, Client]) -> None:
    decision = DecisionFactory(state="review")
    response = clients["curator"].post(f"/decisions/{decision.uid}/state/", {"to_state": "draft"})
    assert response.status_code == 302 and Decision.objects.get(pk=decision.pk).state == "draft"
