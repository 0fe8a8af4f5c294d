"""The metadata format: one cleaner per key, defaults, typo protection, cross-field rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cicnet.pipeline.metadata import KEYS, clean_metadata

MINIMAL: dict[str, Any] = {
    "title": "T",
    "country": "DE",
    "court": "Higher Regional Court of Koblenz",
    "decision_date": "2022-01-13",
    "instance": "appeal",
}


def _clean(**changes: Any) -> tuple[dict[str, Any], list[str]]:
    raw = {**MINIMAL, **changes}
    clean, errors = clean_metadata({k: v for k, v in raw.items() if v is not ...}, stem="file-stem")
    return clean, [f"{e.field}: {e.message}" for e in errors]


def test_minimal_metadata_gets_defaults_and_uid_from_file_stem() -> None:
    clean, errors = _clean()
    assert errors == []
    assert clean["uid"] == "file-stem"
    assert clean["decision_type"] == "judgment"
    assert clean["outcome"] == "unknown"
    assert clean["jurisdiction_basis"] == "unknown"
    assert clean["access"] == "public"
    assert clean["state"] is None  # draft when created, kept on update
    assert clean["crimes"] == [] and clean["demo"] is False


@pytest.mark.parametrize(
    ("value", "date", "precision"),
    [
        ("2022-01-13", dt.date(2022, 1, 13), "day"),
        ("2022-03", dt.date(2022, 3, 1), "month"),
        (2022, dt.date(2022, 1, 1), "year"),
        ("2022", dt.date(2022, 1, 1), "year"),
    ],
)
def test_decision_date_sets_precision(value: Any, date: dt.date, precision: str) -> None:
    clean, errors = _clean(decision_date=value)
    assert errors == []
    assert (clean["decision_date"], clean["date_precision"]) == (date, precision)


@pytest.mark.parametrize("value", ["2022-13-01", "2022-02-30", "13.01.2022", "22", True, [2022]])
def test_malformed_date_is_an_error_saying_the_format(value: Any) -> None:
    _, errors = _clean(decision_date=value)
    assert len(errors) == 1
    assert errors[0].startswith("decision_date: ") and "YYYY-MM-DD" in errors[0]


@pytest.mark.parametrize("value", ["2999", "2999-01", "2999-01-01", dt.date(2999, 1, 1)])
def test_a_date_in_the_future_is_refused(value: Any) -> None:
    _, errors = _clean(decision_date=value)
    assert len(errors) == 1 and "is in the future" in errors[0], errors
    _, errors = _clean(decision_date=dt.date.today())
    assert errors == []


def test_country_is_checked_against_iso_3166_and_normalised() -> None:
    assert _clean(country="fr")[0]["country"] == "FR"
    _, errors = _clean(country="XX")
    assert errors[0].startswith("country: unknown country code 'XX'")
    _, errors = _clean(country="GER")
    assert errors[0].startswith("country: ")


def test_unknown_key_is_an_error_suggesting_the_right_one() -> None:
    _, errors = _clean(decison_date="2022")
    assert errors == ["decison_date: unknown key; did you mean 'decision_date'?"]


def test_missing_required_keys_are_each_named() -> None:
    _, errors = _clean(title=..., court=...)
    assert [e.split(":")[0] for e in errors] == ["title", "court"]


@pytest.mark.parametrize(
    ("ecli", "country", "ok"),
    [
        ("ECLI:DE:BGH:2024:200324U3STR454.22.0", "DE", True),
        ("ecli:de:bgh:2024:200324u3str454.22.0", "DE", True),
        ("ECLI:CE:ECHR:2014:1204JUD004215712", "RU", True),
        ("ECLI:EL:AP:2019:123", "GR", True),
        ("ECLI:FR:CCASS:2023:CR00123", "DE", False),
        ("ECLI:XX:COURT:2020:1", "DE", False),
        ("ECLI:DE:BGH", "DE", False),
        ("ECLI:DE:BGH:20:1", "DE", False),
    ],
)
def test_ecli_format_and_country_code(ecli: str, country: str, ok: bool) -> None:
    # The international court: its "country" is the respondent State, so only the ECLI rule
    # applies here (a national court's own State is the next test's rule).
    clean, errors = _clean(ecli=ecli, country=country, court="echr")
    assert (errors == []) is ok, errors
    if ok:
        assert clean["ecli"] == ecli.upper()
    else:
        assert all(e.startswith("ecli: ") for e in errors)


def test_a_national_court_decides_for_its_own_state() -> None:
    _, errors = _clean(country="FR")
    assert errors == [
        "country: 'FR' but the court 'Higher Regional Court of Koblenz' is a court of DE; "
        "the decision's country is the court's State: write 'DE', or name the court that decided"
    ]
    assert _clean(country="de")[1] == []
    # An international court's country is the respondent State: any State.
    assert _clean(country="RU", court="echr")[1] == []


def test_vocabulary_ids_are_checked() -> None:
    _, errors = _clean(instance="trial", outcome="guilty", access="secret", state="done")
    assert [e.split(":")[0] for e in errors] == ["instance", "outcome", "access", "state"]
    assert "first_instance" in errors[0]


def test_crimes_must_be_known_ids() -> None:
    clean, errors = _clean(crimes=["7(1)(f)", "terrorism.membership", "7(1)(f)"])
    assert errors == [] and clean["crimes"] == ["7(1)(f)", "terrorism.membership"]
    _, errors = _clean(crimes=["torture"])
    assert errors[0].startswith("crimes: unknown crime id 'torture'")


def test_source_urls_must_be_http() -> None:
    _, errors = _clean(source_urls=["https://example.org/a", "ftp://example.org/b"])
    assert errors == [
        "source_urls: 'ftp://example.org/b' is not an http(s) URL; give the full address"
    ]


def test_lists_must_be_lists() -> None:
    _, errors = _clean(keywords="torture")
    assert errors[0].startswith("keywords: expected a list")


def test_texts_mapping_is_checked_key_by_key() -> None:
    clean, errors = _clean(
        texts={
            "de": {"original": True},
            "en": {"provenance": "machine", "translated_on": "2023-01-02"},
        }
    )
    assert errors == []
    assert clean["texts"]["en"] == {"provenance": "machine", "translated_on": dt.date(2023, 1, 2)}
    _, errors = _clean(texts={"en": {"orignal": True}})
    assert errors[0].startswith("texts.en.orignal: unknown key")
    _, errors = _clean(texts={"english": {}})
    assert errors[0].startswith("texts.english: ")


def test_terrorism_concurrent_takes_true_false_or_null() -> None:
    assert _clean(terrorism_concurrent=None)[0]["terrorism_concurrent"] is None
    assert _clean(terrorism_concurrent=True)[0]["terrorism_concurrent"] is True
    assert _clean(terrorism_concurrent="yes")[1][0].startswith("terrorism_concurrent: ")


def test_over_long_text_is_an_error_naming_the_limit() -> None:
    _, errors = _clean(title="x" * 301)
    assert errors == ["title: is 301 characters long; shorten it to 300 at most"]


def test_every_documented_key_has_a_cleaner() -> None:
    assert {
        "title",
        "country",
        "court",
        "decision_date",
        "case_number",
        "ecli",
        "instance",
        "decision_type",
        "defendant",
        "situation",
        "crimes",
        "provisions",
        "jurisdiction_basis",
        "outcome",
        "sentence",
        "keywords",
        "summary",
        "source_urls",
        "access",
        "proceedings",
    } <= set(KEYS)
