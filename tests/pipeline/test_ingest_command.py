"""``cicnet ingest``: one line per bad decision naming file and field, summary, exit status."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cicnet.jurisprudence.models import Decision
from cicnet.pipeline.models import StageRun

from .conftest import BAD, copy_bad

pytestmark = pytest.mark.django_db


def _ingest(*args: str) -> tuple[str, str, CommandError | None]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ingest", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc
    return out.getvalue(), err.getvalue(), None


def test_good_folder_prints_summary_and_succeeds(good_dir: Path) -> None:
    out, err, failure = _ingest(str(good_dir))
    assert failure is None and err == ""
    assert out.strip() == "5 decisions: 5 created, 0 updated, 0 unchanged, 0 failed"
    out, _, _ = _ingest(str(good_dir), "--quiet")
    # This test's transaction never commits, so indexing on commit never ran: the re-run finds
    # the index behind and catches it up (tests/pipeline/test_index_catch_up.py).
    assert out.strip() == (
        "5 decisions: 0 created, 0 updated, 5 unchanged, 0 failed; 5 unchanged re-indexed"
    )


# Each kind of bad input: the fixture, the file the line names, and the field it names.
CASES = [
    ("unknown-country", "unknown-country.yaml", "country"),
    ("malformed-date", "malformed-date.yaml", "decision_date"),
    ("corrupt-pdf", "corrupt-pdf.en.pdf", "file"),
    ("unknown-instance", "unknown-instance.yaml", "instance"),
    ("unknown-outcome", "unknown-outcome.yaml", "outcome"),
    ("unknown-crime", "unknown-crime.yaml", "crimes"),
    ("missing-court", "missing-court.yaml", "court"),
    ("unknown-language", "unknown-language.xx.txt", "language"),
    ("unknown-extension", "unknown-extension.en.rtf", "extension"),
    ("unknown-key", "unknown-key.yaml", "courtt"),
    ("malformed-ecli", "malformed-ecli.yaml", "ecli"),
    ("yaml-syntax", "yaml-syntax.yaml", "line 6"),
]


@pytest.mark.parametrize(("name", "file", "field"), CASES)
def test_bad_input_gets_one_line_naming_file_and_field(
    tmp_path: Path, name: str, file: str, field: str
) -> None:
    copy_bad(name, tmp_path)
    out, err, failure = _ingest(str(tmp_path))
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{tmp_path / file}: {field}: ")
    assert "Traceback" not in err
    assert failure is not None and failure.returncode == 1
    assert "1 of 1 decisions failed" in str(failure)
    assert out.strip() == "1 decisions: 0 created, 0 updated, 0 unchanged, 1 failed"
    assert not Decision.objects.exists()


def test_every_bad_fixture_is_covered_by_a_case() -> None:
    assert {p.name[: -len(".yaml")] for p in BAD.glob("*.yaml")} == {c[0] for c in CASES} | {
        "duplicate-ecli"
    }  # needs the good fixture first: tests/pipeline/test_runner.py


def test_partial_folder_writes_the_good_ones_and_exits_non_zero(good_dir: Path) -> None:
    copy_bad("unknown-country", good_dir)
    copy_bad("corrupt-pdf", good_dir)
    out, err, failure = _ingest(str(good_dir))
    assert failure is not None and "2 of 7 decisions failed" in str(failure)
    assert out.strip() == "7 decisions: 5 created, 0 updated, 0 unchanged, 2 failed"
    assert len(err.strip().splitlines()) == 2
    assert Decision.objects.count() == 5


def test_check_writes_nothing_and_reports_errors(good_dir: Path) -> None:
    copy_bad("malformed-date", good_dir)
    out, err, failure = _ingest("--check", str(good_dir))
    assert failure is not None
    assert out.strip() == "checked 6: 5 valid, 1 failed (nothing written)"
    assert ": decision_date: " in err
    assert not Decision.objects.exists() and not StageRun.objects.exists()


def test_single_metadata_file_is_ingested(good_dir: Path) -> None:
    out, _, failure = _ingest(str(good_dir / "fr-cass-example-2023.yaml"))
    assert failure is None and "1 created" in out
    assert list(Decision.objects.values_list("uid", flat=True)) == ["fr-cass-example-2023"]


@pytest.mark.parametrize("target", ["missing", "good/de-olg-example-2022.de.txt"])
def test_path_that_is_not_a_metadata_file_or_folder_is_an_error(
    good_dir: Path, target: str
) -> None:
    path = good_dir.parent / target
    _, _, failure = _ingest(str(path))
    assert failure is not None and str(failure).startswith(f"{path}: path: ")
