"""A decision's own fields are masked like its text for every reader below the Secretariat
(issue 10, item 3): "Karaarslan v. Turkey" once stood in a public title while the text said
"[applicant]", and ``q=Karaarslan`` found it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from cicnet.anonymisation.headings import mask_text, replacements
from cicnet.anonymisation.models import AnonymisedEntity, AnonymisedMention, TextAnonymisation
from cicnet.jurisprudence.models import Decision
from cicnet.search.services import rebuild_index

from ..factories import DecisionFactory, ParagraphFactory, TextFactory

pytestmark = pytest.mark.django_db

BODY = "The applicant, Mr Utku Karaarslan, was detained."


def _decision(uid: str, *, rejected: bool = False) -> Decision:
    decision = DecisionFactory(
        uid=uid,
        title="Karaarslan v. Turkey",
        defendant="Utku Karaarslan",
        summary="KARAARSLAN complained of his detention; Karaarslan's lawyer was not heard.",
        keywords=["detention", "Karaarslan"],
        decision_date=dt.date(2019, 3, 5),
        access="public",
        state="published",
    )
    text = TextFactory(decision=decision, language="en", is_original=True)
    ParagraphFactory(text=text, number=1, body=BODY)
    anonymisation, _ = TextAnonymisation.objects.get_or_create(
        text=text, defaults={"policy": "strict", "engine_version": "1"}
    )
    entity = AnonymisedEntity.objects.create(
        anonymisation=anonymisation,
        key="E1",
        kind="PERSON",
        canonical="Mr Utku Karaarslan",
        pseudonym="[applicant]",
        confidence=0.9,
    )
    start = BODY.index("Mr Utku")
    AnonymisedMention.objects.create(
        entity=entity,
        paragraph_number=1,
        start=start,
        end=start + len("Mr Utku Karaarslan"),
        kind="PERSON",
        confidence=0.9,
        source="ner",
        status="rejected" if rejected else "suggested",
    )
    return decision


def test_heading_forms_are_initials_and_matching_ignores_case_and_accents() -> None:
    pairs = replacements(["Mr Utku Karaarslan"])
    assert pairs[0] == ("Utku Karaarslan", "U. K.")
    assert mask_text("Karaarslan v. Turkey", pairs) == "K. v. Turkey"
    assert mask_text("Utku Karaarslan's case", pairs) == "U. K.'s case"
    assert mask_text("KARAARSLÁN and Karaarslanoglu", pairs) == "K. and Karaarslanoglu"


@pytest.fixture
def world(users: dict[str, Any], settings: Any) -> dict[str, Client]:
    _decision("karaarslan-v-turkey")
    rebuild_index()
    clients = {"anonymous": Client()}
    for role in ("member", "curator"):
        clients[role] = Client()
        clients[role].force_login(users[role])
    return clients


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_below_the_secretariat_no_channel_shows_the_name(
    role: str, world: dict[str, Client]
) -> None:
    client = world[role]
    uid = "karaarslan-v-turkey"
    channels = {
        "reader": client.get(f"/decisions/{uid}/"),
        "decision json": client.get(f"/decisions/{uid}.json"),
        "api detail": client.get(f"/api/v1/decisions/{uid}"),
        "api list": client.get("/api/v1/decisions"),
        "api search": client.get("/api/v1/search", {"q": "detention"}),
        "search page": client.get("/", {"q": "detention"}),
        "browse": client.get("/decisions/"),
        "csv": client.get("/api/v1/search/export.csv", {"q": "detention"}),
        "jsonl": client.get("/api/v1/search/export.jsonl", {"q": "detention"}),
    }
    for name, response in channels.items():
        assert response.status_code == 200, name
        body = (
            b"".join(response.streaming_content)
            if getattr(response, "streaming", False)
            else response.content
        ).decode()
        assert uid in body, name  # the decision is there …
        assert "Karaarslan" not in body.replace(uid, "") and "KARAARSLAN" not in body, name
        assert "K. v. Turkey" in body, name  # … under its heading form
    assert "<title>K. v. Turkey" in channels["reader"].content.decode()
    assert world[role].get("/api/v1/search", {"q": "Karaarslan"}).json()["count"] == 0
    assert world[role].get("/api/v1/search", {"q": "Utku"}).json()["count"] == 0


def test_the_secretariat_reads_the_original_fields(world: dict[str, Client]) -> None:
    detail = world["curator"].get("/api/v1/decisions/karaarslan-v-turkey").json()
    assert detail["title"] == "Karaarslan v. Turkey"
    assert (
        "Karaarslan v. Turkey"
        in world["curator"].get("/decisions/karaarslan-v-turkey/").content.decode()
    )
    # the stored row is untouched by what others were shown
    assert Decision.objects.get(uid="karaarslan-v-turkey").title == "Karaarslan v. Turkey"


def test_a_name_the_curator_rejected_stays_readable(users: dict[str, Any]) -> None:
    _decision("kept-name", rejected=True)
    assert Client().get("/api/v1/decisions/kept-name").json()["title"] == "Karaarslan v. Turkey"


def test_a_masked_row_cannot_be_saved(db: None) -> None:
    from cicnet.access import policy
    from cicnet.jurisprudence.selectors import decisions_for

    _decision("never-saved")
    row = decisions_for(actor=policy.ANONYMOUS).get(uid="never-saved")
    assert row.title == "K. v. Turkey"
    with pytest.raises(RuntimeError, match="cannot be saved"):
        row.save()


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_case_name_and_other_names_are_masked_below_the_secretariat(
    role: str, users: dict[str, Any]
) -> None:
    decision = _decision("echr-case-name")
    clients = {"anonymous": Client(), "member": Client()}
    clients["member"].force_login(users["member"])
    Decision.objects.filter(pk=decision.pk).update(
        case_name="Karaarslan v. Turkey", also_known_as=["the Karaarslan case"]
    )
    rebuild_index()
    html = clients[role].get(decision.get_absolute_url()).content.decode()
    assert "K. v. Turkey" in html and "the K. case" in html
    record = clients[role].get(f"/api/v1/decisions/{decision.uid}").json()
    assert (record["case_name"], record["also_known_as"]) == ("K. v. Turkey", ["the K. case"])
    assert "K. v. Turkey" in record["citation"]
    found = clients[role].get("/api/v1/search", {"q": '"Karaarslan case"'}).json()
    assert found["count"] == 0
    assert "Karaarslan" not in html + str(record)
