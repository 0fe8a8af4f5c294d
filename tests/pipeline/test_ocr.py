"""Scanned judgments: pages without a text layer are OCR'd (real Tesseract through OCRmyPDF),
their confidence kept per page, the text flagged for proofreading and made searchable."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw, ImageFont

from cicnet.pipeline.base import Document, InputError, TextSource
from cicnet.pipeline.extract import Extract

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
GERMAN = [
    "Das Oberlandesgericht Koblenz verurteilt den Angeklagten",
    "wegen eines Verbrechens gegen die Menschlichkeit",
    "zu einer lebenslangen Freiheitsstrafe.",
    "",
    "Die Kammer stellt fest, dass die Folter im Gefängnis",
    "systematisch angewandt wurde.",
]


def scanned_pdf(lines: list[str], dpi: int = 300) -> bytes:
    """An image-only PDF: the lines rendered to a bitmap page, no text layer."""
    font = ImageFont.truetype(FONT, round(12 * dpi / 72))
    page = Image.new("L", (round(8.27 * dpi), round(11.69 * dpi)), 255)
    draw = ImageDraw.Draw(page)
    y = dpi
    for line in lines:
        draw.text((dpi, y), line, font=font, fill=0)
        y += round(20 * dpi / 72)
    out = io.BytesIO()
    page.save(out, format="PDF", resolution=dpi)
    return out.getvalue()


def text_pdf(lines: list[str]) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out)
    y = 750
    for line in lines:
        c.drawString(72, y, line)
        y -= 16
    c.save()
    return out.getvalue()


def _source(path: Path, data: bytes, language: str) -> TextSource:
    return TextSource(
        path=path, language=language, ext="pdf", data=data, sha256=hashlib.sha256(data).hexdigest()
    )


def test_scanned_page_is_ocrd_with_its_confidence_and_flagged(tmp_path: Path) -> None:
    text = _source(tmp_path / "x.de.pdf", scanned_pdf(GERMAN), "de")
    Extract().run(Document(path=tmp_path / "x.yaml", data=b"", texts=[text], content_hash=""))
    assert "Verbrechens gegen die Menschlichkeit" in text.body
    assert "lebenslangen Freiheitsstrafe" in text.body
    assert "Gefängnis" in text.body  # German traineddata: the umlaut is read
    [page] = text.ocr_pages
    assert page["page"] == 1 and page["ocr"] is True
    assert 80 <= page["confidence"] <= 100
    assert text.needs_proofreading


def test_only_pages_without_a_text_layer_are_ocrd(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for blob in (
        text_pdf(["Page one has a real text layer with enough letters."]),
        scanned_pdf(GERMAN),
    ):
        writer.add_page(PdfReader(io.BytesIO(blob)).pages[0])
    out = io.BytesIO()
    writer.write(out)
    text = _source(tmp_path / "mixed.de.pdf", out.getvalue(), "de")
    Extract().run(Document(path=tmp_path / "x.yaml", data=b"", texts=[text], content_hash=""))
    assert [p["ocr"] for p in text.ocr_pages] == [False, True]
    assert text.ocr_pages[0]["confidence"] is None
    assert text.body.index("Page one has a real text layer") < text.body.index("Koblenz")


def test_pdf_with_a_text_layer_is_not_flagged(tmp_path: Path) -> None:
    text = _source(tmp_path / "t.en.pdf", text_pdf(["A judgment with its own text layer."]), "en")
    Extract().run(Document(path=tmp_path / "x.yaml", data=b"", texts=[text], content_hash=""))
    assert not text.needs_proofreading and text.ocr_pages == [
        {"page": 1, "ocr": False, "confidence": None}
    ]


def test_scan_in_a_language_without_a_tesseract_pack_is_refused_by_name(tmp_path: Path) -> None:
    text = _source(tmp_path / "x.lt.pdf", scanned_pdf(GERMAN), "lt")
    with pytest.raises(InputError, match="no Tesseract language pack for 'lt'") as err:
        Extract().run(Document(path=tmp_path / "x.yaml", data=b"", texts=[text], content_hash=""))
    assert err.value.path == str(tmp_path / "x.lt.pdf")


@pytest.mark.django_db
def test_scanned_pdf_is_ingested_searchable_and_flagged(
    tmp_path: Path, actors: Any, users: Any, client: Any
) -> None:
    from cicnet.access.policy import ANONYMOUS
    from cicnet.anonymisation.sign_off import sign_off_decision
    from cicnet.jurisprudence.models import Text
    from cicnet.pipeline.runner import ingest_path
    from cicnet.search.services import rebuild_index, search_decisions
    from cicnet.search.types import SearchParams

    (tmp_path / "de-scan-2022.yaml").write_text(
        "title: Scanned judgment (fictional)\ncountry: DE\ncourt: Oberlandesgericht Koblenz\n"
        "decision_date: 2022\ninstance: first_instance\nstate: published\ndemo: true\n",
        "utf-8",
    )
    (tmp_path / "de-scan-2022.de.pdf").write_bytes(scanned_pdf(GERMAN))
    curator = actors["curator"]
    report = ingest_path(tmp_path)
    assert not report.failed, [r.error for r in report.failed]
    text = Text.objects.get(decision__uid="de-scan-2022")
    assert text.needs_proofreading and text.ocr_pages[0]["ocr"] is True
    assert text.detected_language == "de"
    # the sign-off gate holds: the text is withheld from the index until a curator signs off
    rebuild_index()
    assert search_decisions(actor=ANONYMOUS, params=SearchParams(q="Freiheitsstrafe")).count == 0
    sign_off_decision(actor=curator, decision=text.decision, kind="reviewed")
    rebuild_index()
    page = search_decisions(actor=ANONYMOUS, params=SearchParams(q="Freiheitsstrafe"))
    assert [h.uid for h in page.hits] == ["de-scan-2022"]
    # the reader flags the OCR'd text for everyone; curators also see the page confidences
    html = client.get("/decisions/de-scan-2022/").content.decode()
    assert 'data-testid="ocr-note-de"' in html and "Read from a scan by OCR" in html
    assert "mean Tesseract word confidence" not in html
    client.force_login(users["curator"])
    html = client.get("/decisions/de-scan-2022/").content.decode()
    assert f"1 OCR {text.ocr_pages[0]['confidence']}" in html
    # a curator records the proofreading: the flag goes, the audit log keeps who did it
    from cicnet.audit.models import AuditEntry

    assert 'data-testid="proofread-de"' in html
    response = client.post("/decisions/de-scan-2022/texts/de/proofread/")
    assert response.status_code == 302
    text.refresh_from_db()
    assert not text.needs_proofreading
    entry = AuditEntry.objects.get(action="text.proofread")
    assert entry.object_id == "de-scan-2022" and entry.actor_id == users["curator"].id
    html = client.get("/decisions/de-scan-2022/").content.decode()
    assert "Read from a scan by OCR" not in html
    # nobody else may: a member gets 404 and the flag stays as it is
    text.needs_proofreading = True
    text.save()
    client.force_login(users["member"])
    assert client.post("/decisions/de-scan-2022/texts/de/proofread/").status_code == 404
    text.refresh_from_db()
    assert text.needs_proofreading
