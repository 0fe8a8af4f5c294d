"""The crimes vocabulary built from the Elements of Crimes."""

from cicnet.law import crimes
from cicnet.law.provisions import match_provision


def test_vocabulary_has_all_96_rome_statute_crimes_plus_national_offences() -> None:
    rome = [c for c in crimes.crimes().values() if c.article]
    assert len(rome) == 96
    assert crimes.crime("7(1)(f)").label == "Crime against humanity of torture"
    assert crimes.crime("7(1)(f)").group == "crimes_against_humanity"
    assert len(crimes.crime("6(a)").elements) == 4
    assert crimes.crime("terrorism.membership").group == "terrorism"


def test_group_search_is_broad_and_id_search_exact() -> None:
    assert len(crimes.crime_ids_matching("genocide")) == 5
    assert crimes.crime_ids_matching("7(1)(f)") == ["7(1)(f)"]
    assert crimes.crime_ids_matching("8(2)(a)(ii)") == ["8(2)(a)(ii)-1", "8(2)(a)(ii)-2", "8(2)(a)(ii)-3"]
    assert crimes.crime_ids_matching("no-such-crime") == []


def test_rome_statute_articles_are_loaded() -> None:
    art7 = crimes.rome_statute_articles()["7"]
    assert art7.name == "Crimes against humanity"
    assert "widespread or systematic attack" in art7.text
    assert "8 bis" in crimes.rome_statute_articles()


def test_cited_national_provision_maps_to_rome_statute_crimes() -> None:
    row = match_provision(country="DE", citation="VStGB § 7(1) no. 5")
    assert row is not None and row.crime_category == "crimes_against_humanity"
    assert "7(1)(f)" in row.crime_ids()
    assert match_provision(country="FR", citation="VStGB § 7") is None
