"""The runner with every stage: a folder of real files, idempotency, updates, --check."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from cicnet.jurisprudence.models import (
    Decision,
    DecisionCrime,
    DecisionProvision,
    DecisionVersion,
    Paragraph,
    Proceedings,
    Text,
)
from cicnet.pipeline.models import StageRun
from cicnet.pipeline.runner import PIPELINE, ingest_path

from .conftest import copy_bad

pytestmark = pytest.mark.django_db


def _db_state() -> dict[str, list[dict[str, Any]]]:
    """Every row ingestion writes, to compare before and after a run."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (
            Decision,
            DecisionCrime,
            DecisionProvision,
            Text,
            Paragraph,
            DecisionVersion,
            Proceedings,
        )
    }


def test_folder_is_ingested_with_metadata_texts_and_paragraphs(good_dir: Path) -> None:
    report = ingest_path(good_dir)
    assert report.ok, [r.error for r in report.failed]
    assert report.counts["created"] == 5
    d = Decision.objects.get(uid="de-olg-example-2022")
    assert (d.country, d.court, d.decision_date, d.date_precision) == (
        "DE",
        "Higher Regional Court of Koblenz",
        dt.date(2022, 1, 13),
        "day",
    )
    assert d.ecli == "ECLI:DE:OLGKOBL:2022:0113.1STE99.19.00"
    assert d.keywords == ["torture", "detention", "universal jurisdiction"]
    assert d.is_demo and d.state == "published" and d.published_at is not None
    assert d.proceedings is not None and d.proceedings.title == "Example A. (fictional)"
    assert d.version == 1 and d.source_key == "de-olg-example-2022"
    fr = Decision.objects.get(uid="fr-cass-example-2023")
    assert (fr.decision_date, fr.date_precision, fr.access, fr.state) == (
        dt.date(2023, 3, 1),
        "month",
        "network",
        "draft",
    )
    assert fr.published_at is None
    assert Decision.objects.get(uid="nl-rb-den-haag-example-2021").date_precision == "year"
    # The subfolder was searched too; a decision may have no text at all.
    assert Decision.objects.get(uid="se-svea-example-2019").texts.get().language == "sv"
    assert not Decision.objects.get(uid="metadata-only-example").texts.exists()


def test_german_original_and_english_translation_line_up_by_court_numbers(good_dir: Path) -> None:
    ingest_path(good_dir)
    d = Decision.objects.get(uid="de-olg-example-2022")
    de, en = d.texts.get(language="de"), d.texts.get(language="en")
    assert (de.is_original, de.provenance, de.unofficial) == (True, "original", False)
    assert (en.is_original, en.provenance, en.unofficial) == (False, "human", True)
    assert en.translator == "Genocide Network Secretariat"
    assert en.translated_on == dt.date(2023, 5, 2)
    assert de.numbering == en.numbering == "court"
    de_numbers = list(de.paragraphs.values_list("number", flat=True))
    assert de_numbers == list(en.paragraphs.values_list("number", flat=True)) == [0, 1, 2, 3]
    assert (
        en.paragraphs.get(number=1).body
        == "The defendant is guilty of a crime against humanity by torture."
    )


def test_pdf_and_docx_texts_are_stored_with_their_source_files(good_dir: Path) -> None:
    ingest_path(good_dir)
    nl = Text.objects.get(decision__uid="nl-rb-den-haag-example-2021")
    fr = Text.objects.get(decision__uid="fr-cass-example-2023")
    assert nl.paragraphs.get(number=4).body == "Het hof legt een gevangenisstraf op van zes jaren."
    assert fr.paragraphs.count() == 5 and fr.is_original and fr.language == "fr"
    for text, name in (
        (nl, "nl-rb-den-haag-example-2021.nl.pdf"),
        (fr, "fr-cass-example-2023.fr.docx"),
    ):
        assert text.source_filename == name
        assert text.source_file == f"sources/{text.source_sha256}.{name.rsplit('.', 1)[1]}"
        stored = Path(settings.MEDIA_ROOT) / text.source_file
        assert stored.read_bytes() == (good_dir / name).read_bytes()


