"""Citation extraction on the forms courts write (no database)."""

from __future__ import annotations

import pytest

from cicnet.citations.extract import extract, statute_country
from cicnet.citations.link import HUDOC, target


def keys(text: str, country: str = "") -> list[tuple[str, str]]:
    return [(f.kind, f.key) for f in extract(text, country=country)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "ECLI:DE:BGH:2024:200324U3STR454.22.0.",
            [("ecli", "ECLI:DE:BGH:2024:200324U3STR454.22.0")],
        ),
        ("Lubanga, ICC-01/04-01/06-2842", [("international_case", "ICC-01/04-01/06-2842")]),
        ("Furundžija, IT-95-17/1-T", [("international_case", "IT-95-17/1-T")]),
        ("Akayesu (ICTR-96-4-T)", [("international_case", "ICTR-96-4-T")]),
        ("Stanišić and Simatović, MICT-15-96-A", [("international_case", "MICT-15-96-A")]),
        # the dash as German courts write it
        ("BGH, Beschluss vom 20. März 2024 – 3 StR 454/22", [("national_case", "3 StR 454/22")]),  # noqa: RUF001
        ("OLG Koblenz, 1 StE 9/19", [("national_case", "1 StE 9/19")]),
        ("Rechtbank Den Haag, 09/748004-09", [("national_case", "09/748004-09")]),
        ("Stockholms tingsrätt, mål nr B 3787-16", [("national_case", "B 3787-16")]),
        ("strafbar nach § 7 Abs. 1 Nr. 5 VStGB", [("national_provision", "VStGB:7")]),
        ("VStGB § 8", [("national_provision", "VStGB:8")]),
        ("artikel 6 WIM", [("national_provision", "WIM:6")]),
        ("Article 7(1)(f) of the Rome Statute", [("rome_statute", "RS:7(1)(f)")]),
        ("Rome Statute, art. 8(2)(c)(i)", [("rome_statute", "RS:8(2)(c)(i)")]),
        ("Elements of Crimes, art. 7(1)(f)", [("elements_of_crimes", "EoC:7(1)(f)")]),
        ("the Elements of Crimes", [("elements_of_crimes", "EoC")]),
    ],
)
def test_each_kind_is_found_with_its_normalised_key(text: str, expected: list[object]) -> None:
    assert keys(text) == expected


def test_application_lists_give_one_citation_per_number() -> None:
    text = "see Willis v. the United Kingdom, nos. 36042/97, 1234/05 and 98765/10, § 48"
    assert [k for k in keys(text)] == [
        ("ecthr_application", "36042/97"),
        ("ecthr_application", "1234/05"),
        ("ecthr_application", "98765/10"),
    ]


def test_convention_articles_need_a_convention_text_and_skip_paragraph_numbers() -> None:
    convention = (
        "lodged under Article 34 of the Convention for the Protection of Human Rights and "
        "Fundamental Freedoms. He relied on Articles 8 and 14 of the Convention, Article 6 §§ 1 "
        "and 3 of the Convention and Article 1 of Protocol No. 1."
    )
    assert sorted(k for _, k in keys(convention)) == [
        "ECHR-P1:1",
        "ECHR:14",
        "ECHR:34",
        "ECHR:6",
        "ECHR:8",
    ]
    # Outside a Convention text, "the Convention" may be the Genocide Convention: nothing.
    assert keys("Article 2 of the Convention on the Prevention of Genocide") == []


def test_stgb_takes_the_citing_courts_state() -> None:
    assert keys("§ 6 StGB", country="AT") == [("national_provision", "AT-StGB:6")]
    assert statute_country("AT-StGB:6") == ("AT", "StGB", "6")
    assert statute_country("VStGB:7") == ("DE", "VStGB", "7")
    assert statute_country("KZ-1:100") == ("SI", "KZ-1", "100")


def test_a_number_inside_another_citation_is_not_a_national_case() -> None:
    assert keys("ICC-01/04-01/06") == [("international_case", "ICC-01/04-01/06")]


def test_links_lead_to_provisions_and_public_sources() -> None:
    vstgb = target("national_provision", "VStGB:7", country="DE")
    assert vstgb.provision_key.startswith("DE:")
    assert target("rome_statute", "RS:7(1)(f)", country="DE").provision_key == "7(1)(f)"
    hudoc = target("ecthr_application", "28045/02", country="")
    assert hudoc.url.startswith(HUDOC) and hudoc.url.endswith("%2228045/02%22%5D%7D")
    assert target("ecli", "ECLI:FR:CCASS:2023:CR00001", country="FR").url == ""
