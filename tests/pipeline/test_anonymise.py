"""The ``anonymise`` stage: every ingested text gets suggestions, one pseudonym per person
across the original and its translation, and readers of other tiers get the masked text."""

from __future__ import annotations

import shutil
from pathlib import Path

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
    # the new suggestions wait for a new sign-off: the text is withheld again until then
    assert record.signed_off_at is None


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
