"""Search across languages in Chromium (issue 13): an English question finds a French-only
decision and shows its French paragraph; "tortured" finds "torture"; "similar paragraphs" in the
reader lists a paragraph of a decision in another language; "exact words only" drops meaning."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from ..factories import DecisionFactory, ParagraphFactory, TextFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FR = [
    "Le requérant a été arrêté par la police et détenu pendant trois semaines sans avocat.",
    "Pendant sa détention, il a été frappé à coups de matraque et privé de sommeil par les "
    "gardiens, ce qui constitue un traitement inhumain.",
]
EN = [
    "The applicant was beaten by prison guards with truncheons during his detention.",
    "The torture of the applicant continued for several weeks in the same prison.",
]


def _corpus() -> None:
    from cicnet.search.embeddings import embed_pending
    from cicnet.search.services import rebuild_index

    fr = DecisionFactory(uid="fr-only", country="FR", title="Affaire fictive Martin c. France")
    text = TextFactory(decision=fr, language="fr", is_original=True)
    for n, body in enumerate(FR, start=1):
        ParagraphFactory(text=text, number=n, body=body)
    en = DecisionFactory(uid="en-only", country="GB", title="Fictional Smith v. United Kingdom")
    text = TextFactory(decision=en, language="en", is_original=True)
    for n, body in enumerate(EN, start=1):
        ParagraphFactory(text=text, number=n, body=body)
    rebuild_index()
    assert embed_pending().embedded == 4


def test_english_question_finds_french_decision_and_similar_paragraphs(
    new_page: Callable[..., Any],
) -> None:
    _corpus()
    page = new_page()
    # The first search loads the model in the live server (about a second; more on a busy
    # machine).
    page.set_default_timeout(45_000)
    page.goto("/")
    page.fill('[data-testid="q"]', "guards hit the prisoner with batons")
    page.press('[data-testid="q"]', "Enter")
    page.wait_for_url(re.compile(r"q=guards"))
    hit = page.locator('[data-testid="hit"][data-uid="fr-only"]')
    hit.wait_for()
    snippet = hit.locator('[data-testid="semantic-snippet"]')
    assert snippet.get_attribute("class") == "semantic"
    french = snippet.locator(".snippet")
    assert french.get_attribute("lang") == "fr"
    assert "matraque" in french.inner_text()
    assert "French" in hit.locator('[data-testid="matched-meaning"]').inner_text()

    # Exact words only: the French decision shares no word with the question.
    page.check('[data-testid="exact-words"]')
    page.wait_for_url(re.compile(r"mode=lexical"))
    page.wait_for_function("document.querySelectorAll('[data-testid=hit]').length === 0")

    # Word forms: "tortured" finds the English "torture".
    page.goto("/?q=tortured&mode=lexical")
    assert page.locator('[data-testid="hit"]').count() == 1
    assert "<mark>torture</mark>" in page.inner_html('[data-testid="hit"][data-uid="en-only"]')

    # The reader: similar paragraphs of the English paragraph, across languages.
    page.goto("/decisions/en-only/")
    para = page.locator("#en-p1")
    para.locator('[data-testid="similar-paragraphs"]').click()
    item = para.locator('[data-testid="similar-item"]').first
    item.wait_for()
    assert "Martin" in item.inner_text()
    link = item.locator("a")
    assert link.get_attribute("href") == "/decisions/fr-only/#fr-p2"
    assert "matraque" in item.inner_text()
    # and similar decisions on the decision itself
    assert "Martin" in page.inner_text('[data-testid="similar-decisions"]')
