"""Semantic and hybrid search (issue 13) on every backend, with the real packaged model: an
English question finds a French-only decision by meaning, "similar" lists cross languages, the
embed stage resumes, and the vector index follows the search index (changed text, tiers)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cicnet.access import policy
from cicnet.search import vectors
from cicnet.search.embeddings import count_pending, embed_pending
from cicnet.search.models import ParagraphEmbedding
from cicnet.search.services import rebuild_index, reindex_decisions, search_decisions
from cicnet.search.types import SearchParams
from tests.factories import DecisionFactory, ParagraphFactory, TextFactory, UserFactory

CURATOR = policy.Actor(role="curator", user_id=1)

FR = [
    "Le requérant a été arrêté par la police et détenu pendant trois semaines sans avocat.",
    "Pendant sa détention, il a été frappé à coups de matraque et privé de sommeil par les "
    "gardiens, ce qui constitue un traitement inhumain.",
    "La Cour conclut à la violation de l'article 3 de la Convention.",
]
DE = [
    "Die Angeklagte hat jesidische Frauen in ihrem Haushalt als Sklavinnen gehalten und zur "
    "Arbeit gezwungen.",
    "Das Gericht verurteilt sie wegen Verbrechen gegen die Menschlichkeit zu zehn Jahren.",
]
EN = [
    "The applicant complained that the length of the civil proceedings about his pension was "
    "excessive.",
    "The Court finds that the proceedings lasted eleven years, which is unreasonable.",
]


def _decision(uid: str, lang: str, bodies: list[str], **kwargs: Any) -> Any:
    d = DecisionFactory(
        uid=uid, title=f"Fictional {uid}", decision_date=dt.date(2020, 1, 1), **kwargs
    )
    text = TextFactory(decision=d, language=lang, is_original=True)
    for n, body in enumerate(bodies, start=1):
        ParagraphFactory(text=text, number=n, body=body)
    return d


@pytest.fixture
def xcorpus(backend: str) -> dict[str, Any]:
    docs = {
        "fr-detention": _decision("fr-detention", "fr", FR, country="FR"),
        "de-slavery": _decision("de-slavery", "de", DE, country="DE"),
        "en-length": _decision("en-length", "en", EN, country="GB"),
    }
    rebuild_index()
    result = embed_pending()
    assert result.embedded == len(FR) + len(DE) + len(EN)
    return docs


def run(q: str, actor: policy.Actor = CURATOR, **kwargs: Any) -> Any:
    return search_decisions(actor=actor, params=SearchParams(q=q, **kwargs))


def test_an_english_question_finds_the_french_decision_by_meaning(xcorpus: dict[str, Any]) -> None:
    q = "the prisoner was beaten with batons by the guards"
    assert run(q, mode="lexical").count == 0  # no word in common
    page = run(q, mode="hybrid")
    assert page.mode == "hybrid"
    top = page.hits[0]
    assert top.uid == "fr-detention"
    assert top.matched == ("meaning",)
    assert top.languages == ("fr",)
    snippet = top.snippets[0]
    assert snippet.source == "semantic" and snippet.language == "fr" and snippet.paragraph == 2
    assert "matraque" in snippet.html
    assert top.embedded is True
    semantic = run(q, mode="semantic")
    assert semantic.hits[0].uid == "fr-detention"
    assert semantic.count == len(semantic.hits)


def test_hybrid_keeps_word_matches_and_adds_meaning(xcorpus: dict[str, Any]) -> None:
    page = run("enslaved Yazidi women forced to work", mode="hybrid")
    assert page.hits[0].uid == "de-slavery"
    words = run("pension", mode="hybrid")
    assert words.hits[0].uid == "en-length"
    assert "words" in words.hits[0].matched
    # The count says how many were found by meaning alone: every hit not matched by words.
    for q in ("pension", "the prisoner was beaten with batons by the guards"):
        page = run(q, mode="hybrid", page_size=50)
        alone = [h.uid for h in page.hits if h.matched == ("meaning",)]
        assert page.meaning_only == len(alone) and page.count == len(page.hits), (q, alone)
    assert run("the prisoner was beaten with batons by the guards", mode="hybrid").meaning_only >= 1
    assert run("pension", mode="lexical").meaning_only == 0
    from django.test import Client

    client = Client()
    client.force_login(UserFactory(role="curator"))
    html = client.get("/search/", {"q": "the prisoner was beaten with batons by the guards"})
    assert "by meaning only</span>" in html.content.decode()


def test_filters_and_fields_apply_to_meaning(xcorpus: dict[str, Any]) -> None:
    q = "the prisoner was beaten with batons by the guards"
    assert "fr-detention" not in {h.uid for h in run(q, filters={"country": ("DE",)}).hits}
    assert "fr-detention" not in {h.uid for h in run(q + " country:DE").hits}
    page = run(q, mode="semantic", filters={"country": ("FR",)})
    assert [h.uid for h in page.hits] == ["fr-detention"]
    assert {f.value: f.count for f in page.facets["country"]}["FR"] == 1


def test_embedding_resumes_and_follows_text_changes(backend: str) -> None:
    d = _decision("resume", "fr", FR)
    rebuild_index()
    assert count_pending() == 3
    first = embed_pending(limit=2, batch=1)
    assert (first.embedded, first.pending) == (2, 1)
    assert embed_pending().embedded == 1
    assert count_pending() == 0
    # An edited paragraph: its vector goes with the re-index, and it is pending again.
    p = d.texts.get().paragraphs.get(number=2)
    p.body = "Un tout autre texte sur la durée excessive de la procédure civile du requérant."
    p.save()
    reindex_decisions(["resume"])
    assert ParagraphEmbedding.objects.filter(decision=d).count() == 2
    assert count_pending() == 1
    assert vectors.load().vector("resume", "fr", 2) is None


def test_a_re_embedded_paragraph_is_a_new_row_that_every_reader_reloads(
    xcorpus: dict[str, Any],
) -> None:
    # A vector gone stale without a re-index (its hash no longer the text's): the embed stage
    # replaces the row, which bumps the PostgreSQL store's change counter too.
    before = vectors.load()
    row = ParagraphEmbedding.objects.get(decision__uid="fr-detention", number=2)
    ParagraphEmbedding.objects.filter(pk=row.pk).update(body_hash="0" * 64)
    assert embed_pending().embedded == 1
    again = ParagraphEmbedding.objects.get(decision__uid="fr-detention", number=2)
    assert again.pk != row.pk and again.body_hash == row.body_hash
    after = vectors.load()
    assert after is not before
    assert after.vector("fr-detention", "fr", 2) is not None


def test_similar_paragraphs_and_decisions_across_languages(xcorpus: dict[str, Any]) -> None:
    from cicnet.search.services import similar_decisions, similar_paragraphs

    en = _decision(
        "en-beaten",
        "en",
        [
            "The applicant was beaten by prison guards with truncheons during his detention.",
        ],
        country="GB",
    )
    reindex_decisions([en.uid])
    embed_pending()
    near = similar_paragraphs(actor=CURATOR, uid="en-beaten", language="en", number=1)
    assert near.embedded
    assert (near.items[0].uid, near.items[0].language, near.items[0].paragraph) == (
        "fr-detention",
        "fr",
        2,
    )
    decisions = similar_decisions(actor=CURATOR, uid="en-beaten")
    assert decisions.items[0].uid == "fr-detention"


def test_embed_command_until_done_and_status(backend: str) -> None:
    import io

    from django.core.management import call_command

    _decision("cmd", "de", DE)
    rebuild_index()
    out = io.StringIO()
    call_command("embed", "--status", stdout=out)
    assert "2 paragraph(s) pending" in out.getvalue()
    out = io.StringIO()
    call_command("embed", "--until-done", "--limit", "1", "--threads", "1", stdout=out)
    text = out.getvalue()
    assert "Embedded 1 paragraph(s)" in text and "nothing pending" in text
    assert count_pending() == 0
    out = io.StringIO()
    call_command("embed", "--until-done", stdout=out)
    assert "0 paragraph(s) embedded" in out.getvalue()  # resumable and idempotent


def test_headings_and_short_paragraphs_are_not_embedded() -> None:
    from cicnet.search.embeddings import embeddable

    assert not embeddable("LES CIRCONSTANCES DE L'AFFAIRE")
    assert not embeddable("II. RELEVANT DOMESTIC LAW AND PRACTICE")
    assert not embeddable("THE FACTS")
    assert embeddable("The applicant was detained in Branch 251 for three months.")
    # A script without capitals is never taken for a heading.
    assert embeddable("احتجز المدعي في الفرع 251 لمدة ثلاثة أشهر دون محاكمة")
