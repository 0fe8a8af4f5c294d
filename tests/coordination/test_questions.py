"""Questions to the network: who reads an open question and, once answered, the knowledge base
at each tier; threaded answers citing decisions and documents (only readable ones); the
deadline reminders; every page for every role."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from cicnet.access import policy
from cicnet.coordination import questions
from cicnet.coordination.models import Question
from cicnet.coordination.questions import QuestionData
from cicnet.coordination.services import CoordinationDenied, CoordinationInputError
from cicnet.network.models import Membership

from ..anonymisation.test_headings import _decision as masked_decision
from ..factories import DecisionFactory
from ..network.factories import MembershipFactory, OrganisationFactory
from .conftest import ROLES, World


def ask(world: World, **overrides: object) -> Question:
    values: dict[str, object] = {
        "network_id": world.networks["a"].pk,
        "title": "Has a court accepted open-source video as sole evidence of an unlawful attack?",
        "body": "Fictional question for tests.",
        "audience": "countries",
        "countries": ["fr"],
        "kb_tier": "closed_session",
        "deadline": timezone.localdate() + dt.timedelta(days=2),
    }
    values.update(overrides)
    return questions.question_ask(actor=world.actors["de"], data=QuestionData(**values))  # type: ignore[arg-type]


def readers(world: World, question: Question) -> set[str]:
    return {
        role
        for role in ROLES
        if questions.question_get(actor=world.actors[role], uid=question.uid) is not None
    }


def test_an_open_question_reaches_those_asked_then_its_knowledge_tier(world: World) -> None:
    to_fr = ask(world)
    assert readers(world, to_fr) == {"de", "de_colleague", "fr", "secretariat"}
    questions.question_mark_answered(actor=world.actors["de"], question=to_fr)
    assert readers(world, to_fr) == {"de", "de_colleague", "fr", "nl", "secretariat"}

    network_tier = ask(world, audience="all", countries=[], kb_tier="network")
    assert readers(world, network_tier) == {"de", "de_colleague", "fr", "nl", "secretariat"}
    questions.question_mark_answered(actor=world.actors["de"], question=network_tier)
    assert "cso" in readers(world, network_tier)

    secret = ask(world, audience="secretariat", countries=[], kb_tier="secretariat")
    assert readers(world, secret) == {"de", "de_colleague", "secretariat"}
    questions.question_mark_answered(actor=world.actors["de"], question=secret)
    assert readers(world, secret) == {"de", "de_colleague", "secretariat"}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": " "}, "title"),
        ({"body": ""}, "body"),
        ({"audience": "everyone"}, "audience"),
        ({"countries": []}, "countries"),
        ({"countries": ["France"]}, "countries"),
        ({"kb_tier": "public"}, "kb_tier"),
        ({"deadline": dt.date(2000, 1, 1)}, "deadline"),
        ({"network_id": 0}, "network"),
    ],
)
def test_a_bad_question_field_is_named(
    world: World, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(CoordinationInputError) as exc:
        ask(world, **overrides)
    assert exc.value.field == field


def test_answers_cite_decisions_and_documents_the_author_can_read(world: World) -> None:
    question = ask(world)
    published = DecisionFactory(title="Fictional judgment on video evidence")
    draft = DecisionFactory(state="draft", title="Fictional draft")
    fr = world.actors["fr"]
    answer = questions.answer_post(
        actor=fr,
        question=question,
        body="Yes, see this judgment.",
        cites=[f"https://cicnet.example/decisions/{published.uid}/"],
    )
    assert answer.citations == [
        {"kind": "decision", "path": f"/decisions/{published.uid}/", "title": published.title}
    ]
    for bad in (
        f"/decisions/{draft.uid}/",
        "https://elsewhere.example/x",
        "/network/a/documents/999/",
    ):
        with pytest.raises(CoordinationInputError) as exc:
            questions.answer_post(actor=fr, question=question, body="x", cites=[bad])
        assert exc.value.field == "cites"
    reply = questions.answer_post(
        actor=world.actors["de"], question=question, body="Thanks.", cites=[], parent_id=answer.pk
    )
    assert reply.parent_id == answer.pk
    for role in ("nl", "cso", "admin"):
        with pytest.raises(CoordinationDenied):
            questions.answer_post(actor=world.actors[role], question=question, body="x", cites=[])
    with pytest.raises(CoordinationDenied):
        questions.question_mark_answered(actor=fr, question=question)
    questions.question_mark_answered(actor=world.actors["de"], question=question)
    with pytest.raises(CoordinationInputError):
        questions.answer_post(actor=fr, question=question, body="late", cites=[])
    # the knowledge base finds it by a word of an answer
    found = questions.questions_for(actor=world.actors["nl"], q="judgment", answered=True)
    assert list(found) == [question]
    assert not questions.questions_for(actor=world.actors["nl"], q="nothing-like-this").exists()


def test_deadline_reminders_go_once_to_those_asked_who_have_not_answered(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    question = ask(world)
    ask(world, title="Far away", deadline=timezone.localdate() + dt.timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        assert questions.reminders_send(base_url="https://cicnet.example") == 1
    assert len(mail.outbox) == 1
    fr_user = world.users["fr"]
    expected = fr_user.email or fr_user.network_person.email
    assert expected and mail.outbox[0].to == [expected]  # FR only: not DE (asking), not NL
    assert f"https://cicnet.example/coordination/questions/{question.uid}/" in mail.outbox[0].body
    assert question.body not in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        assert questions.reminders_send() == 0
    assert len(mail.outbox) == 1


def test_no_reminder_to_an_authority_that_answered(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    question = ask(world)
    questions.answer_post(actor=world.actors["fr"], question=question, body="Done.", cites=[])
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        questions.reminders_send()
    assert mail.outbox == []


@pytest.mark.parametrize("role", ROLES)
def test_every_question_page_for_every_role(world: World, role: str) -> None:
    question = ask(world)
    members = {"de", "de_colleague", "fr", "nl", "cso", "secretariat", "other_secretariat"}
    askers = members - {"cso"}
    pages = [
        ("get", "/coordination/questions/", {}, members),
        ("get", "/coordination/questions/new/", {}, askers),
        (
            "get",
            f"/coordination/questions/{question.uid}/",
            {},
            {"de", "de_colleague", "fr", "secretariat"},
        ),
        (
            "post",
            f"/coordination/questions/{question.uid}/",
            {"body": "An answer"},
            {"de", "de_colleague", "fr", "secretariat"},
        ),
        ("post", f"/coordination/questions/{question.uid}/answered", {}, {"de", "de_colleague"}),
    ]
    client = world.client(role)
    for method, path, data, allowed in pages:
        response = getattr(client, method)(path, data)
        if role == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        elif role in allowed:
            assert response.status_code in (200, 302), (role, path, response.status_code)
        else:
            assert response.status_code == 404, (role, path, response.status_code)


def test_a_citation_shows_its_title_only_to_readers_who_may_read_what_it_cites(
    world: World,
) -> None:
    question = ask(world)
    cited = DecisionFactory(title="Fictional judgment naming a protected witness")
    questions.answer_post(
        actor=world.actors["fr"],
        question=question,
        body="See this judgment.",
        cites=[f"/decisions/{cited.uid}/"],
    )

    def shown(role: str) -> list[questions.ShownCitation]:
        thread = questions.answers_of(actor=world.actors[role], question=question)
        return [c for answer in thread for c in answer.shown_citations]  # type: ignore[attr-defined]

    assert shown("de") == [
        questions.ShownCitation("decision", f"/decisions/{cited.uid}/", cited.title)
    ]
    # Withdrawn after it was cited: the thread's readers no longer learn its title or link.
    type(cited).objects.filter(pk=cited.pk).update(state="draft")
    assert shown("de") == [questions.ShownCitation("decision", "", "a decision you may not read")]
    page = world.client("de").get(f"/coordination/questions/{question.uid}/")
    assert page.status_code == 200
    assert "a decision you may not read" in page.content.decode()
    assert cited.title not in page.content.decode()
    assert f"/decisions/{cited.uid}/" not in page.content.decode()


def test_a_citation_title_is_masked_like_the_decision_itself(world: World) -> None:
    """A cited decision's title reaches a thread's reader as the reader would read it in the
    database: masked with the names the anonymiser masks ("Karaarslan v. Turkey" is "K. v.
    Turkey" below the Secretariat), never the stored original through the citation."""
    question = ask(world)
    cited = masked_decision("FICT-2019-CITE1")
    questions.answer_post(
        actor=world.actors["fr"],
        question=question,
        body="See this judgment.",
        cites=[f"/decisions/{cited.uid}/"],
    )
    for role in ("de", "fr"):
        thread = questions.answers_of(actor=world.actors[role], question=question)
        (shown,) = [c for answer in thread for c in answer.shown_citations]  # type: ignore[attr-defined]
        assert shown.path == f"/decisions/{cited.uid}/", role
        assert "Karaarslan" not in shown.title and "K. v. Turkey" in shown.title, role
    body = world.client("de").get(f"/coordination/questions/{question.uid}/").content.decode()
    assert "K. v. Turkey" in body and "Karaarslan" not in body


def test_a_question_address_counts_nothing(world: World) -> None:
    """A question's address is a random public id: a counter told a reader how many questions
    (to other countries, to the Secretariat only) had been asked since the last one it read."""
    question = ask(world)
    listing = world.client("fr").get("/coordination/questions/").content.decode()
    links = re.findall(r'href="/coordination/questions/([^/"]+)/"', listing)
    assert [link for link in links if link != "new"] == [question.uid]
    assert re.fullmatch(r"Q-[2-9A-HJKMNP-TV-Z]{10}", question.uid)
    assert world.client("fr").get(f"/coordination/questions/{question.pk}/").status_code == 404


def test_a_question_to_some_countries_reaches_their_practitioners_only(world: World) -> None:
    """A question asked of FR reaches FR's contact points — not NL's contact point who also
    represents a French civil-society organisation in the network, nor one who acts for a
    French authority in another network."""
    question = ask(world, countries=["FR"])
    nl = world.users["nl"]
    person = Membership.objects.get(person__user=nl).person
    french_cso = OrganisationFactory(
        network=world.networks["a"],
        name="Fictional French NGO",
        org_type="civil_society",
        country="FR",
    )
    MembershipFactory(
        person=person,
        network=world.networks["a"],
        organisation=french_cso,
        role="cso_representative",
    )
    french_b = OrganisationFactory(
        network=world.networks["b"],
        name="Fictional Prosecutor FR (B)",
        org_type="national_authority",
        country="FR",
    )
    MembershipFactory(
        person=person,
        network=world.networks["b"],
        organisation=french_b,
        role="national_contact_point",
    )
    actor = policy.actor_for(nl)
    assert questions.question_get(actor=actor, uid=question.uid) is None
    assert world.client("nl").get(f"/coordination/questions/{question.uid}/").status_code == 404
    assert questions.question_get(actor=world.actors["fr"], uid=question.uid) is not None
