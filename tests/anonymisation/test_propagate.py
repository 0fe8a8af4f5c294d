"""An original without a language model takes its persons from the English translation."""

from __future__ import annotations

from cicnet.anonymisation.engine import anonymise
from cicnet.anonymisation.grouping import Grouper
from cicnet.anonymisation.propagate import anonymise_original

ENGLISH = (
    "The accused Anwar Raslan was head of investigations. Witness Eyad Darwish testified "
    "that Raslan ordered the beatings."
)
GERMAN = (
    "Der Angeklagte Anwar Raslan leitete die Ermittlungen. Der Zeuge Eyad Darwish sagte aus, "
    "dass Raslan die Schläge anordnete. Darwish wohnt heute in Köln."
)


def test_persons_of_the_translation_are_masked_in_the_original_with_the_same_pseudonyms() -> None:
    grouper = Grouper()
    english = anonymise(ENGLISH, policy="strict", grouper=grouper)
    german = anonymise_original(GERMAN, language="de", translation=english, grouper=grouper)
    masked = german.anonymised_text()
    for name in ("Anwar", "Raslan", "Eyad", "Darwish"):
        assert name not in masked
    pseudonyms_en = {e.pseudonym for e in english.entities if e.kind == "PERSON"}
    pseudonyms_de = {e.pseudonym for e in german.entities if e.kind == "PERSON"}
    assert pseudonyms_de == pseudonyms_en == {"[accused]", "[witness 1]"}
    # no model for German: a human must still look, and the note says what was carried over
    assert any("'de'" in reason for reason in german.review)
    assert any("carried over" in reason for reason in german.review)


def test_a_name_absent_from_the_translation_is_not_invented() -> None:
    grouper = Grouper()
    english = anonymise("The accused Anwar Raslan was arrested.", grouper=grouper)
    german = anonymise_original(
        "Der Angeklagte Anwar Raslan wurde verhaftet.",
        language="de",
        translation=english,
        grouper=grouper,
    )
    assert german.anonymised_text() == "Der Angeklagte [accused] wurde verhaftet."