def test_cited_provision_is_linked_and_adds_derived_crimes(good_dir: Path) -> None:
    ingest_path(good_dir)
    d = Decision.objects.get(uid="de-olg-example-2022")
    provision = d.provisions.get()
    assert provision.citation == "VStGB § 7(1) no. 5"
    assert provision.national_provision_key.startswith("DE:")
    stated = set(d.crimes.filter(derived=False).values_list("crime_id", flat=True))
    derived = set(d.crimes.filter(derived=True).values_list("crime_id", flat=True))
    assert stated == {"7(1)(f)"}
    assert "7(1)(a)" in derived and "7(1)(f)" not in derived  # stated crimes are not repeated
    fr = Decision.objects.get(uid="fr-cass-example-2023")
    assert fr.provisions.get().national_provision_key.startswith("FR:")
    assert fr.crimes.filter(derived=True).exists()


def test_unmatched_provision_is_kept_without_a_key(good_dir: Path) -> None:
    meta = good_dir / "nl-rb-den-haag-example-2021.yaml"
    meta.write_text(meta.read_text() + "provisions: ['Some Unknown Act s. 99']\n")
    ingest_path(meta)
    provision = DecisionProvision.objects.get()
    assert (provision.citation, provision.national_provision_key) == ("Some Unknown Act s. 99", "")
    assert not DecisionCrime.objects.filter(derived=True).exists()


def test_decisions_sharing_a_proceedings_key_are_linked(good_dir: Path) -> None:
    (good_dir / "de-bgh-example-2023.yaml").write_text(
        "title: Example A. appeal (fictional)\ncountry: DE\ncourt: Federal Court of Justice\n"
        "decision_date: 2023-06-01\ninstance: appeal\nproceedings: de-example-a\noutcome: upheld\n"
    )
    ingest_path(good_dir)
    proceedings = Proceedings.objects.get(key="de-example-a")
    assert sorted(proceedings.decisions.values_list("uid", flat=True)) == [
        "de-bgh-example-2023",
        "de-olg-example-2022",
    ]


def test_second_run_changes_nothing_and_records_skipped_stages(good_dir: Path) -> None:
    ingest_path(good_dir)
    before = _db_state()
    runs_before = StageRun.objects.count()
    assert set(StageRun.objects.values_list("status", flat=True)) <= {"ok", "skipped"}
    report = ingest_path(good_dir)
    assert report.counts["unchanged"] == 5 and report.ok
    assert _db_state() == before
    new_runs = StageRun.objects.order_by("id")[runs_before:]
    assert len(new_runs) == 5 * len(PIPELINE)
    assert {r.status for r in new_runs} == {"skipped"}


def test_changed_file_updates_the_decision_and_keeps_its_history(good_dir: Path) -> None:
    ingest_path(good_dir)
    decision = Decision.objects.get(uid="de-olg-example-2022")
    old_hash, old_published = decision.content_hash, decision.published_at
    meta = good_dir / "de-olg-example-2022.yaml"
    meta.write_text(meta.read_text().replace("sentence: Life imprisonment", "sentence: 12 years"))
    text = good_dir / "de-olg-example-2022.de.txt"
    text.write_text(text.read_text() + "\n4. Ein neuer Absatz.\n")

    report = ingest_path(good_dir)

    assert report.counts == {"updated": 1, "unchanged": 4}
    decision.refresh_from_db()
    assert decision.version == 2 and decision.sentence == "12 years"
    assert decision.content_hash != old_hash
    assert decision.published_at == old_published  # still published, not re-published
    history = decision.versions.get()
    assert history.version == 1 and history.reason == "ingest"
    assert history.snapshot["sentence"] == "Life imprisonment"
    assert history.snapshot["content_hash"] == old_hash
    de = decision.texts.get(language="de")
    assert de.paragraphs.get(number=4).body == "Ein neuer Absatz."
    assert decision.crimes.filter(derived=False).count() == 1  # children replaced, not doubled


def test_state_from_curation_is_kept_when_the_file_does_not_set_one(good_dir: Path) -> None:
    meta = good_dir / "nl-rb-den-haag-example-2021.yaml"
    ingest_path(meta)
    Decision.objects.filter(uid="nl-rb-den-haag-example-2021").update(state="review")
    meta.write_text(meta.read_text() + "sentence: 6 years\n")
    ingest_path(meta)
    decision = Decision.objects.get(uid="nl-rb-den-haag-example-2021")
    assert (decision.state, decision.sentence, decision.version) == ("review", "6 years", 2)


def test_check_validates_everything_and_writes_nothing(good_dir: Path) -> None:
    report = ingest_path(good_dir, check=True)
    assert report.ok and report.counts["checked"] == 5
    assert not Decision.objects.exists() and not StageRun.objects.exists()
    assert not (Path(settings.MEDIA_ROOT) / "sources").exists()


