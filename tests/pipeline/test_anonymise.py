"""The ``anonymise`` stage: every ingested text gets suggestions, one pseudonym per person
across the original and its translation, and readers of other tiers get the masked text."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

import cicnet.anonymisation as anonymisation_package
from cicnet.access import policy
from cicnet.anonymisation.models import AnonymisedMention, TextAnonymisation
from cicnet.anonymisation.selectors import WITHHELD
from cicnet.anonymisation.sign_off import sign_off_batch
from cicnet.anonymisation.version import DATA_FOLDERS, RULES_REVISION, engine_version, fingerprint
from cicnet.jurisprudence.models import Decision
from cicnet.jurisprudence.selectors import decision_get
from cicnet.pipeline.models import StageRun
from cicnet.pipeline.runner import ingest_path
from tests.factories import UserFactory

ENGLISH = (
    "<html><body><p>1. The accused Anwar Raslan is guilty of a crime against humanity.</p>"
    "<p>2. The witness Eyad Darwish testified that Raslan ordered the beatings in Douma.</p>"
    "</body></html>"
)
GERMAN = (
    "1. Der Angeklagte Anwar Raslan ist eines Verbrechens gegen die Menschlichkeit schuldig.\n\n"
    "2. Der Zeuge Eyad Darwish sagte aus, dass Raslan die Schläge anordnete.\n"
)


def test_ingested_texts_are_anonymised_consistently_across_languages(
    good_dir: Path, db: None
) -> None:
    (good_dir / "de-olg-example-2022.en.html").write_text(ENGLISH, encoding="utf-8")
    (good_dir / "de-olg-example-2022.de.txt").write_text(GERMAN, encoding="utf-8")
    report = ingest_path(good_dir / "de-olg-example-2022.yaml")
    assert report.ok, report.failed
    uid = report.results[0].uid
    assert StageRun.objects.filter(decision_uid=uid, stage="anonymise", status="ok").exists()
    records = {
        a.text.language: a for a in TextAnonymisation.objects.filter(text__decision__uid=uid)
    }
    assert set(records) == {"de", "en"}
    # German has no model here: its persons come from the English translation, flagged
    assert any("carried over" in reason for reason in records["de"].review)
    # the publication policy: both persons, all three mentions; "Douma", where the crime took
    # place, stays readable as no rule ties it to a protected person
    assert AnonymisedMention.objects.filter(entity__anonymisation=records["en"]).count() == 3
    assert {a.policy for a in records.values()} == {"publication"}

    def pseudonyms(language: str) -> set[str]:
        return set(
            records[language].entities.filter(kind="PERSON").values_list("pseudonym", flat=True)
        )

    assert pseudonyms("de") == pseudonyms("en") == {"Anwar R.", "[witness 1]"}

    def shown() -> str:
        decision = decision_get(actor=policy.ANONYMOUS, uid=uid)
        assert decision is not None
        return " ".join(p.body for t in decision.texts.all() for p in t.paragraphs.all())

    # The fixture publishes it (state: published), yet nobody signed the anonymisation off.
    assert "Raslan" not in shown() and "Anwar R." not in shown() and WITHHELD in shown()
    curator = policy.actor_for(UserFactory(username="bulk-signer", role="curator"))
    signed = sign_off_batch(actor=curator, decisions=[Decision.objects.get(uid=uid)], batch="t")
    assert signed.signed_off == [uid]
    assert "Raslan" not in shown() and "Darwish" not in shown() and "Anwar R." in shown()


def test_a_new_anonymiser_version_re_anonymises_unchanged_files(
    good_dir: Path, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 16: a change of the rules or of a policy must reach the texts already stored. The
    # stage's version is the anonymiser's (rules revision + fingerprint of policies, word lists
    # and models); a text anonymised by another version is stale and the next run redoes it.
    from cicnet.pipeline.anonymise import Anonymise

    (good_dir / "de-olg-example-2022.en.html").write_text(ENGLISH, encoding="utf-8")
    meta = good_dir / "de-olg-example-2022.yaml"
    uid = ingest_path(meta).results[0].uid
    record = TextAnonymisation.objects.get(text__decision__uid=uid, text__language="en")
    assert record.engine_version == Anonymise.version == engine_version()
    assert ingest_path(meta).counts == {"unchanged": 1}  # same files, same version: skipped

    curator = policy.actor_for(UserFactory(username="signer", role="curator"))
    sign_off_batch(actor=curator, decisions=[Decision.objects.get(uid=uid)], batch="v1")
    changed = f"{RULES_REVISION}.{'0' * 12}"  # what an edited policy file gives (test below)
    monkeypatch.setattr(Anonymise, "version", changed)
    assert ingest_path(meta).counts == {"updated": 1}
    record = TextAnonymisation.objects.get(text__decision__uid=uid, text__language="en")
    assert record.engine_version == changed
    assert StageRun.objects.filter(decision_uid=uid, stage="anonymise", version=changed).exists()
    # The new version suggests exactly what the old one did for the same text: the sign-off
    # is carried over (audited); any difference withdraws it (the tests below).
    assert record.signed_off_at is not None and record.sign_off_batch == "v1"
    from cicnet.audit.models import AuditEntry

    carried = AuditEntry.objects.filter(action="anonymisation.sign_off_carried", object_id=uid)
    assert {e.changes["text"] for e in carried} == {"en", "de"}
    assert {e.changes["to_version"] for e in carried} == {changed}


def _signed_off_and_reingested(
    good_dir: Path, monkeypatch: pytest.MonkeyPatch, change: Any
) -> TextAnonymisation:
    """Ingest, sign off in bulk, apply ``change`` (a curator's edit or a new file), then
    re-ingest under a new anonymiser version; returns the English text's new anonymisation."""
    from cicnet.pipeline.anonymise import Anonymise

    (good_dir / "de-olg-example-2022.en.html").write_text(ENGLISH, encoding="utf-8")
    meta = good_dir / "de-olg-example-2022.yaml"
    uid = ingest_path(meta).results[0].uid
    curator = policy.actor_for(UserFactory(username="signer", role="curator"))
    sign_off_batch(actor=curator, decisions=[Decision.objects.get(uid=uid)], batch="v1")
    change(curator, Decision.objects.get(uid=uid), good_dir)
    monkeypatch.setattr(Anonymise, "version", f"{RULES_REVISION}.{'1' * 12}")
    assert ingest_path(meta).counts == {"updated": 1}
    return TextAnonymisation.objects.get(text__decision__uid=uid, text__language="en")


def test_a_reviewers_rejection_is_carried_with_the_sign_off(
    good_dir: Path, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cicnet.anonymisation import workbench

    rejected: dict[str, Any] = {}

    def reject_one(curator: policy.Actor, decision: Decision, _: Path) -> None:
        mention = AnonymisedMention.objects.filter(
            entity__anonymisation__text__decision=decision,
            entity__anonymisation__text__language="en",
        ).order_by("paragraph_number", "start")[0]
        workbench.set_mention_status(
            actor=curator, decision=decision, mention_id=mention.pk, status="rejected"
        )
        rejected["key"] = (mention.paragraph_number, mention.start, mention.end)
        workbench.sign_off(actor=curator, decision=decision)  # the change withdrew it

    record = _signed_off_and_reingested(good_dir, monkeypatch, reject_one)
    assert record.signed_off_at is not None
    statuses = {
        (m.paragraph_number, m.start, m.end): m.status
        for m in AnonymisedMention.objects.filter(entity__anonymisation=record)
    }
    assert statuses.pop(rejected["key"]) == "rejected"
    assert set(statuses.values()) == {"accepted"}


def test_a_hand_added_mask_needs_a_new_sign_off(
    good_dir: Path, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cicnet.anonymisation import workbench

    def add_mask(curator: policy.Actor, decision: Decision, _: Path) -> None:
        text = decision.texts.get(language="en")
        body = text.paragraphs.get(number=2).body
        start = body.index("Douma")
        workbench.add_mention(
            actor=curator,
            decision=decision,
            text_id=text.pk,
            paragraph=2,
            start=start,
            end=start + len("Douma"),
            kind="LOC",
        )
        workbench.sign_off(actor=curator, decision=decision)  # the change withdrew it

    assert _signed_off_and_reingested(good_dir, monkeypatch, add_mask).signed_off_at is None


def test_a_renamed_pseudonym_needs_a_new_sign_off(
    good_dir: Path, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cicnet.anonymisation import workbench
    from cicnet.anonymisation.models import AnonymisedEntity

    def rename(curator: policy.Actor, decision: Decision, _: Path) -> None:
        witness = AnonymisedEntity.objects.get(
            anonymisation__text__decision=decision,
            anonymisation__text__language="en",
            pseudonym="[witness 1]",
        )
        workbench.set_pseudonym(
            actor=curator, decision=decision, entity_id=witness.pk, pseudonym="[witness Z]"
        )
        workbench.sign_off(actor=curator, decision=decision)  # the change withdrew it

    assert _signed_off_and_reingested(good_dir, monkeypatch, rename).signed_off_at is None


def test_a_changed_text_needs_a_new_sign_off(
    good_dir: Path, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def new_file(curator: policy.Actor, decision: Decision, folder: Path) -> None:
        (folder / "de-olg-example-2022.en.html").write_text(
            ENGLISH.replace("in Douma", "in Douma, as his brother Omar Darwish also said"),
            encoding="utf-8",
        )

    assert _signed_off_and_reingested(good_dir, monkeypatch, new_file).signed_off_at is None


def test_editing_a_policy_file_changes_the_anonymiser_version(tmp_path: Path) -> None:
    package = Path(anonymisation_package.__file__).parent
    for folder in DATA_FOLDERS:
        shutil.copytree(package / folder, tmp_path / folder)
    assert fingerprint(tmp_path) == fingerprint()  # the copy is the installed data
    policy_file = tmp_path / "policies" / "publication.yaml"
    policy_file.write_text(
        policy_file.read_text("utf-8").replace("  - large_cities\n", ""), encoding="utf-8"
    )
    assert fingerprint(tmp_path) != fingerprint()
    words = tmp_path / "data" / "professions.txt"
    before = fingerprint(tmp_path)
    words.write_text(words.read_text("utf-8") + "shepherd\n", encoding="utf-8")
    assert fingerprint(tmp_path) != before
    assert len(engine_version()) <= 20 and engine_version().startswith(f"{RULES_REVISION}.")
