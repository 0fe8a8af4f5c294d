"""The ``align`` stage: a translation whose paragraphs were split by its translator is regrouped
at ingestion so each paragraph sits beside the original paragraph it translates; translations
that already match are left as split."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from cicnet.jurisprudence.models import Text
from cicnet.pipeline.models import StageRun

pytestmark = pytest.mark.django_db

META = """title: OLG Koblenz, alignment test
country: DE
court: Higher Regional Court of Koblenz
decision_date: 2022-01-13
instance: first_instance
texts:
  de: {original: true}
  en: {provenance: human, translator: Test translator}
"""
GERMAN = [
    "Das Oberlandesgericht Koblenz verurteilte den Angeklagten am 13. Januar 2022.",
    "Der Angeklagte ist schuldig. Verbrechen gegen die Menschlichkeit in 27 Fällen.",
    "Die Kosten des Verfahrens trägt der Angeklagte.",
]
# The translator cut the second paragraph in two.
ENGLISH = [
    "The Higher Regional Court of Koblenz convicted the accused on 13 January 2022.",
    "The accused is guilty.",
    "Crimes against humanity in 27 cases.",
    "The accused bears the costs of the proceedings.",
]


def _ingest(folder: Path, english: list[str], settings: Any) -> None:
    settings.CICNET_PIPELINE = ["validate", "extract", "split", "align", "store"]
    (folder / "koblenz.yaml").write_text(META, encoding="utf-8")
    (folder / "koblenz.de.txt").write_text("\n\n".join(GERMAN), encoding="utf-8")
    (folder / "koblenz.en.txt").write_text("\n\n".join(english), encoding="utf-8")
    call_command("ingest", str(folder), stdout=StringIO(), stderr=StringIO())


def test_split_paragraphs_are_regrouped_by_the_original(tmp_path: Path, settings: Any) -> None:
    _ingest(tmp_path, ENGLISH, settings)
    english = Text.objects.get(decision__uid="koblenz", language="en")
    assert list(english.paragraphs.values_list("number", "body")) == [
        (1, ENGLISH[0]),
        (2, "The accused is guilty. Crimes against humanity in 27 cases."),
        (3, ENGLISH[3]),
    ]
    assert StageRun.objects.get(stage="align").status == "ok"


def test_a_matching_translation_is_left_as_split(tmp_path: Path, settings: Any) -> None:
    matching = [
        ENGLISH[0],
        "The accused is guilty. Crimes against humanity in 27 cases.",
        ENGLISH[3],
    ]
    _ingest(tmp_path, matching, settings)
    english = Text.objects.get(decision__uid="koblenz", language="en")
    assert list(english.paragraphs.values_list("number", flat=True)) == [1, 2, 3]
    assert StageRun.objects.get(stage="align").status == "skipped"
