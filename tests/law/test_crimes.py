"""The crimes vocabulary built from the Elements of Crimes."""

from cicnet.law import crimes
from cicnet.law.provisions import match_provision


def test_vocabulary_has_all_96_rome_statute_crimes_plus_national_offences() -> None:
    rome = [c for c in crimes.crimes().values() if c.article and not c.generic]
    assert len(rome) == 96
    assert crimes.crime("7(1)(f)").label == "Crime against humanity of torture"
    assert crimes.crime("7(1)(f)").group == "crimes_against_humanity"
    assert len(crimes.crime("6(a)").elements) == 4
    assert crimes.crime("terrorism.membership").group == "terrorism"


def test_group_search_is_broad_and_id_search_exact() -> None:
    assert len(crimes.crime_ids_matching("genocide")) == 6  # five crimes + "act not specified"
    assert crimes.crime_ids_matching("7(1)(f)") == ["7(1)(f)"]
    assert crimes.crime_ids_matching("8(2)(a)(ii)") == [
        "8(2)(a)(ii)",
        "8(2)(a)(ii)-1",
        "8(2)(a)(ii)-2",
        "8(2)(a)(ii)-3",
    ]
    assert crimes.crime_ids_matching("7(1)(g)-1") == ["7(1)(g)-1"]
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


def test_broad_references_record_a_generic_entry_not_every_crime_under_them() -> None:
    # A source citing "6; 7; 8" must not make a decision look charged with 95 crimes.
    assert crimes.crimes_for_rome_reference("6") == ["6"]
    assert crimes.crime("6").label == "Genocide (act not specified)"
    assert crimes.crime("6").group == "genocide"
    assert crimes.crimes_for_rome_reference("8(2)(c)") == ["8(2)(c)"]
    assert crimes.crimes_for_rome_reference("7(1)(f)") == ["7(1)(f)"]
    # References with no generic entry of their own still give the crimes under them.
    assert crimes.crimes_for_rome_reference("8(2)") == ["8"]  # 8(2) lists every war crime
    assert len(crimes.specific_crimes_for_reference("7(1)")) == 16
    assert len(crimes.crimes_for_rome_reference("8(2)(a)(ii)")) == 1
    assert crimes.specific_crimes_for_reference("7(1)(g)") == [f"7(1)(g)-{i}" for i in range(1, 7)]
    assert "rape" in crimes.crime("7(1)(g)").label


def test_searching_a_broad_reference_finds_generic_and_specific_charges() -> None:
    ids = crimes.crime_ids_matching("8(2)(c)")
    assert ids[:2] == ["8(2)(c)", "8(2)(c)(i)"]
    assert "8(2)(c)(i)-4" in ids and "8(2)(e)" not in ids
    assert "7" in crimes.crime_ids_matching("crimes_against_humanity")


def test_collapse_shows_a_whole_article_as_its_generic_entry() -> None:
    all_cah = crimes.specific_crimes_for_reference("7")
    assert crimes.collapse(["6(a)", *all_cah]) == ["6(a)", "7"]
    rape_forms = crimes.specific_crimes_for_reference("7(1)(g)")
    assert crimes.collapse(["7(1)(f)", *rape_forms]) == ["7(1)(f)", "7(1)(g)"]
    assert crimes.collapse(["7(1)(f)", "7(1)(g)-1"]) == ["7(1)(f)", "7(1)(g)-1"]
