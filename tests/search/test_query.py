"""The query parser: the AST both backends translate, and helpful errors."""

from __future__ import annotations

import pytest

from cicnet.law.crimes import crime_ids_matching
from cicnet.search.query import And, FieldMatch, Not, Or, Phrase, Term, parse, tokens
from cicnet.search.types import QueryError


def test_words_are_anded_and_lowercased() -> None:
    assert parse("Torture Syria").root == And((Term("torture"), Term("syria")))


def test_explicit_and_is_the_same_as_a_space() -> None:
    assert parse("torture AND syria") == parse("torture syria")


def test_or_binds_looser_than_and() -> None:
    assert parse("a1 b1 OR c1").root == Or((And((Term("a1"), Term("b1"))), Term("c1")))


def test_lowercase_or_is_a_word() -> None:
    assert parse("torture or syria").root == And((Term("torture"), Term("or"), Term("syria")))


def test_phrase_exclusion_prefix_and_groups() -> None:
    root = parse('"crimes against humanity" -(syria OR iraq) tortur*').root
    assert root == And(
        (
            Phrase(("crimes", "against", "humanity")),
            Not(Or((Term("syria"), Term("iraq")))),
            Term("tortur", prefix=True),
        )
    )


def test_hyphenated_word_is_a_phrase_and_accents_fold() -> None:
    assert parse("al-Khatib").root == Phrase(("al", "khatib"))
    assert parse("Völkerstrafgesetzbuch").root == Term("volkerstrafgesetzbuch")
    assert tokens("Straße Ærø") == ["strasse", "aero"]


def test_fields() -> None:
    assert parse("country:de").root == FieldMatch("country", ("DE",))
    assert parse("year:2015..2020").root == FieldMatch("year", low=2015, high=2020)
    assert parse("year:2019").root == FieldMatch("year", low=2019, high=2019)
    assert parse("year:..2019").root == FieldMatch("year", low=None, high=2019)
    assert parse('court:"Court of Justice"').root == FieldMatch("court", ("court of justice",))
    assert parse("provision:de:3").root == FieldMatch("provision", ("DE:3",))
    assert parse("provision:VStGB").root == FieldMatch("provision_text", ("vstgb",))


def test_crime_field_expands_groups_and_rome_references() -> None:
    assert parse("crime:7(1)(f)").root == FieldMatch("crime", ("7(1)(f)",))
    war = parse("crime:war_crimes").root
    assert isinstance(war, FieldMatch) and len(war.values) > 50
    assert parse("crime:8(2)(a)").root == FieldMatch("crime", tuple(crime_ids_matching("8(2)(a)")))


def test_crime_value_with_parentheses_inside_a_group() -> None:
    assert parse("(crime:7(1)(f) OR torture)").root == Or(
        (FieldMatch("crime", ("7(1)(f)",)), Term("torture"))
    )


def test_positive_text_leaves_skip_exclusions() -> None:
    parsed = parse('torture -syria "war crimes" country:DE')
    assert parsed.positive_text() == [Term("torture"), Phrase(("war", "crimes"))]


def test_empty_and_punctuation_only_queries_match_everything() -> None:
    assert parse("").root is None
    assert parse("   ").root is None
    assert parse("§ !").root is None


@pytest.mark.parametrize(
    ("q", "hint"),
    [
        ('"torture', "quote"),
        ('court:"koblenz', "quote"),
        ("judge:smith", "Unknown field"),
        ("country:", "no value"),
        ("year:", "no value"),
        ("year:twenty", "four-digit"),
        ("year:2020..2010", "reversed"),
        ("year:..", "at least one bound"),
        ("-", "lone '-'"),
        ("torture - syria", "lone '-'"),
        ("crime:piracy", "not a known crime"),
        ("country:DEU", "two-letter"),
        ("(torture", "'('"),
        ("torture)", "')'"),
        ("t*", "prefix"),
        ("tor*ture", "wildcard"),
        ("OR torture", "OR"),
        ("torture OR", "OR"),
        ("AND torture", "AND"),
        ("()", "Empty parentheses"),
        ('""', "Empty phrase"),
        ("x" * 501, "longer"),
    ],
)
def test_malformed_queries_say_what_to_fix(q: str, hint: str) -> None:
    with pytest.raises(QueryError) as exc:
        parse(q)
    assert hint.lower() in exc.value.message.lower()
    assert exc.value.parameter == "q"
