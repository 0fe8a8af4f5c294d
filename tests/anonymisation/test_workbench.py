"""The anonymisation workbench: who may use it, each action, its audit trail, the sign-off and
the rule that a decision cannot be published before its anonymisation is signed off."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from cicnet.anonymisation.models import AnonymisedEntity, AnonymisedMention, TextAnonymisation
from cicnet.anonymisation.review import publication_blocker
from cicnet.anonymisation.selectors import anonymised_paragraphs
from cicnet.anonymisation.services import decision_anonymise
from cicnet.audit.models import AuditEntry
from cicnet.jurisprudence.services import CurationError, decision_transition
from cicnet.search.services import rebuild_index
from tests.factories import DecisionFactory, ParagraphFactory, TextFactory, UserFactory

BODY = (
    "The witness Eyad Darwish testified that the accused Anwar Raslan ordered the beatings. "
    "Raslan denied it. The applicant's sister Mariam Haddad lives in Homs."
)
SECOND = "Mr Raslan was born on 3 May 1963 in Harasta."


@pytest.fixture
def decision(db: None) -> Any:
    decision = DecisionFactory(uid="wb-1", access="public", state="review")
    text = TextFactory(decision=decision, language="en", anonymisation=False)
    ParagraphFactory(text=text, number=1, body=BODY)
    ParagraphFactory(text=text, number=2, body=SECOND)
    decision_anonymise(decision=decision)
    rebuild_index()
    return decision


@pytest.fixture
def curator_client(db: None) -> Client:
    client = Client()
    client.force_login(UserFactory(username="wb-curator", role="curator"))
    return client


def _url(decision: Any, action: str = "") -> str:
    base = f"/decisions/{decision.uid}/anonymisation/"
    return base + (f"{action}/" if action else "")


def _mention(surface: str) -> AnonymisedMention:
    for m in AnonymisedMention.objects.select_related("entity"):
        body = BODY if m.paragraph_number == 1 else SECOND
        if body[m.start : m.end] == surface:
            return m
    raise AssertionError(f"no mention {surface!r}")


def _public_text(decision: Any) -> str:
    """What every tier but the Secretariat will read of the decision's text once it is signed
    off (the decision is still in review, so no such tier can open it yet)."""
    text = decision.texts.get()
    bodies = {text.id: {p.number: p.body for p in text.paragraphs.all()}}
    shown = anonymised_paragraphs(bodies, include_unsigned=True)[text.id]
    return " ".join(shown[n] for n in sorted(shown))


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_only_the_secretariat_reaches_the_workbench(role: str, decision: Any) -> None:
    client = Client()
    if role != "anonymous":
        client.force_login(UserFactory(username=f"wb-{role}", role=role))
    assert client.get(_url(decision)).status_code == 404
    m = _mention("Eyad Darwish")
    response = client.post(_url(decision, "mention"), {"mention": m.id, "status": "rejected"})
    assert response.status_code == 404
    m.refresh_from_db()
    assert m.status == "suggested"
    assert not AuditEntry.objects.filter(action__startswith="anonymisation.").exists()


def test_page_shows_the_original_with_spans_and_risks(
    curator_client: Client, decision: Any
) -> None:
    html = curator_client.get(_url(decision)).content.decode()
    assert "Eyad Darwish" in html and "data-mention=" in html
    assert 'class="wb-span k-PERSON st-suggested"' in html
    assert "Date of birth" in html  # the risk list
    assert "Not publishable yet" in html


def test_reject_then_accept_a_span_is_audited_and_changes_what_others_read(
    curator_client: Client, decision: Any
) -> None:
    m = _mention("Eyad Darwish")
    assert "Eyad Darwish" not in _public_text(decision)
    curator_client.post(_url(decision, "mention"), {"mention": m.id, "status": "rejected"})
    m.refresh_from_db()
    assert m.status == "rejected"
    assert "Eyad Darwish" in _public_text(decision)
    curator_client.post(_url(decision, "mention"), {"mention": m.id, "status": "accepted"})
    assert "Eyad Darwish" not in _public_text(decision)
    actions = list(
        AuditEntry.objects.filter(object_id=decision.uid)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["anonymisation.mention.rejected", "anonymisation.mention.accepted"]


def test_add_a_missed_span_by_offsets(curator_client: Client, decision: Any) -> None:
    start = BODY.index("beatings")
    text = decision.texts.get()
    assert "beatings" in _public_text(decision)
    response = curator_client.post(
        _url(decision, "add"),
        {"text": text.id, "paragraph": 1, "start": start - 1, "end": start + 8, "kind": "MISC"},
    )
    assert response.status_code == 302
    added = AnonymisedMention.objects.get(source="manual")
    assert (added.start, added.end, added.status) == (start, start + 8, "accepted")  # trimmed
    assert added.entity.pseudonym == "[other identifier 1]"
    assert "beatings" not in _public_text(decision)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"paragraph": 2, "start": 5, "end": 500, "kind": "LOC"}, "start"),
        ({"paragraph": 9, "start": 0, "end": 3, "kind": "LOC"}, "paragraph"),
        ({"paragraph": 2, "start": 0, "end": 3, "kind": "NAME"}, "kind"),
        ({"paragraph": 2, "start": "x", "end": 3, "kind": "LOC"}, "start"),
    ],
)
def test_bad_add_is_refused_with_the_field_named(
    curator_client: Client, decision: Any, data: dict[str, Any], field: str
) -> None:
    text = decision.texts.get()
    before = AnonymisedMention.objects.count()
    response = curator_client.post(_url(decision, "add"), {"text": text.id, **data}, follow=True)
    assert response.status_code == 200
    assert f"{field}:" in response.content.decode()
    assert AnonymisedMention.objects.count() == before


def test_overlapping_add_is_refused(curator_client: Client, decision: Any) -> None:
    start = BODY.index("Darwish")
    text = decision.texts.get()
    response = curator_client.post(
        _url(decision, "add"),
        {"text": text.id, "paragraph": 1, "start": start, "end": start + 7, "kind": "PERSON"},
        follow=True,
    )
    assert "overlaps a span" in response.content.decode()


def test_pseudonym_edit_merge_and_split(curator_client: Client, decision: Any) -> None:
    darwish = _mention("Eyad Darwish").entity
    curator_client.post(_url(decision, "pseudonym"), {"entity": darwish.id, "pseudonym": "[W1]"})
    assert "[W1]" in _public_text(decision)
    # A pseudonym that gives the name away is refused.
    response = curator_client.post(
        _url(decision, "pseudonym"),
        {"entity": darwish.id, "pseudonym": "Eyad Darwish"},
        follow=True,
    )
    assert "pseudonym: it contains the name" in response.content.decode()

    raslan = _mention("Anwar Raslan").entity
    mentions_of_raslan = raslan.mentions.count()
    assert mentions_of_raslan >= 2  # "Anwar Raslan", "Raslan", "Mr Raslan"
    # Split one mention off, then merge it back.
    m = _mention("Raslan")
    curator_client.post(_url(decision, "split"), {"mention": m.id})
    m.refresh_from_db()
    assert m.entity_id != raslan.id
    assert raslan.mentions.count() == mentions_of_raslan - 1
    curator_client.post(_url(decision, "merge"), {"into": raslan.id, "from": m.entity_id})
    assert raslan.mentions.count() == mentions_of_raslan
    assert not AnonymisedEntity.objects.filter(id=m.entity_id).exists()


def test_publishing_is_blocked_until_signed_off(
    curator_client: Client, decision: Any, actors: dict[str, Any]
) -> None:
    assert publication_blocker(decision)
    with pytest.raises(CurationError, match="anonymisation") as exc:
        decision_transition(actor=actors["curator"], decision=decision, to_state="published")
    assert exc.value.field == "anonymisation"
    decision.refresh_from_db()
    assert decision.state == "review"

    curator_client.post(_url(decision, "sign-off"))
    record = TextAnonymisation.objects.get(text__decision=decision)
    assert record.signed_off_at is not None
    assert not AnonymisedMention.objects.filter(status="suggested").exists()
    assert publication_blocker(decision) is None
    decision_transition(actor=actors["curator"], decision=decision, to_state="published")

    # A later change withdraws the sign-off (and is audited as such).
    m = _mention("Eyad Darwish")
    curator_client.post(_url(decision, "mention"), {"mention": m.id, "status": "rejected"})
    record.refresh_from_db()
    assert record.signed_off_at is None
    entry = AuditEntry.objects.filter(action="anonymisation.mention.rejected").get()
    assert entry.changes["sign_off_withdrawn"] is True


def test_publish_button_shows_the_blocker(curator_client: Client, decision: Any) -> None:
    response = curator_client.post(
        f"/decisions/{decision.uid}/state/", {"to_state": "published"}, follow=True
    )
    assert "anonymisation" in response.content.decode()
    decision.refresh_from_db()
    assert decision.state == "review"


def test_unknown_mention_of_another_decision_is_refused(
    curator_client: Client, decision: Any
) -> None:
    other = DecisionFactory(uid="wb-2")
    text = TextFactory(decision=other, anonymisation=False)
    ParagraphFactory(text=text, number=1, body="The witness Eyad Darwish spoke.")
    decision_anonymise(decision=other)
    foreign = AnonymisedMention.objects.filter(entity__anonymisation__text=text).first()
    assert foreign is not None
    response = curator_client.post(
        _url(decision, "mention"), {"mention": foreign.id, "status": "rejected"}, follow=True
    )
    assert "mention: no mention" in response.content.decode()
    foreign.refresh_from_db()
    assert foreign.status == "suggested"


def test_another_policy_reanonymises_and_is_kept_by_the_stage(
    curator_client: Client, decision: Any
) -> None:
    response = curator_client.post(_url(decision, "policy"), {"policy": "nonsense"}, follow=True)
    assert "policy: &#x27;nonsense&#x27; is not a policy" in response.content.decode()
    assert set(TextAnonymisation.objects.values_list("policy", flat=True)) == {"publication"}

    curator_client.post(_url(decision, "policy"), {"policy": "initials"})
    assert set(TextAnonymisation.objects.values_list("policy", flat=True)) == {"initials"}
    assert "Anwar R." in _public_text(decision)
    assert AuditEntry.objects.filter(action="anonymisation.policy").count() == 1

    from cicnet.pipeline.anonymise import Anonymise
    from cicnet.pipeline.base import Document

    doc = Document(path=Path("wb.yaml"), data=b"", texts=[], content_hash="", uid=decision.uid)
    Anonymise().run(doc)  # a re-run of the stage keeps the choice
    assert set(TextAnonymisation.objects.values_list("policy", flat=True)) == {"initials"}
