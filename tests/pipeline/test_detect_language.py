"""Stage detect_language: lingua checks each text's file-name language and marks quotations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cicnet.jurisprudence.models import Paragraph, Text
from cicnet.pipeline.base import Document, InputError, TextSource
from cicnet.pipeline.detect_language import DetectLanguage
from cicnet.pipeline.language import detect, same_language
from cicnet.pipeline.runner import ingest_path

FRENCH = (
    "La cour d'assises de Paris a déclaré l'accusé coupable de complicité de crimes contre "
    "l'humanité commis au Rwanda en 1994, et l'a condamné à la réclusion criminelle à perpétuité "
    "après avoir entendu les témoins, les parties civiles et les experts pendant six semaines."
)
GERMAN = (
    "Das Oberlandesgericht hat den Angeklagten wegen eines Verbrechens gegen die Menschlichkeit "
    "in Tateinheit mit einem Kriegsverbrechen gegen Personen zu einer Freiheitsstrafe verurteilt, "
    "nachdem es die Zeugen und die Sachverständigen über viele Verhandlungstage gehört hatte."
)
ENGLISH_QUOTE = (
    "The Trial Chamber held that the accused knew of the widespread and systematic attack "
    "against the civilian population and intended his acts to form part of it."
)


def _source(tmp: Path, language: str, paragraphs: list[str]) -> TextSource:
    text = TextSource(
        path=tmp / f"x.{language}.txt", language=language, ext="txt", data=b"", sha256=""
    )
    text.body = "\n\n".join(paragraphs)
    text.paragraphs = list(enumerate(paragraphs, start=1))
    return text


def _run(*texts: TextSource) -> None:
    DetectLanguage().run(
        Document(path=Path("x.yaml"), data=b"", texts=list(texts), content_hash="")
    )


def test_text_in_the_language_its_name_says_is_accepted(tmp_path: Path) -> None:
    text = _source(tmp_path, "de", [GERMAN, GERMAN])
    _run(text)
    assert text.detected_language == "de" and text.language_confidence > 0.9
    assert text.paragraph_languages == {} and text.warnings == []


def test_text_in_another_language_than_its_file_name_is_refused(tmp_path: Path) -> None:
    text = _source(tmp_path, "de", [FRENCH, FRENCH])
    with pytest.raises(InputError) as err:
        _run(text)
    assert err.value.path == str(tmp_path / "x.de.txt") and err.value.field == "language"
    assert "the file name says 'de' (German) but the text reads as French" in err.value.message
    assert "rename the file x.fr.txt" in err.value.message


def test_short_text_that_disagrees_is_a_warning_not_a_refusal(tmp_path: Path) -> None:
    text = _source(tmp_path, "de", ["La cour a jugé."])
    _run(text)
    assert text.detected_language == "fr"
    assert (
        len(text.warnings) == 1
        and "x.de.txt: language: the file name says 'de'" in text.warnings[0]
    )


def test_quotation_in_another_language_keeps_its_paragraph_language(tmp_path: Path) -> None:
    text = _source(tmp_path, "de", [GERMAN, ENGLISH_QUOTE, GERMAN, "Kurz."])
    _run(text)
    assert text.detected_language == "de" and text.paragraph_languages == {2: "en"}


def test_related_codes_count_as_the_same_language() -> None:
    assert same_language("no", "nb") and same_language("hr", "bs") and not same_language("de", "nl")
    assert detect("1234 — 5678") is None


@pytest.mark.django_db
def test_ingestion_stores_languages_and_the_reader_marks_the_quotation(
    tmp_path: Path, client: Any
) -> None:
    (tmp_path / "de-quote.yaml").write_text(
        "title: Quotation test (fictional)\ncountry: DE\ncourt: Oberlandesgericht Koblenz\n"
        "decision_date: 2022\ninstance: first_instance\nstate: published\ndemo: true\n",
        "utf-8",
    )
    (tmp_path / "de-quote.de.txt").write_text(f"{GERMAN}\n\n{ENGLISH_QUOTE}\n\n{GERMAN}\n", "utf-8")
    (tmp_path / "de-wrong.yaml").write_text(
        "title: Wrong language (fictional)\ncountry: DE\ncourt: Oberlandesgericht Koblenz\n"
        "decision_date: 2022\ninstance: first_instance\ndemo: true\n",
        "utf-8",
    )
    (tmp_path / "de-wrong.de.txt").write_text(f"{FRENCH}\n\n{FRENCH}\n", "utf-8")
    report = ingest_path(tmp_path)
    [failed] = report.failed
    assert "de-wrong.de.txt: language: the file name says 'de'" in failed.error
    text = Text.objects.get(decision__uid="de-quote")
    assert text.detected_language == "de"
    assert Paragraph.objects.get(text=text, number=2).language == "en"
    assert not Text.objects.filter(decision__uid="de-wrong").exists()
    html = client.get("/decisions/de-quote/").content.decode()
    assert 'lang="en" data-testid="para"' in html and "Quoted in English:" in html
