"""The knowledge data files keep their strict schemas: every fact and unit has a source that
exists, every value is in its vocabulary, translations match their original section by section
and say who wrote and reviewed them. A bad edit fails with a message naming the place."""

from __future__ import annotations

import pytest

from cicnet.knowledge import catalogue, guides
from cicnet.knowledge.jurisdiction import (
    JurisdictionDataError,
    jurisdiction_data,
    parse_jurisdiction_data,
)

_GOOD = """
sources:
  s1: {title: A statute, url: "https://example.org/a", publisher: Ministry, kind: statute,
       language: de}
countries:
  - country: DE
    compiled: "2026-12-07"
    facts:
      statute_of_limitations:
        {value: "no", text: Never time-barred., provision: "§ 5", sources: [s1]}
"""


def test_shipped_file_loads_and_every_fact_names_an_existing_source() -> None:
    data = jurisdiction_data()
    assert {"DE", "NL", "FR", "SE"} <= set(data.countries)
    for country in data.countries.values():
        for fact in country.facts.values():
            assert fact.sources and all(s.url.startswith("http") for s in fact.sources)
            assert fact.text and fact.provision
        for unit in country.units:
            assert unit.sources


def test_germany_records_every_condition_but_the_court() -> None:
    de = jurisdiction_data().countries["DE"]
    assert set(de.facts) == {
        "universal_jurisdiction",
        "presence_required",
        "prosecutorial_discretion",
        "victim_participation",
        "statute_of_limitations",
        "immunities",
    }
    assert de.fact("court") is None  # not recorded: no source found, so nothing is shown
    assert de.facts["statute_of_limitations"].provision == "VStGB § 5"
    assert {u.role for u in de.units} == {"police", "prosecution"}


def test_a_valid_minimal_file_parses() -> None:
    data = parse_jurisdiction_data(_GOOD, source="t.yaml")
    assert data.countries["DE"].facts["statute_of_limitations"].sources[0].id == "s1"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("sources: [s1]", "sources: []"), "at least one source"),
        (("sources: [s1]", "sources: [s9]"), "source 's9' is not in the sources list"),
        (('value: "no"', "value: perhaps"), "'perhaps' is not one of"),
        (("statute_of_limitations:", "bedtime:"), "'bedtime' is not one of"),
        (("provision:", "provisio:"), "unknown key(s) provisio"),
        (("kind: statute", "kind: rumour"), "kind: 'rumour'"),
        (('url: "https://example.org/a"', "url: example.org"), "must be a web address"),
        (("country: DE", "country: Germany"), "ISO 3166-1 alpha-2"),
        (('compiled: "2026-12-07"', 'compiled: "last week"'), "compiled must be a date"),
    ],
)
def test_a_bad_edit_is_refused_naming_the_place(edit: tuple[str, str], message: str) -> None:
    with pytest.raises(JurisdictionDataError) as exc:
        parse_jurisdiction_data(_GOOD.replace(*edit), source="t.yaml")
    assert message in str(exc.value)
    assert "t.yaml" in str(exc.value)


def test_guides_exist_in_the_languages_of_affected_communities_and_say_who_wrote_them() -> None:
    versions = guides.guides()["seeking-justice"]
    assert {"en", "ar", "uk", "fr", "es"} <= set(versions)
    assert versions["ar"].language.dir == "rtl"
    for code, version in versions.items():
        a = version.authorship
        # Nobody reviewed these texts: they say so and none is authoritative.
        assert a.written_by == "machine" and not a.reviewed and not version.authoritative
        assert (code == "en") == (not a.is_translation)
        assert "not reviewed by a person" in guides.written_by_label(version)
    missing = {lang.code for lang in guides.missing_languages("seeking-justice")}
    assert {"ckb", "kmr", "rw", "ti"} <= missing


def _guide_text() -> str:
    return (
        "slug: g\nlang: ar\ntitle: T\nsummary: S\nnotice: N\n"
        "authorship: {written_by: machine, author: A, translated_from: en, date: '2026-12-07',"
        " reviewed_by: '', reviewed_on: ''}\n"
        "sections:\n  - {id: one, heading: H, paragraphs: [P]}\n"
    )


def test_a_guide_parses_and_its_edits_are_checked() -> None:
    version = guides.parse_guide(_guide_text(), source="g.ar.yaml")
    assert version.authorship.is_translation and version.language.dir == "rtl"
    with pytest.raises(guides.GuideError, match="translated_from must be empty"):
        guides.parse_guide(_guide_text().replace("lang: ar", "lang: en"), source="g.en.yaml")
    with pytest.raises(guides.GuideError, match="reviewed_by and reviewed_on go together"):
        guides.parse_guide(_guide_text().replace("reviewed_by: ''", "reviewed_by: X"), source="g")
    with pytest.raises(guides.GuideError, match="written_by must be person or machine"):
        guides.parse_guide(
            _guide_text().replace("written_by: machine", "written_by: ai"), source="g"
        )
    with pytest.raises(guides.GuideError, match=r"not in vocab/guide_languages\.yaml"):
        guides.parse_guide(_guide_text().replace("lang: ar", "lang: xx"), source="g")


def test_catalogue_files_load_with_sources() -> None:
    source, orgs = catalogue.support_organisations()
    assert "Global Initiative" in source
    assert {o.name for o in orgs} >= {"TRIAL International", "REDRESS", "Impunity Watch"}
    assert all(o.url.startswith("https://") for o in orgs)
    assert all(e.sources for e in catalogue.eu_day_editions())
    assert catalogue.eu_day_editions()[-1].date.isoformat() == "2016-05-23"
    links = catalogue.conclusions_links()
    assert set(links.links) == {31} and links.network == "genocide-network"
    kinds = {p.kind for p in catalogue.publications()}
    assert kinds <= {"report", "factsheet"}
    assert [p.id for p in catalogue.publications_filtered(kind="report", q="terrorist")] == [
        "cumulative-prosecution-ftf-2020"
    ]
