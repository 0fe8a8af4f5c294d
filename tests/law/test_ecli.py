"""One ECLI rule for ingestion, curation and the demo catalogue (issue 11: it was in three
places, and curation accepted an ECLI with no country that ingestion refused)."""

from __future__ import annotations

from typing import Any

import pytest

from cicnet.demo.catalogue import clean_ecli as catalogue_ecli
from cicnet.jurisprudence.services import CurationError, decision_update
from cicnet.law.ecli import EcliError, clean_ecli, country_mismatch
from tests.factories import DecisionFactory


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ecli:de:bgh:2024:200324u3str454.22.0", "ECLI:DE:BGH:2024:200324U3STR454.22.0"),
        ("  ECLI:CE:ECHR:2014:1204JUD004215712 ", "ECLI:CE:ECHR:2014:1204JUD004215712"),
        ("", ""),
    ],
)
def test_clean_ecli_normalises(value: str, expected: str) -> None:
    assert clean_ecli(value) == expected


@pytest.mark.parametrize("value", ["ECLI:DE:BGH", "ECLI:XX:COURT:2020:1", "ECLI:DE:BGH:20:1"])
def test_every_entry_point_refuses_the_same_bad_eclis(value: str, users: dict[str, Any]) -> None:
    with pytest.raises(EcliError):
        clean_ecli(value)
    assert catalogue_ecli(value) == ""
    decision = DecisionFactory(country="DE", ecli="")
    with pytest.raises(CurationError) as exc:
        decision_update(actor=_actor(users["curator"]), decision=decision, changes={"ecli": value})
    assert exc.value.field == "ecli"


def test_country_mismatch_allows_eu_codes_and_supranational_courts() -> None:
    assert country_mismatch("ECLI:EL:AP:2019:123", "GR") == ""
    assert country_mismatch("ECLI:CE:ECHR:2014:1", "RU") == ""
    assert "does not match" in country_mismatch("ECLI:FR:CCASS:2023:1", "DE")


def _actor(user: Any) -> Any:
    from cicnet.access import policy

    return policy.actor_for(user)