def test_check_reports_the_same_errors_as_a_real_run(tmp_path: Path) -> None:
    copy_bad("corrupt-pdf", tmp_path)
    copy_bad("unknown-country", tmp_path)
    report = ingest_path(tmp_path, check=True)
    assert [r.error.split(": ")[1] for r in report.failed] == ["file", "country"]
    assert not StageRun.objects.exists()


def test_one_bad_decision_does_not_stop_the_folder(good_dir: Path) -> None:
    bad = copy_bad("malformed-date", good_dir)
    report = ingest_path(good_dir)
    assert not report.ok
    assert report.counts == {"created": 5, "failed": 1}
    assert report.failed[0].error.startswith(f"{bad}: decision_date: ")
    assert not Decision.objects.filter(uid="malformed-date").exists()


def test_failed_decision_is_rolled_back_whole_and_its_failure_recorded(tmp_path: Path) -> None:
    # The metadata is valid, so validate runs; the corrupt PDF fails extract: nothing is written.
    copy_bad("corrupt-pdf", tmp_path)
    report = ingest_path(tmp_path)
    assert not report.ok and not Decision.objects.exists()
    runs = {r.stage: r for r in StageRun.objects.all()}
    assert runs["validate"].status == "ok"
    assert runs["extract"].status == "failed" and "corrupt-pdf.en.pdf" in runs["extract"].error
    assert "store" not in runs


def test_failure_in_store_rolls_back_the_whole_decision(good_dir: Path, tmp_path: Path) -> None:
    # A file over the stored copy's path makes the copy fail after the Decision row is saved.
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True)
    (media / "sources").write_text("not a folder")
    report = ingest_path(good_dir / "se" / "se-svea-example-2019.yaml")
    assert report.failed and "internal error" in report.failed[0].error
    assert not Decision.objects.exists() and not Proceedings.objects.exists()
    assert StageRun.objects.get(stage="store").status == "failed"


def test_duplicate_ecli_is_an_error_naming_the_other_decision(good_dir: Path) -> None:
    ingest_path(good_dir)
    bad = copy_bad("duplicate-ecli", good_dir.parent / "more")
    report = ingest_path(bad)
    assert report.failed[0].error == (
        f"{bad}: ecli: ECLI:DE:OLGKOBL:2022:0113.1STE99.19.00 is already the ECLI of decision "
        "'de-olg-example-2022'; an ECLI identifies one decision, fix one of them"
    )


def test_duplicate_ecli_within_one_check_run_is_caught(good_dir: Path) -> None:
    copy_bad("duplicate-ecli", good_dir)
    report = ingest_path(good_dir, check=True)
    assert [r.path.endswith("duplicate-ecli.yaml") for r in report.failed] == [True]


def test_same_uid_twice_in_one_run_is_an_error(good_dir: Path) -> None:
    other = good_dir / "copy"
    other.mkdir()
    (other / "metadata-only.yaml").write_text((good_dir / "metadata-only.yaml").read_text())
    report = ingest_path(good_dir)
    assert (
        len(report.failed) == 1
        and ": uid: 'metadata-only-example' is also the uid of" in report.failed[0].error
    )


def test_stray_text_file_is_reported_as_a_warning(good_dir: Path) -> None:
    (good_dir / "orphan.en.txt").write_text("No metadata.")
    report = ingest_path(good_dir)
    assert report.ok
    assert report.warnings == [
        f"{good_dir / 'orphan.en.txt'}: ignored: no metadata file orphan.yaml beside it"
    ]


