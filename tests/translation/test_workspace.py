"""The translation workspace: statuses, who translated and reviewed, the four-eyes rule,
translation memory, termbase, machine drafts never published unreviewed, publication."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cicnet.access import policy
from cicnet.anonymisation.models import TextAnonymisation
from cicnet.audit.models import AuditEntry
from cicnet.jurisprudence.models import Text
from cicnet.translation import services
from cicnet.translation.memory import suggestions
from cicnet.translation.models import Segment
from cicnet.translation.selectors import workspace_rows

from .conftest import german_decision
from .servers import ETranslationHandler, LibreTranslateHandler, fake_translation, serve

pytestmark = pytest.mark.django_db


def _open(actors: dict[str, policy.Actor], decision: Any, lang: str = "en") -> Any:
    return services.job_open(actor=actors["curator"], decision=decision, target_language=lang)


def _translate_all(actors: dict[str, policy.Actor], job: Any, who: str = "translator") -> None:
    for s in job.segments.all():
        services.segment_save(
            actor=actors[who], segment=s, body=f"EN {s.number}", version=s.version
        )


def test_opening_a_job_makes_one_empty_paragraph_per_original_paragraph(
    team_actors: dict[str, policy.Actor], decision: Any
) -> None:
    job = _open(team_actors, decision)
    assert [(s.number, s.status) for s in job.segments.all()] == [
        (1, "empty"),
        (2, "empty"),
        (3, "empty"),
    ]
    assert job.credit.startswith("Unofficial translation by the Secretariat")
    assert AuditEntry.objects.filter(action="translation.job_open", object_id=decision.uid).exists()


def test_a_job_into_the_originals_language_is_refused(
    team_actors: dict[str, policy.Actor], decision: Any
) -> None:
    with pytest.raises(services.TranslationError, match="already in de"):
        _open(team_actors, decision, "de")


def test_translator_saves_then_another_reviewer_approves(
    team: dict[str, Any], team_actors: dict[str, policy.Actor], decision: Any
) -> None:
    job = _open(team_actors, decision)
    seg = job.segments.get(number=2)
    saved = services.segment_save(
        actor=team_actors["translator"], segment=seg, body="Crimes against humanity.", version=1
    )
    assert saved.status == "translated" and saved.translated_by == team["translator"]
    assert saved.translated_at is not None
    reviewed = services.segment_review(
        actor=team_actors["reviewer"], segment=saved, version=saved.version
    )
    assert reviewed.status == "reviewed" and reviewed.reviewed_by == team["reviewer"]


def test_reviewer_cannot_approve_their_own_translation(
    team_actors: dict[str, policy.Actor], decision: Any
) -> None:
    job = _open(team_actors, decision)
    seg = services.segment_save(
        actor=team_actors["reviewer"], segment=job.segments.get(number=1), body="x", version=1
    )
    with pytest.raises(services.TranslationError, match="you translated it"):
        services.segment_review(actor=team_actors["reviewer"], segment=seg, version=seg.version)
    done = services.segment_review(actor=team_actors["reviewer2"], segment=seg, version=seg.version)
    assert done.status == "reviewed"


def test_translator_without_reviewer_role_cannot_approve(
    team_actors: dict[str, policy.Actor], decision: Any
) -> None:
    job = _open(team_actors, decision)
    seg = services.segment_save(
        actor=team_actors["reviewer"], segment=job.segments.get(number=1), body="x", version=1
    )
    with pytest.raises(services.TranslationDenied):
        services.segment_review(actor=team_actors["translator"], segment=seg, version=seg.version)


def test_editing_a_reviewed_paragraph_voids_the_review(
    team_actors: dict[str, policy.Actor], decision: Any
) -> None:
    job = _open(team_actors, decision)
    seg = services.segment_save(
        actor=team_actors["translator"], segment=job.segments.get(number=1), body="a", version=1
    )
    seg = services.segment_review(actor=team_actors["reviewer"], segment=seg, version=seg.version)
    seg = services.segment_save(
        actor=team_actors["translator"], segment=seg, body="b", version=seg.version
    )
    assert seg.status == "translated" and seg.reviewed_by is None


def test_a_stale_form_is_refused_and_nothing_written(
    team_actors: dict[str, policy.Actor], decision: Any
) -> None:
    job = _open(team_actors, decision)
    seg = job.segments.get(number=1)
    services.segment_save(actor=team_actors["translator"], segment=seg, body="first", version=1)
    with pytest.raises(services.TranslationError, match="changed by someone else"):
        services.segment_save(actor=team_actors["reviewer"], segment=seg, body="second", version=1)
    assert Segment.objects.get(pk=seg.pk).body == "first"


def test_publication_waits_for_every_paragraph_to_be_reviewed(
    team_actors: dict[str, policy.Actor], decision: Any
) -> None:
    job = _open(team_actors, decision)
    _translate_all(team_actors, job)
    first = job.segments.get(number=1)
    services.segment_review(actor=team_actors["reviewer"], segment=first, version=first.version)
    with pytest.raises(services.TranslationError, match="not yet: ¶2, ¶3"):
        services.job_publish(actor=team_actors["curator"], job=job)
    assert not decision.texts.filter(language="en").exists()


def test_published_translation_is_an_unofficial_credited_text_awaiting_sign_off(
    team_actors: dict[str, policy.Actor], decision: Any
) -> None:
    job = _open(team_actors, decision)
    _translate_all(team_actors, job)
    for s in job.segments.all():
        services.segment_review(actor=team_actors["reviewer"], segment=s, version=s.version)
    text = services.job_publish(actor=team_actors["curator"], job=job)
    assert text.provenance == "human" and text.unofficial and not text.is_original
    assert text.translator == job.credit
    assert text.kind_label == "Human translation (unofficial)"
    assert list(text.paragraphs.values_list("number", "body")) == [
        (1, "EN 1"),
        (2, "EN 2"),
        (3, "EN 3"),
    ]
    record = TextAnonymisation.objects.get(text=text)
    assert record.signed_off_at is None  # withheld below the Secretariat until signed off
    with pytest.raises(services.TranslationError, match="already published"):
        services.job_publish(actor=team_actors["curator"], job=job)


def test_machine_draft_fills_only_empty_paragraphs_and_is_never_publishable_unreviewed(
    settings: Any, team_actors: dict[str, policy.Actor], decision: Any
) -> None:
    settings.CICNET_MT_ENGINE = "libretranslate"
    job = _open(team_actors, decision)
    mine = services.segment_save(
        actor=team_actors["translator"], segment=job.segments.get(number=1), body="Mine.", version=1
    )
    with serve(LibreTranslateHandler) as url:
        settings.CICNET_LIBRETRANSLATE_URL = url
        done = services.machine_draft(actor=team_actors["translator"], job=job, numbers=[])
    assert (done.drafted, done.skipped) == (2, 1)
    two = Segment.objects.get(job=job, number=2)
    assert two.status == "machine" and two.body == fake_translation(two.source_body, "en")
    assert two.machine_engine == "Rough machine draft (LibreTranslate)"
    assert Segment.objects.get(pk=mine.pk).body == "Mine."
    with pytest.raises(services.TranslationError, match="not translated yet"):
        services.segment_review(actor=team_actors["reviewer"], segment=two, version=two.version)
    with pytest.raises(services.TranslationError, match="reviewed before publication"):
        services.job_publish(actor=team_actors["curator"], job=job)


def test_etranslation_draft_arrives_by_signed_callback(
    settings: Any, client: Client, team_actors: dict[str, policy.Actor], decision: Any
) -> None:
    job = _open(team_actors, decision)
    ETranslationHandler.requests = []
    with serve(ETranslationHandler) as url:
        settings.CICNET_MT_ENGINE = "etranslation"
        settings.CICNET_ETRANSLATION_URL = url
        settings.CICNET_ETRANSLATION_APPLICATION = "cicnet-app"
        settings.CICNET_ETRANSLATION_PASSWORD = "s3cret"
        settings.CICNET_ETRANSLATION_USERNAME = "secretariat"
        settings.CICNET_ETRANSLATION_CALLBACK_BASE = "https://cicnet.example"
        done = services.machine_draft(actor=team_actors["translator"], job=job, numbers=[2])
    assert done.requested == 1
    sent = ETranslationHandler.requests[0]
    forged = client.post(
        "/translation/etranslation/done/",
        {
            "request-id": sent["request-id"],
            "target-language": "EN",
            "translated-text": "forged",
            "external-reference": sent["externalReference"][:-1] + "0",
        },
    )
    assert forged.status_code == 200
    assert Segment.objects.get(job=job, number=2).status == "empty"
    answer = client.post(
        "/translation/etranslation/done/",
        {
            "request-id": sent["request-id"],
            "target-language": "EN",
            "translated-text": "The accused is guilty of crimes against humanity.",
            "external-reference": sent["externalReference"],
        },
    )
    assert answer.status_code == 200
    seg = Segment.objects.get(job=job, number=2)
    assert seg.status == "machine" and seg.body.startswith("The accused")
    assert seg.machine_engine == "Rough machine draft (eTranslation)"


def test_translation_memory_offers_an_earlier_translation_of_a_similar_paragraph(
    team_actors: dict[str, policy.Actor], decision: Any
) -> None:
    earlier = _open(team_actors, german_decision("de-olg-2021"))
    seg = earlier.segments.get(number=3)
    services.segment_save(
        actor=team_actors["translator"],
        segment=seg,
        body="The defendant bears the costs of the proceedings.",
        version=seg.version,
    )
    job = _open(team_actors, decision)
    target = job.segments.get(number=3)
    found = suggestions(actor=team_actors["translator"], segment=target)
    assert found and found[0].similarity == 1.0
    assert found[0].target == "The defendant bears the costs of the proceedings."
    assert found[0].decision_uid == "de-olg-2021"
    # similar, not identical
    target.source_body = "Die Kosten des Verfahrens trägt die Angeklagte."
    target.source_hash = services.normalised_hash(target.source_body)
    fuzzy = suggestions(actor=team_actors["translator"], segment=target)
    assert fuzzy and 0.6 <= fuzzy[0].similarity < 1.0
    # nobody without the workspace gets anything from it
    assert suggestions(actor=team_actors["member"], segment=target) == []


def test_termbase_hit_is_highlighted_with_its_english_term_and_statute(
    team_actors: dict[str, policy.Actor], decision: Any
) -> None:
    job = _open(team_actors, decision)
    rows = workspace_rows(actor=team_actors["translator"], job=job)
    hits = rows[1].hits
    assert [h.term.term for h in hits] == ["Verbrechen gegen die Menschlichkeit"]
    assert [e.term for e in hits[0].equivalents] == ["crimes against humanity"]
    assert "§ 321a" in hits[0].term.source.label and "Strafgesetzbuch" in hits[0].term.source.label
    assert any(p.hit is not None for p in rows[1].source)


def test_member_holding_a_translator_role_may_do_nothing(
    team_actors: dict[str, policy.Actor], decision: Any
) -> None:
    actor = team_actors["member_translator"]
    assert not policy.can_translate(actor) and not policy.can_use_workspace(actor)
    job = _open(team_actors, decision)
    with pytest.raises(services.TranslationDenied):
        services.segment_save(actor=actor, segment=job.segments.get(number=1), body="x", version=1)


def test_only_curators_publish(team_actors: dict[str, policy.Actor], decision: Any) -> None:
    job = _open(team_actors, decision)
    for who in ("member", "anonymous", "member_translator"):
        with pytest.raises(services.TranslationDenied):
            services.job_publish(actor=team_actors[who], job=job)
    assert not Text.objects.filter(decision=decision, language="en").exists()


def test_an_original_without_paragraphs_cannot_be_translated(
    team_actors: dict[str, policy.Actor],
) -> None:
    from tests.factories import DecisionFactory, TextFactory

    empty = DecisionFactory(uid="de-empty", country="DE")
    TextFactory(decision=empty, language="de")
    with pytest.raises(services.TranslationError, match="no paragraphs to translate"):
        _open(team_actors, empty)
