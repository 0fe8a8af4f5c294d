"""Detection, grouping into entities and pseudonyms, under each shipped policy."""

from __future__ import annotations

from cicnet.anonymisation.engine import anonymise
from cicnet.anonymisation.grouping import Grouper

RASLAN = (
    "The accused Anwar Raslan was head of investigations at Branch 251 in Damascus. "
    "Witness Eyad Darwish testified on 4 June 2020 that Raslan ordered the beatings. "
    "Mr R. denied it. The witness D. was born in 1976 in Douma."
)


def spans_of(result, text):  # type: ignore[no-untyped-def]
    return {text[s.start : s.end]: s for s in result.spans}


def test_full_name_surname_and_initial_are_one_entity_with_one_pseudonym() -> None:
    result = anonymise(RASLAN, policy="strict")
    spans = spans_of(result, RASLAN)
    ids = {spans["Anwar Raslan"].entity_id, spans["Raslan"].entity_id, spans["R."].entity_id}
    assert len(ids) == 1
    raslan = result.entity(ids.pop())
    assert raslan.kind == "PERSON"
    assert len(raslan.mentions) == 3
    # Darwish and "D." are one other person
    assert spans["Eyad Darwish"].entity_id == spans["D."].entity_id != raslan.id
    masked = result.anonymised_text()
    assert "Raslan" not in masked and "Darwish" not in masked and "R." not in masked
    assert masked.count(raslan.pseudonym) == 3


def test_an_initial_shared_by_two_surnames_is_not_guessed() -> None:
    text = "Anwar Raslan and Rami Rustom were tried together. Mr R. denied it."
    result = anonymise(text, policy="strict")
    spans = spans_of(result, text)
    assert spans["R."].entity_id not in {
        spans["Anwar Raslan"].entity_id,
        spans["Rami Rustom"].entity_id,
    }


def test_strict_policy_uses_role_placeholders_and_masks_dates_places_numbers() -> None:
    result = anonymise(RASLAN, policy="strict")
    masked = result.anonymised_text()
    assert "[accused]" in masked
    assert "[witness 1]" in masked
    for secret in ("4 June 2020", "1976", "Douma", "Damascus"):
        assert secret not in masked


def test_initials_policy_writes_german_style_names_and_keeps_dates() -> None:
    text = "The accused Anwar Raslan met Taha Al-Jumaili in Berlin on 2 May 2019. Raslan left."
    result = anonymise(text, policy="initials")
    masked = result.anonymised_text()
    assert "Anwar R." in masked
    assert "Taha A.-J." in masked
    assert "2 May 2019" in masked  # the initials policy does not mask dates
    assert "Raslan" not in masked


def test_placeholders_policy_names_people_by_their_role() -> None:
    result = anonymise(RASLAN, policy="placeholders")
    masked = result.anonymised_text()
    assert "[accused]" in masked and "[witness 1]" in masked
    assert "Raslan" not in masked


def test_officials_are_kept_under_initials_but_masked_under_strict() -> None:
    text = "The court, presided over by Judge Anne Kerber, heard the accused Anwar Raslan."
    kept = anonymise(text, policy="initials").anonymised_text()
    strict = anonymise(text, policy="strict").anonymised_text()
    assert "Kerber" in kept and "Raslan" not in kept
    assert "Kerber" not in strict


def test_one_grouper_gives_the_same_pseudonym_in_original_and_translation() -> None:
    grouper = Grouper()
    english = anonymise("The accused Anwar Raslan was arrested.", grouper=grouper)
    french = anonymise("L’accusé Anwar Raslan a été arrêté.", language="fr", grouper=grouper)
    assert english.entities[0].pseudonym == french.entities[0].pseudonym


def test_a_language_without_a_model_is_flagged_for_review_and_rules_still_apply() -> None:
    text = "Herr Dr. Anwar Raslan wurde am 4. Juni 2020 in Koblenz verurteilt (12/3456)."
    result = anonymise(text, policy="strict", language="de")
    assert result.review and "'de'" in result.review[0]
    assert "12/3456" not in result.anonymised_text()


def test_respondent_state_and_public_bodies_are_kept_private_places_masked() -> None:
    text = (
        "The case originated in an application (no. 18403/91) against the Republic of Turkey "
        "lodged by Mrs Anna Christou. The Turkish Government were represented by their Agent. "
        "The applicant lives in Kalogrea. The Constitutional Court dismissed her appeal."
    )
    masked = anonymise(text, policy="strict").anonymised_text()
    assert "Republic of Turkey" in masked
    assert "Turkish Government" in masked
    assert "Constitutional Court" in masked
    for secret in ("18403/91", "Christou", "Kalogrea"):
        assert secret not in masked


def test_spans_carry_confidence_and_entities_carry_pseudonyms() -> None:
    result = anonymise(RASLAN, policy="strict")
    assert all(0 < s.confidence <= 1 for s in result.spans)
    assert all(e.pseudonym for e in result.entities)
    assert {s.entity_id for s in result.spans} == {e.id for e in result.entities}


def test_initial_and_surname_is_a_person_but_a_lettered_heading_is_not() -> None:
    text = (
        "The Government were represented by G. Berry, Ministry of Health.\n"
        "A. Criminal proceedings against the applicant\n"
        "I. THE CIRCUMSTANCES OF THE CASE"
    )
    masked = anonymise(text, policy="strict").anonymised_text()
    assert "Berry" not in masked
    assert "A. Criminal proceedings" in masked
    assert "I. THE CIRCUMSTANCES OF THE CASE" in masked


def test_a_courts_own_pseudonyms_are_kept_as_already_masked() -> None:
    text = (
        "The witness [slachtoffer 1] told the court that [verdachte] and Anwar Raslan beat him "
        "in [plaats]. [Witness B] met [Mr. X] there."
    )
    result = anonymise(text, policy="strict")
    for span in result.spans:
        covered = text[span.start : span.end]
        assert "[" not in covered and "]" not in covered, covered
    masked = result.anonymised_text()
    for pseudonym in ("[slachtoffer 1]", "[verdachte]", "[plaats]", "[Witness B]", "[Mr. X]"):
        assert pseudonym in masked
    assert "Raslan" not in masked  # a name the court left in is still masked


# Issue 16: quasi-identifiers the strict policy missed on TAB, each by a rule that reads the
# form of the words, not a list of the texts' own words (tuned on TAB's train split).
QUASI = (
    "On 3 September 1997, 79 packages of powder were found. The applicant was tried with 623 "
    "other suspects; seventy-one hearings took place and the Beyoğlu court gave two judgments "
    "within 14 days. A London-based company broadcast a show entitled “Insider”. She was "
    "diagnosed with paranoid schizophrenia. She had been a local authority housing officer."
)


def test_strict_masks_counts_local_courts_health_titles_and_professions() -> None:
    masked = anonymise(QUASI, policy="strict").anonymised_text()
    for quasi in (
        "79 packages",
        "623 other suspects",
        "seventy-one hearings",
        "Beyoğlu court",
        "London-based",
        "Insider",
        "paranoid schizophrenia",
        "housing officer",
    ):
        assert quasi not in masked, quasi
    # few things, a time-limit: how a judgment tells its story, not who it is about
    assert "two judgments" in masked and "within 14 days" in masked


def test_publication_keeps_a_local_court_and_counts_not_tied_to_a_person() -> None:
    masked = anonymise(QUASI, policy="publication").anonymised_text()
    assert "the Beyoğlu court" in masked and "seventy-one hearings" in masked
    assert "79 packages" in masked and "Insider" in masked
