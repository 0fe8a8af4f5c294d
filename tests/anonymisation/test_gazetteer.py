"""Person signals that do not come from the model: the given-name gazetteer and person cues.

Each test runs the real detection on real sentences. Most use a language without a spaCy
pipeline (Dutch, Swedish), where these signals are all there is, so the test fails if they do.
"""

from __future__ import annotations

from cicnet.anonymisation import rules
from cicnet.anonymisation.engine import anonymise
from cicnet.anonymisation.gazetteer import given_name


def persons(text: str, language: str) -> list[str]:
    return [s.text for s in anonymise(text, language=language).spans if s.kind == "PERSON"]


def test_gazetteer_knows_names_of_several_traditions_and_not_ordinary_words() -> None:
    for name in ("Mehmet", "Ayşe", "Şükrü", "Fatima", "Muhammad", "Bronisław", "Volodymyr"):
        assert given_name(name), name
    for name in ("Berivan", "Jean-Pierre", "Pieter", "José", "Lucía"):
        assert given_name(name), name
    for word in ("The", "His", "Judge", "Court", "Justice", "May", "Turkey", "Christian"):
        assert not given_name(word), word


def test_given_name_and_unknown_surname_masked_without_model_or_title() -> None:
    text = "Gisteren verklaarde Józef Polejowski dat Ayşe Kepeneklioğlu daar niet was."
    assert persons(text, "nl") == ["Józef Polejowski", "Ayşe Kepeneklioğlu"]


def test_courts_parties_and_companies_after_a_given_name_are_not_persons() -> None:
    text = (
        "Beslut av Mersin Assize Court och Vienna Regional Court; "
        "Robert Bosch GmbH och Emek Partisi överklagade."
    )
    assert persons(text, "sv") == []


def test_relative_and_naming_cues_mark_the_name_after_them() -> None:
    assert persons("Volgens zijn zoon Rachid en de getuige Uwimana was het zo.", "nl") == [
        "Rachid",
        "Uwimana",
    ]
    found = {m.text for m in rules.find("La nommée Mukamana et le fils Habimana.", "fr")}
    assert {"Mukamana", "Habimana"} <= found


def test_titles_of_languages_without_a_model() -> None:
    assert persons("De heer Jansen en mevrouw De Vries verklaarden dat.", "nl") == [
        "Jansen",
        "De Vries",
    ]
    assert persons("Herr Müller und Frau Schmidt sagten aus.", "de") == ["Müller", "Schmidt"]


def test_german_nouns_after_a_role_word_are_not_names() -> None:
    assert persons("Dem Opfer wurden Schmerzen zugefügt; der Zeuge Aussagen machte.", "de") == []


def test_initial_in_a_sentence_is_a_name_and_at_a_line_start_a_heading() -> None:
    text = "A. Criminal proceedings\n\nIt was agreed between a certain G. Nicolaides and him."
    assert persons(text, "sv") == ["G. Nicolaides"]


def test_slavic_digraph_initial_after_a_title() -> None:
    text = "He was represented by Mr Cz. Sławski, and later by Ms Sz. Nowak."
    assert [m.text for m in rules.find(text, "en") if m.kind == "PERSON"] == [
        "Cz. Sławski",
        "Sz. Nowak",
    ]
