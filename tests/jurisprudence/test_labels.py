"""Truthful labels on the reader and in results (issue 11): an excerpt says what it holds, each
text says whose it is, confidence is explained, only fictional records say "Demo content"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from cicnet.search.services import rebuild_index

from ..factories import DecisionFactory, ParagraphFactory, TextFactory

pytestmark = pytest.mark.django_db


def _excerpt_decision(**fields: object) -> object:
    decision = DecisionFactory(**fields)
    text = TextFactory(
        decision=decision, completeness="excerpt", excerpt_contents="Procedure and facts"
    )
    ParagraphFactory(text=text, number=1, body="The applicant was detained.")
    return decision


def test_an_excerpt_is_labelled_on_the_reader_and_in_results(client: Client) -> None:
    _excerpt_decision(uid="echr-x", title="ECtHR excerpt")
    complete = DecisionFactory(uid="complete-x", title="Complete judgment here")
    ParagraphFactory(
        text=TextFactory(decision=complete), number=1, body="The accused was detained."
    )
    rebuild_index()

    page = client.get("/decisions/echr-x/").content.decode()
    assert 'data-testid="text-badge"' in page and "Excerpt: procedure and facts</span>" in page
    assert 'data-testid="excerpt-note"' in page and "Full text" not in page
    assert "English — Original · Excerpt: procedure and facts" in page

    results = client.get("/", {"q": "detained"}).content.decode()
    assert results.count('data-testid="text-badge"') == 2
    assert "Excerpt: procedure and facts" in results and "Complete judgment" in results
    # The facet: a complete judgment is "yes", the excerpt is counted apart.
    only_complete = client.get("/", {"q": "detained", "has_text": "yes"}).content.decode()
    assert 'data-uid="complete-x"' in only_complete and 'data-uid="echr-x"' not in only_complete
    assert "Excerpt only" in only_complete  # the other value stays visible, with its count


def test_each_translation_says_whose_it_is(client: Client) -> None:
    decision = DecisionFactory(uid="three-texts")
    TextFactory(decision=decision, language="fr", is_original=True)
    for lang, provenance, unofficial in (("en", "human", False), ("de", "machine", True)):
        TextFactory(
            decision=decision,
            language=lang,
            is_original=False,
            provenance=provenance,
            unofficial=unofficial,
        )
    labels = {t.language: t.kind_label for t in decision.texts.all()}
    assert labels == {
        "fr": "Original",
        "en": "Court's own translation",
        "de": "Machine translation (unofficial)",
    }
    page = client.get("/decisions/three-texts/", {"view": "de"}).content.decode()
    assert "German — Machine translation (unofficial) · Complete judgment" in page


def test_confidence_is_explained_not_bare(client: Client) -> None:
    DecisionFactory(uid="sure", confidence="high")
    page = client.get("/decisions/sure/").content.decode()
    assert "Metadata confidence" in page
    assert "International Crimes Database" in page  # what "high" means, from the vocabulary
    assert "Confidence</dt>" not in page


def test_demo_badge_only_on_fictional_decisions_in_results_and_reader(client: Client) -> None:
    for uid, demo in (("real-one", False), ("made-up", True)):
        ParagraphFactory(
            text=TextFactory(decision=DecisionFactory(uid=uid, is_demo=demo)),
            number=1,
            body="Villagers were deported.",
        )
    rebuild_index()
    results = client.get("/", {"q": "deported"}).content.decode()
    hits = {chunk.split('"', 1)[0]: chunk for chunk in results.split('data-uid="')[1:]}
    assert "Demo content" in hits["made-up"].split("</li>")[0]
    assert "Demo content" not in hits["real-one"].split("</li>")[0]
    assert "Demo content" in client.get("/decisions/made-up/").content.decode()
    assert "Demo content" not in client.get("/decisions/real-one/").content.decode()


def test_a_year_only_date_reads_as_the_year_in_results(client: Client) -> None:
    d = DecisionFactory(uid="year-only", decision_date=dt.date(2009, 1, 1), date_precision="year")
    ParagraphFactory(text=TextFactory(decision=d), number=1, body="Shelling of the village.")
    rebuild_index()
    results = client.get("/", {"q": "shelling"}).content.decode()
    assert '<time datetime="2009-01-01">2009</time>' in results
