"""Every translation page and endpoint, for every role: who gets it, who gets 404 (deny by
default), and that a page never shows a decision its reader may not see."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cicnet.access import policy
from cicnet.translation import alignments, services
from cicnet.translation.models import Alignment, Segment, TranslationJob

from .conftest import german_decision

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "member", "member_translator", "curator", "translator", "reviewer", "admin")
# Who may use the workspace at all (GET pages): the Secretariat (curators, admins) and those of
# it who translate. A member holding a translator role sees nothing.
WORKSPACE = {"curator", "translator", "reviewer", "admin"}


def _client(team: dict[str, Any], who: str) -> Client:
    c = Client()
    if who != "anonymous":
        c.force_login(team[who])
    return c


@pytest.fixture
def job(team_actors: dict[str, policy.Actor], decision: Any) -> TranslationJob:
    return services.job_open(actor=team_actors["curator"], decision=decision, target_language="en")


@pytest.fixture
def alignment(team_actors: dict[str, policy.Actor]) -> Alignment:
    decision = german_decision("de-align-1")
    data = "\n\n".join(
        [
            "The Higher Regional Court of Koblenz convicted the accused on 13 January 2022.",
            "The accused is guilty of crimes against humanity in 27 cases under § 7 VStGB.",
            "The accused bears the costs of the proceedings.",
        ]
    ).encode()
    return alignments.alignment_create(
        actor=team_actors["curator"],
        decision=decision,
        filename="judgment.en.txt",
        data=data,
        language="en",
    )


@pytest.mark.parametrize("who", ROLES)
def test_translation_home(team: dict[str, Any], job: TranslationJob, who: str) -> None:
    response = _client(team, who).get("/translation/")
    assert response.status_code == (200 if who in WORKSPACE else 404)
    if who in WORKSPACE:
        assert job.decision.title in response.content.decode()


@pytest.mark.parametrize("who", ROLES)
def test_workspace_page(team: dict[str, Any], job: TranslationJob, who: str) -> None:
    response = _client(team, who).get(f"/translation/jobs/{job.pk}/")
    assert response.status_code == (200 if who in WORKSPACE else 404)
    if who in WORKSPACE:
        page = response.content.decode()
        assert 'data-testid="term"' in page  # the termbase hit is highlighted
        assert ('data-testid="save"' in page) == (who in {"translator", "reviewer"})
        assert ('data-testid="publish"' in page) == (
            who in {"curator", "admin", "translator", "reviewer"}
        )


@pytest.mark.parametrize("who", ROLES)
def test_segment_save_endpoint(team: dict[str, Any], job: TranslationJob, who: str) -> None:
    response = _client(team, who).post(
        f"/translation/jobs/{job.pk}/paragraphs/1/save/", {"body": "Text.", "version": "1"}
    )
    may = who in {"translator", "reviewer"}
    assert response.status_code == (302 if may else 404)
    assert (Segment.objects.get(job=job, number=1).status == "translated") == may


@pytest.mark.parametrize("who", ROLES)
def test_segment_review_endpoint(
    team: dict[str, Any], team_actors: dict[str, policy.Actor], job: TranslationJob, who: str
) -> None:
    seg = services.segment_save(
        actor=team_actors["translator"], segment=job.segments.get(number=1), body="x", version=1
    )
    response = _client(team, who).post(
        f"/translation/jobs/{job.pk}/paragraphs/1/review/", {"version": str(seg.version)}
    )
    may = who == "reviewer"
    if who in WORKSPACE:
        assert response.status_code in (302, 404)
    else:
        assert response.status_code == 404
    assert (Segment.objects.get(pk=seg.pk).status == "reviewed") == may


@pytest.mark.parametrize("who", ROLES)
def test_machine_draft_endpoint(
    settings: Any, team: dict[str, Any], job: TranslationJob, who: str
) -> None:
    settings.CICNET_MT_ENGINE = "none"
    response = _client(team, who).post(f"/translation/jobs/{job.pk}/draft/", {}, follow=True)
    if who in {"translator", "reviewer"}:
        assert "CICNET_MT_ENGINE=none" in response.content.decode()
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("who", ROLES)
def test_publish_endpoint(
    team: dict[str, Any], team_actors: dict[str, policy.Actor], job: TranslationJob, who: str
) -> None:
    for s in job.segments.all():
        s = services.segment_save(
            actor=team_actors["translator"], segment=s, body=f"P{s.number}", version=s.version
        )
        services.segment_review(actor=team_actors["reviewer"], segment=s, version=s.version)
    response = _client(team, who).post(f"/translation/jobs/{job.pk}/publish/")
    may = who in {"curator", "admin", "translator", "reviewer"}  # all Secretariat curators
    assert response.status_code == (302 if may else 404)
    assert job.decision.texts.filter(language="en").exists() == may


@pytest.mark.parametrize("who", ROLES)
def test_job_open_endpoint(team: dict[str, Any], decision: Any, who: str) -> None:
    response = _client(team, who).post(
        "/translation/jobs/", {"decision": decision.uid, "target_language": "fr"}
    )
    may = who in {"curator", "admin", "translator", "reviewer"}
    assert response.status_code == (302 if may else 404)
    assert TranslationJob.objects.filter(decision=decision, target_language="fr").exists() == may


@pytest.mark.parametrize("who", ROLES)
def test_alignment_page_and_corrections(
    team: dict[str, Any], alignment: Alignment, who: str
) -> None:
    c = _client(team, who)
    may = who in {"curator", "admin", "translator", "reviewer"}
    page = c.get(f"/translation/alignments/{alignment.pk}/")
    assert page.status_code == (200 if may else 404)
    before = list(alignment.pairs.values_list("original_numbers", "translation_indices"))
    fix = c.post(
        f"/translation/alignments/{alignment.pk}/correct/", {"position": "0", "action": "merge"}
    )
    assert fix.status_code == (302 if may else 404)
    after = list(alignment.pairs.values_list("original_numbers", "translation_indices"))
    assert (after != before) == may


def test_alignment_pairs_original_and_translation_side_by_side(
    team: dict[str, Any], alignment: Alignment
) -> None:
    pairs = list(alignment.pairs.values_list("original_numbers", "translation_indices"))
    assert pairs == [([1], [0]), ([2], [1]), ([3], [2])]
    page = _client(team, "curator").get(f"/translation/alignments/{alignment.pk}/").content.decode()
    assert "Das Oberlandesgericht Koblenz" in page and "Higher Regional Court" in page


def test_alignment_correct_then_publish_gives_numbered_translation(
    team: dict[str, Any], team_actors: dict[str, policy.Actor], alignment: Alignment
) -> None:
    c = _client(team, "curator")
    c.post(
        f"/translation/alignments/{alignment.pk}/correct/",
        {"position": "1", "action": "shift_down"},
    )
    pairs = list(
        alignment.pairs.values_list("original_numbers", "translation_indices", "corrected")
    )
    assert pairs[1] == ([2], [], True) and pairs[2] == ([3], [1, 2], True)
    c.post(
        f"/translation/alignments/{alignment.pk}/correct/", {"position": "1", "action": "shift_up"}
    )
    response = c.post(f"/translation/alignments/{alignment.pk}/publish/")
    assert response.status_code == 302
    text = alignment.decision.texts.get(language="en")
    assert text.unofficial and text.provenance == "human"
    assert list(text.paragraphs.values_list("number", flat=True)) == [1, 2, 3]
    assert text.paragraphs.get(number=2).body.startswith("The accused is guilty")


def test_bad_correction_names_the_parameter(team: dict[str, Any], alignment: Alignment) -> None:
    response = _client(team, "curator").post(
        f"/translation/alignments/{alignment.pk}/correct/",
        {"position": "x", "action": "merge"},
        follow=True,
    )
    assert "position: expected a whole number" in response.content.decode()


def test_hidden_decision_cannot_be_translated_by_guessing_its_uid(
    team: dict[str, Any], team_actors: dict[str, policy.Actor]
) -> None:
    # The Secretariat sees every tier; a member who guesses a uid gets the same 404 as for none.
    hidden = german_decision("de-secret", access="secretariat")
    response = _client(team, "member").post(
        "/translation/jobs/", {"decision": hidden.uid, "target_language": "en"}
    )
    assert response.status_code == 404
    assert not TranslationJob.objects.filter(decision=hidden).exists()


def test_etranslation_callback_is_open_but_fills_nothing_without_a_valid_reference(
    client: Client, job: TranslationJob
) -> None:
    response = client.post(
        "/translation/etranslation/done/",
        {"request-id": "1", "translated-text": "x", "external-reference": "1.nothing"},
    )
    assert response.status_code == 200
    assert not Segment.objects.filter(job=job).exclude(status="empty").exists()


def test_workspace_queries_do_not_grow_with_paragraphs(
    team: dict[str, Any], team_actors: dict[str, policy.Actor], django_assert_max_num_queries: Any
) -> None:
    from tests.factories import DecisionFactory, ParagraphFactory, TextFactory

    decision = DecisionFactory(uid="de-long", country="DE")
    text = TextFactory(decision=decision, language="de")
    for n in range(1, 61):
        ParagraphFactory(text=text, number=n, body=f"Absatz {n}: Die Kosten trägt der Angeklagte.")
    job = services.job_open(actor=team_actors["curator"], decision=decision, target_language="en")
    c = _client(team, "translator")
    with django_assert_max_num_queries(15):
        assert c.get(f"/translation/jobs/{job.pk}/").status_code == 200


def test_etranslation_callback_is_reachable_with_the_second_factor_on(
    settings: Any, client: Client
) -> None:
    settings.CICNET_REQUIRE_2FA = True
    response = client.post("/translation/etranslation/error/", {"external-reference": "x"})
    assert response.status_code == 200 and response.content == b"OK"
