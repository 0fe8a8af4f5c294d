"""French texts go through fr_core_news_sm and the French rules."""

from __future__ import annotations

from cicnet.anonymisation.engine import anonymise

TEXT = (
    "A son origine se trouve une requête (no 20022/92) dirigée contre le Royaume de Suède et "
    "dont une ressortissante de cet Etat, Mme Anne-Marie Andersson, avait saisi la Commission "
    "le 11 février 1992. Son fils, M. Stive Andersson, habite à Göteborg. "
    "Mme Andersson a été hospitalisée."
)


def test_french_persons_dates_and_numbers_are_found() -> None:
    result = anonymise(TEXT, policy="strict", language="fr")
    masked = result.anonymised_text()
    for secret in ("Anne-Marie", "Andersson", "Stive", "11 février 1992", "20022/92"):
        assert secret not in masked
    persons = [e for e in result.entities if e.kind == "PERSON"]
    # Anne-Marie Andersson and Stive Andersson are two people; "Mme Andersson" is one of them
    assert len(persons) == 2
    assert not result.review
