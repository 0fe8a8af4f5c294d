"""The ``anonymise`` stage: every ingested text gets suggestions, one pseudonym per person
across the original and its translation, and readers of other tiers get the masked text."""

from __future__ import annotations

from pathlib import Path

from cicnet.access import policy
from cicnet.anonymisation.models import AnonymisedMention, TextAnonymisation
from cicnet.anonymisation.selectors import WITHHELD
from cicnet.anonymisation.sign_off import sign_off_batch
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
