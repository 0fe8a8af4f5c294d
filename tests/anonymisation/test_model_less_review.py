"""A text anonymised without a language model is flagged for full review: in the stored record,
in the anonymisation queue and on the workbench page; and only the Secretariat sees either."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cicnet.access import policy
from cicnet.anonymisation.models import TextAnonymisation
from cicnet.anonymisation.review import review_queue
from cicnet.anonymisation.services import decision_anonymise
from cicnet.anonymisation.sign_off import sign_off_batch
from tests.factories import DecisionFactory, ParagraphFactory, TextFactory, UserFactory

ENGLISH = "The witness Eyad Darwish testified that the accused Anwar Raslan ordered the beatings."
GERMAN = "Der Zeuge Eyad Darwish sagte aus, dass der Angeklagte Anwar Raslan die Schläge anordnete."


def _decision(uid: str, texts: dict[str, str], *, access: str = "public") -> Any:
    decision = DecisionFactory(uid=uid, access=access, state="published")
    for language, body in texts.items():
        text = TextFactory(
            decision=decision, language=language, is_original=language != "en", anonymisation=False
        )
        ParagraphFactory(text=text, number=1, body=body)
    decision_anonymise(decision=decision)
    return decision


@pytest.fixture
def decisions(db: None) -> dict[str, Any]:
    german = _decision("q-de", {"de": GERMAN, "en": ENGLISH})
    english = _decision("q-en", {"en": ENGLISH}, access="secretariat")
    signed = _decision("q-signed", {"en": ENGLISH})
    curator = policy.actor_for(UserFactory(username="q-signer", role="curator"))
    sign_off_batch(actor=curator, decisions=[signed], batch="queue test")
    return {"de": german, "en": english, "signed": signed}


def _client(role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(UserFactory(username=f"q-{role}", role=role))
    return client


def test_the_record_says_which_texts_had_no_model(decisions: dict[str, Any]) -> None:
    records = {
        r.text.language: r for r in TextAnonymisation.objects.filter(text__decision=decisions["de"])
    }
    assert records["de"].without_model and not records["en"].without_model

    # the German persons were carried over from the English translation, same pseudonyms
    def persons(language: str) -> set[str]:
        entities = records[language].entities.filter(kind="PERSON")
        return set(entities.values_list("pseudonym", flat=True))

    assert persons("de") == persons("en") == {"[witness 1]", "Anwar R."}


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_the_queue_and_its_flags_are_for_the_secretariat_only(
    role: str, decisions: dict[str, Any]
) -> None:
    client = _client(role)
    assert client.get("/anonymisation/").status_code == 404
    actor = (
        policy.ANONYMOUS
        if role == "anonymous"
        else policy.actor_for(UserFactory(username=f"q2-{role}", role=role))
    )
    assert review_queue(actor=actor) == []
    page = client.get(f"/decisions/{decisions['de'].uid}/anonymisation/")
    assert page.status_code == 404


@pytest.mark.parametrize("role", ["curator", "admin"])
def test_the_queue_lists_unsigned_texts_model_less_first_and_flags_them(
    role: str, decisions: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    client = _client(role)
    with django_assert_max_num_queries(12):
        response = client.get("/anonymisation/")
    assert response.status_code == 200
    content = response.content.decode()
    rows = content.split('data-testid="row"')[1:]
    uids = [row.split('data-uid="')[1].split('"')[0] for row in rows]
    # the signed-off decision is not listed; the one with a model-less text comes first, and the
    # Secretariat-tier decision is listed too (the Secretariat sees every tier)
    assert uids == ["q-de", "q-en"]
    assert rows[0].count('data-testid="no-model-flag"') == 1  # German only, not the English
    assert "German (original): to review" in rows[0] and "Review in full" in rows[0]
    assert 'data-testid="no-model-flag"' not in rows[1]


def test_the_workbench_flags_the_model_less_text_until_it_is_signed_off(
    decisions: dict[str, Any],
) -> None:
    client = _client("curator")
    url = f"/decisions/{decisions['de'].uid}/anonymisation/"
    content = client.get(url).content.decode()
    assert content.count('data-testid="no-model-flag"') == 1
    assert "Anonymised without a language model — review every paragraph." in content
    client.post(url + "sign-off/")
    assert (
        TextAnonymisation.objects.filter(
            text__decision=decisions["de"], signed_off_at__isnull=False
        ).count()
        == 2
    )
    assert 'data-testid="no-model-flag"' not in client.get(url).content.decode()
    assert "q-de" not in client.get("/anonymisation/").content.decode()