def test_two_texts_without_english_need_a_texts_mapping(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text(
        "title: X\ncountry: BE\ncourt: Brussels Assize Court\ndecision_date: 2020\n"
        "instance: first_instance\n"
    )
    (tmp_path / "x.fr.txt").write_text("Texte.")
    (tmp_path / "x.nl.txt").write_text("Tekst.")
    report = ingest_path(tmp_path)
    assert report.failed[0].error.startswith(
        f"{tmp_path / 'x.yaml'}: texts: cannot tell which of fr, nl"
    )
    (tmp_path / "x.yaml").write_text(
        (tmp_path / "x.yaml").read_text() + "texts: {nl: {original: true}}\n"
    )
    assert ingest_path(tmp_path).ok
    assert (
        Text.objects.get(language="nl").is_original
        and not Text.objects.get(language="fr").is_original
    )


def test_texts_entry_without_a_file_is_an_error(good_dir: Path) -> None:
    meta = good_dir / "nl-rb-den-haag-example-2021.yaml"
    meta.write_text(meta.read_text() + "texts: {en: {original: false}}\n")
    report = ingest_path(meta)
    assert report.failed[0].error.startswith(
        f"{meta}: texts.en: no file nl-rb-den-haag-example-2021.en."
    )


def test_stage_version_change_reprocesses_an_unchanged_file(
    good_dir: Path, monkeypatch: Any
) -> None:
    from cicnet.pipeline.split import Split

    meta = good_dir / "se" / "se-svea-example-2019.yaml"
    ingest_path(meta)
    monkeypatch.setattr(Split, "version", "2")  # a new split algorithm must re-split old texts
    report = ingest_path(meta)
    assert report.counts == {"updated": 1}
    assert StageRun.objects.filter(stage="split", version="2", status="ok").count() == 1


def test_norway_is_a_country_not_a_yaml_boolean(tmp_path: Path) -> None:
    (tmp_path / "no-example.yaml").write_text(
        "title: X\ncountry: NO\ncourt: Borgarting Court of Appeal\ndecision_date: 2020\n"
        "instance: appeal\ndemo: true\nterrorism_concurrent: false\nkeywords: [yes, on]\n"
    )
    assert ingest_path(tmp_path).ok
    decision = Decision.objects.get()
    assert (decision.country, decision.is_demo, decision.terrorism_concurrent) == (
        "NO",
        True,
        False,
    )
    assert decision.keywords == ["yes", "on"]


def test_duplicate_key_in_metadata_is_refused_naming_file_key_and_line(tmp_path: Path) -> None:
    meta = tmp_path / "de-example.yaml"
    meta.write_text(
        "title: X\ncountry: DE\ncourt: Federal Court of Justice\ndecision_date: 2020\n"
        "instance: appeal\n"
        "access: secretariat\naccess: public\n"
    )
    report = ingest_path(tmp_path)
    assert not report.ok
    error = report.failed[0].error
    assert error.startswith(f"{meta}: line 7: ")
    assert "duplicate key 'access'" in error and "first on line 6" in error
    assert not Decision.objects.exists()  # never silently the last value


def test_an_excerpt_is_stored_with_what_it_holds_and_faceted_as_excerpt(tmp_path: Path) -> None:
    from cicnet.access.policy import ANONYMOUS
    from cicnet.search.services import rebuild_index, search_decisions
    from cicnet.search.types import SearchParams

    (tmp_path / "x.yaml").write_text(
        "title: X\ncountry: BE\ncourt: Brussels Assize Court\ndecision_date: 2020\n"
        "instance: first_instance\n"
        "state: published\n"
        "texts: {en: {original: true, completeness: excerpt,\n"
        "             excerpt_contents: Procedure and facts}}\n"
    )
    (tmp_path / "x.en.txt").write_text("PROCEDURE\n\nThe case began.\n\nTHE FACTS\n\nIt happened.")
    assert ingest_path(tmp_path).ok
    text = Text.objects.get(decision__uid="x")
    assert (text.completeness, text.excerpt_contents) == ("excerpt", "Procedure and facts")
    assert text.completeness_label == "Excerpt: procedure and facts"
    rebuild_index()
    page = search_decisions(actor=ANONYMOUS, params=SearchParams())
    assert {f.value: f.label for f in page.facets["has_text"]} == {"excerpt": "Excerpt only"}
    only_complete = search_decisions(
        actor=ANONYMOUS, params=SearchParams(filters={"has_text": ("yes",)})
    )
    assert only_complete.count == 0


@pytest.mark.parametrize(
    ("spec", "error"),
    [
        (
            "{completeness: excerpt}",
            "texts.en.excerpt_contents: an excerpt must say which parts it holds",
        ),
        ("{completeness: partial}", "texts.en.completeness: unknown id 'partial'"),
        (
            "{excerpt_contents: Facts}",
            "texts.en.excerpt_contents: only an excerpt has contents",
        ),
    ],
)
def test_excerpt_metadata_mistakes_name_the_field(tmp_path: Path, spec: str, error: str) -> None:
    (tmp_path / "x.yaml").write_text(
        "title: X\ncountry: BE\ncourt: Brussels Assize Court\ndecision_date: 2020\n"
        "instance: first_instance\n"
        f"texts: {{en: {spec}}}\n"
    )
    (tmp_path / "x.en.txt").write_text("Text.")
    report = ingest_path(tmp_path)
    assert not report.ok
    assert error in report.failed[0].error
