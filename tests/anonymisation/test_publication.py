"""The ``publication`` policy: every person masked by role, a judgment still readable.

Each keep and protect rule of ``policies/publication.yaml`` is exercised on a sentence of the
kind it is for, and a rule removed from the YAML changes the result (the rules are data).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from cicnet.anonymisation.engine import anonymise
from cicnet.anonymisation.policies import DEFAULT_POLICY, PolicyError, _parse, policy
from cicnet.pipeline.anonymise import POLICY as STAGE_POLICY
from cicnet.strict_yaml import load_yaml

POLICY_FILE = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "cicnet"
    / "anonymisation"
    / "policies"
    / "publication.yaml"
)


def published(text: str, language: str = "en") -> str:
    return anonymise(text, policy="publication", language=language).anonymised_text()


def test_publication_is_the_default_of_the_ingestion_stage() -> None:
    assert DEFAULT_POLICY == STAGE_POLICY == "publication"
    pol = policy("publication")
    assert pol.mode("PERSON") == "always" and pol.mode("LOC") == "protected"
    assert {"courts", "states"} - pol.keep == {"courts"}  # no such rule: it is named precisely
    assert "local_courts_and_authorities" in pol.keep and "representatives" not in pol.keep


def test_persons_get_role_pseudonyms_and_the_accused_initials() -> None:
    text = (
        "The accused Anwar Raslan ordered the beatings. The witness Eyad Darwish testified. "
        "The witness Hanan Saleh testified too. The victim Omar Haddad died in the prison. "
        "Omar Haddad's brother Karim Haddad filed a complaint. Darwish was heard twice."
    )
    out = published(text)
    for name in ("Raslan", "Darwish", "Saleh", "Omar", "Karim"):
        assert name not in out
    assert "The accused Anwar R. ordered" in out
    assert "[witness 1] testified" in out and "[witness 2] testified too" in out
    assert "[witness 1] was heard twice" in out  # one person, one pseudonym
    assert "The victim [victim 1] died" in out
    assert "[victim 1]'s brother [relative of victim 1] filed" in out


def test_relative_of_the_applicant_and_applicant_by_role() -> None:
    out = published(
        "The application was lodged by Mr Ahmet Kılıç (“the applicant”). The applicant's son, "
        "Mehmet Kılıç, was arrested. Kılıç complained."
    )
    assert "Mr [applicant] (“the applicant”)" in out
    assert "[relative of applicant]" in out
    assert "Kılıç" not in out and "Mehmet" not in out


@pytest.mark.parametrize(
    ("language", "text", "expected", "hidden"),
    [
        ("fr", "Le témoin M. Pierre Dupont a déclaré que la victime Marie Curtil avait fui.",
         ["[witness 1]", "[victim 1]"], ["Dupont", "Curtil"]),
        ("nl", "De verdachte Jan Jansen heeft de getuige Piet de Vries bedreigd.",
         ["Jan J.", "[witness 1]"], ["Jansen", "Vries"]),
        ("de", "Die Zeugin Frau Maria Schmidt sagte, der Angeklagte Herr Anwar Raslan habe "
         "geschlagen.", ["[witness 1]", "Anwar R."], ["Schmidt", "Raslan"]),
    ],
)  # fmt: skip
def test_role_cues_in_french_dutch_and_german(
    language: str, text: str, expected: list[str], hidden: list[str]
) -> None:
    out = published(text, language)
    for pseudonym in expected:
        assert pseudonym in out, out
    for name in hidden:
        assert name not in out, out


def test_courts_authorities_states_bodies_citations_and_procedural_dates_stay() -> None:
    text = (
        "On 5 December 2001 the Izmir State Security Court convicted the applicant, Mr Hasan "
        "Genç. The Court of Cassation and the Ministry of the Interior were involved. Turkey "
        "informed the United Nations and the Council of Europe. Protocol No. 11 came into force "
        "on 1 November 1998 (see Smith v. the United Kingdom, no. 12345/06, 23 September 2008)."
    )
    out = published(text)
    for kept in (
        "On 5 December 2001 the Izmir State Security Court",
        "The Court of Cassation and the Ministry of the Interior",
        "Turkey informed the United Nations and the Council of Europe",
        "on 1 November 1998",
        "Smith v. the United Kingdom, no. 12345/06, 23 September 2008",
    ):
        assert kept in out, out
    assert "Genç" not in out and "Hasan" not in out


def test_judges_in_office_stay_but_counsel_and_agents_are_masked() -> None:
    out = published(
        "The applicant was represented by Mr A. Demetriades, a lawyer practising in Nicosia. "
        "The Government were represented by their Agent, Mr Z.M. Necatigil. Judge Anne Kerber "
        "presided; Kerber dismissed the request."
    )
    assert "Judge Anne Kerber presided; Kerber dismissed" in out
    assert "Demetriades" not in out and "Necatigil" not in out


def test_quasi_identifiers_are_masked_only_where_they_point_at_a_person() -> None:
    text = (
        "The applicant was born on 3 May 1970 and lives in Kalogrea, a village in the District "
        "of Kyrenia. Her sister, aged 34, lives in Istanbul. On 12 June 2003 the police came to "
        "Kalogrea. The hearing took place in Kyrenia. The applicant, who is of Kurdish origin, "
        "worked as a nurse. Her passport no. U1234567 was seized."
    )
    out = published(text)
    assert "3 May 1970" not in out and "Kalogrea" not in out and "Kyrenia" not in out
    assert "aged 34" not in out and "Kurdish" not in out and "nurse" not in out
    assert "U1234567" not in out
    assert "lives in Istanbul" in out  # a city of millions singles nobody out
    assert "On 12 June 2003 the police came" in out  # a procedural date


def test_a_rule_removed_from_the_yaml_masks_what_it_kept() -> None:
    data = load_yaml(POLICY_FILE.read_text("utf-8"), source=str(POLICY_FILE))
    data["keep"] = [r for r in data["keep"] if r != "local_courts_and_authorities"]
    data["protect"] = [r for r in data["protect"] if r != "residence_and_origin"]
    curated = _parse("publication", data)
    text = "The applicant lives in Kalogrea. The Izmir State Security Court convicted him."
    assert anonymise(text, policy="publication").anonymised_text() == (
        "The applicant lives in [place]. The Izmir State Security Court convicted him."
    )
    out = anonymise(text, policy=curated).anonymised_text()
    assert "Kalogrea" in out and "Izmir State Security Court" not in out


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"keep": ["courts"]}, r"field 'keep' has unknown rules \['courts'\]"),
        ({"protect": "age"}, "field 'protect' must be a list of rule ids"),
        ({"mask": {"PERSON": "sometimes"}}, "field 'mask' gives"),
        ({"large_city_population": "many"}, "field 'large_city_population'"),
    ],
)
def test_a_malformed_publication_file_names_the_field(change: dict, message: str) -> None:
    data = load_yaml(POLICY_FILE.read_text("utf-8"), source=str(POLICY_FILE))
    with pytest.raises(PolicyError, match=message) as excinfo:
        _parse("publication", {**data, **change})
    assert "anonymisation/policies/publication.yaml" in str(excinfo.value)


def test_policy_objects_are_frozen_data() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        policy("publication").keep = frozenset()  # type: ignore[misc]


def test_a_new_text_of_a_decision_gets_its_policy_and_the_current_version(db: None) -> None:
    # A translation published later (translation workspace, alignments) is anonymised under
    # the policy the decision's texts have — publication unless a curator chose another —
    # and records the anonymiser's version, so a later rule change finds it stale.
    from cicnet.anonymisation.services import text_anonymise
    from cicnet.anonymisation.version import engine_version
    from tests.factories import DecisionFactory, ParagraphFactory, TextFactory

    body = "The witness Eyad Darwish was heard by the Koblenz Higher Regional Court."
    fresh = DecisionFactory(uid="fresh-text")
    english = TextFactory(decision=fresh, language="en", anonymisation=False)
    ParagraphFactory(text=english, number=1, body=body)
    record = text_anonymise(text=english)
    assert (record.policy, record.engine_version) == (DEFAULT_POLICY, engine_version())

    chosen = DecisionFactory(uid="chosen-policy")
    TextFactory(decision=chosen, language="fr")  # the factory's record: policy strict
    other = TextFactory(decision=chosen, language="en", anonymisation=False)
    ParagraphFactory(text=other, number=1, body=body)
    assert text_anonymise(text=other).policy == "strict"
