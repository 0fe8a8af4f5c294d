"""Issue 11 in search: a court is one facet value whatever its spelling, a case is found by the
names people use for it, and a result shows a year-only date as the year. Decisions come in
through ingestion (the court names as written), on each backend."""

from __future__ import annotations

from pathlib import Path

from cicnet.access.policy import ANONYMOUS
from cicnet.pipeline.runner import ingest_path
from cicnet.search.services import rebuild_index, search_decisions
from cicnet.search.types import SearchParams

SPELLINGS = (
    "Higher Regional Court of Koblenz",
    "Higher Regional Court of Koblenz (State Security Senate)",
    "Oberlandesgericht Koblenz",
)


def _ingest(folder: Path) -> None:
    for i, court in enumerate(SPELLINGS):
        extra = (
            "case_name: Fictional Marketplace trial\nalso_known_as:\n  - Fictional Square case\n"
            if i == 0
            else ""
        )
        (folder / f"de-fictional-{i}.yaml").write_text(
            f"title: Fictional decision {i}\ncountry: DE\ncourt: {court}\n"
            f"decision_date: {2019 + i}\ninstance: first_instance\nstate: published\n{extra}",
            "utf-8",
        )
    report = ingest_path(folder)
    assert not report.failed, [r.error for r in report.failed]
    rebuild_index()


def test_three_spellings_of_koblenz_are_one_court_facet_value(backend: str, tmp_path: Path) -> None:
    _ingest(tmp_path)
    page = search_decisions(actor=ANONYMOUS, params=SearchParams(q=""))
    courts = [(v.value, v.label, v.count) for v in page.facets["court"]]
    assert courts == [("de-olg-koblenz", "Higher Regional Court of Koblenz", 3)]
    ticked = search_decisions(
        actor=ANONYMOUS, params=SearchParams(q="", filters={"court": ("de-olg-koblenz",)})
    )
    assert ticked.count == 3


def test_a_case_is_found_by_its_name_and_other_names(backend: str, tmp_path: Path) -> None:
    _ingest(tmp_path)
    for q in ('"Marketplace trial"', '"Fictional Square case"'):
        hits = search_decisions(actor=ANONYMOUS, params=SearchParams(q=q)).hits
        assert [h.uid for h in hits] == ["de-fictional-0"], q
        assert hits[0].case_name == "Fictional Marketplace trial"


def test_a_year_only_date_is_shown_as_the_year_in_results(backend: str, tmp_path: Path) -> None:
    _ingest(tmp_path)
    hits = search_decisions(actor=ANONYMOUS, params=SearchParams(q="", sort="date_asc")).hits
    assert [h.date_display for h in hits] == ["2019", "2020", "2021"]
