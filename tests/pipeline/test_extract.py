"""Stage extract: text from the real fixture files; one clear error per unreadable file."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from cicnet.pipeline.base import Document, InputError, TextSource
from cicnet.pipeline.extract import Extract

from .conftest import BAD, GOOD


def _document(*paths: Path, data: bytes | None = None) -> Document:
    texts = []
    for path in paths:
        blob = path.read_bytes() if data is None else data
        language, ext = path.name.split(".")[-2:]
        texts.append(
            TextSource(
                path=path,
                language=language,
                ext=ext,
                data=blob,
                sha256=hashlib.sha256(blob).hexdigest(),
            )
        )
    return Document(path=paths[0].with_name("x.yaml"), data=b"", texts=texts, content_hash="")


def test_txt_html_docx_and_pdf_are_extracted_with_paragraph_breaks() -> None:
    doc = _document(
        GOOD / "de-olg-example-2022.de.txt",
        GOOD / "de-olg-example-2022.en.html",
        GOOD / "fr-cass-example-2023.fr.docx",
        GOOD / "nl-rb-den-haag-example-2021.nl.pdf",
    )
    result = Extract().run(doc)
    de, en, fr, nl = (t.body for t in doc.texts)
    assert result.status == "ok"
    assert de.startswith("OBERLANDESGERICHT KOBLENZ") and "Folter schuldig." in de
    assert "\n\n2. Er wird" in de
    # HTML: one block per <p>, inline markup kept in the sentence, scripts dropped
    assert "by torture." in en and "\n\n3. The defendant bears" in en
    assert "console.log" not in en and "Translation" not in en
    assert fr.split("\n\n")[0] == "COUR D'ASSISES DE PARIS" and "réclusion criminelle" in fr
    assert "1. De verdachte was tussen 2014 en 2016" in nl and "zes jaren." in nl


def test_corrupt_pdf_is_an_error_naming_the_file() -> None:
    doc = _document(BAD / "corrupt-pdf.en.pdf")
    with pytest.raises(InputError) as err:
        Extract().run(doc)
    assert err.value.path.endswith("corrupt-pdf.en.pdf")
    assert err.value.line.startswith(f"{BAD / 'corrupt-pdf.en.pdf'}: file: is a corrupt PDF")


def test_pdf_without_text_layer_is_an_error_when_ocr_is_off(tmp_path: Path, settings) -> None:
    from reportlab.pdfgen import canvas

    settings.CICNET_OCR = False
    path = tmp_path / "scan.en.pdf"
    c = canvas.Canvas(str(path))
    c.rect(100, 100, 200, 200)  # a drawing, no text: what a scan looks like to a text extractor
    c.save()
    with pytest.raises(InputError, match="no text layer"):
        Extract().run(_document(path))


def test_pdf_whose_scan_holds_no_text_is_an_error_naming_the_file(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "blank.en.pdf"
    c = canvas.Canvas(str(path))
    c.rect(100, 100, 200, 200)
    c.save()
    with pytest.raises(InputError, match="OCR found no text") as err:
        Extract().run(_document(path))
    assert err.value.path == str(path)


def test_corrupt_docx_is_an_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.fr.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError) as err:
        Extract().run(_document(path))
    assert err.value.path == str(path) and "not a readable DOCX" in err.value.message


def test_txt_that_is_not_utf8_is_an_error_saying_so(tmp_path: Path) -> None:
    path = tmp_path / "latin.de.txt"
    path.write_bytes("Straße".encode("latin-1"))
    with pytest.raises(InputError, match=r"latin\.de\.txt: encoding: is not UTF-8"):
        Extract().run(_document(path))


def test_empty_text_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.en.txt"
    path.write_text("  \n\n ")
    with pytest.raises(InputError, match="contains no text"):
        Extract().run(_document(path))
