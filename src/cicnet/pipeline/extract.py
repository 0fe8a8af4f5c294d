"""Stage ``extract``: plain text out of each text file (.txt, .html, .docx, .pdf).

Paragraph breaks are kept as blank lines so that the split stage can number them. A PDF's pages
without a text layer (scans) are OCR'd in the file's language (``ocr.py``); each page's origin
and OCR confidence is kept on the text (``TextSource.ocr_pages``), which flags it for
proofreading. A file that cannot be read (corrupt PDF or DOCX, a scan when OCR is off or finds
nothing, a text file that is not UTF-8) is an ``InputError`` naming the file.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable
from pathlib import Path

from cicnet.pipeline import ocr
from cicnet.pipeline.base import Document, InputError, Stage, StageResult, TextSource

_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _txt(text: TextSource) -> str:
    try:
        return text.data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            text.path, "encoding", f"is not UTF-8 (byte {exc.start}); save it as UTF-8"
        ) from exc


_BLOCKS = [
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "td",
    "th",
    "dd",
    "dt",
]


def _html(text: TextSource) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text.data, "html.parser")
    for tag in soup(["script", "style", "head", "nav", "noscript"]):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    blocks = []
    for el in soup.find_all(_BLOCKS):
        if el.find(_BLOCKS):  # an outer block: its inner blocks are taken one by one
            continue
        chunk = " ".join(el.get_text().split())
        if chunk:
            blocks.append(chunk)
    if not blocks:  # no block markup: fall back to the text's own line breaks
        return soup.get_text("\n")
    return "\n\n".join(blocks)


def _docx(text: TextSource) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        doc = docx.Document(io.BytesIO(text.data))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise InputError(
            text.path,
            "file",
            f"is not a readable DOCX ({exc}); save it again from the word processor",
        ) from exc
    except Exception as exc:
        raise InputError(
            text.path,
            "file",
            f"is not a readable DOCX ({type(exc).__name__}); save it again from the word processor",
        ) from exc
    return "\n\n".join(p.text.strip() for p in doc.paragraphs if p.text.strip())


def _pdf(text: TextSource) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf logs recoverable damage as warnings; the error below is what the user needs.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(text.data))
        if reader.is_encrypted:
            raise InputError(text.path, "file", "is an encrypted PDF; save an unencrypted copy")
        pages = [page.extract_text() or "" for page in reader.pages]
        scanned = [
            i for i, t in enumerate(pages) if len("".join(t.split())) < ocr.MIN_TEXT_LAYER_CHARS
        ]
        if scanned and text.language and ocr.ocr_enabled():
            # Pages without a text layer: OCR them and keep what each page came from.
            found = ocr.pdf_pages(text.data, path=text.path, language=text.language)
            text.ocr_pages = [p.as_record() for p in found]
            body = "\n\n".join(p.text for p in found if p.text.strip())
            if not body.strip():
                raise InputError(
                    text.path,
                    "file",
                    f"OCR found no text on its {len(scanned)} scanned pages (blank, or beyond "
                    "the per-page timeout); check the scan or give the text as .txt",
                )
            return body
        text.ocr_pages = [
            {"page": i + 1, "ocr": False, "confidence": None} for i in range(len(pages))
        ]
        body = "\n".join(pages)
        if body.strip() and not _BLANK_LINE.search(body):
            # No paragraph gaps in the plain extraction: layout mode keeps vertical gaps as blank
            # lines, which the split stage needs when the paragraphs are not numbered.
            layout = "\n".join(
                page.extract_text(extraction_mode="layout") or "" for page in reader.pages
            )
            if _BLANK_LINE.search(layout):
                body = layout
    except InputError:
        raise
    except (
        PdfReadError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        OSError,
    ) as exc:
        raise InputError(
            text.path,
            "file",
            f"is a corrupt PDF ({type(exc).__name__}: {exc}); replace it with a readable copy",
        ) from exc
    if not body.strip():
        raise InputError(
            text.path,
            "file",
            "has no text layer (a scanned PDF) and OCR is off (CICNET_OCR=0); turn it on, run "
            "OCR on it first, or give the text as .txt"
            if text.language
            else "has no text layer (a scanned PDF); run OCR on it first or give the text as .txt",
        )
    return body


EXTRACTORS: dict[str, Callable[[TextSource], str]] = {
    "txt": _txt,
    "html": _html,
    "docx": _docx,
    "pdf": _pdf,
}


def text_of(name: str, data: bytes) -> str | None:
    """The plain text of a file by its extension (txt, html, docx, pdf), for uses outside
    ingestion such as the network library; ``None`` for other kinds of file (images, video).
    A file that claims a known kind but cannot be read raises ``InputError`` naming it."""
    ext = Path(name).suffix.lower().lstrip(".")
    ext = {"htm": "html"}.get(ext, ext)
    extractor = EXTRACTORS.get(ext)
    if extractor is None:
        return None
    source = TextSource(path=Path(name), language="", ext=ext, data=data, sha256="")
    return extractor(source).replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").strip()


class Extract(Stage):
    """Extract the plain text of every text file of the document."""

    name = "extract"
    version = "2"

    def run(self, document: Document) -> StageResult:
        for text in document.texts:
            body = EXTRACTORS[text.ext](text).replace("\r\n", "\n").replace("\r", "\n")
            body = body.replace("\x00", "")
            if not body.strip():
                raise InputError(text.path, "file", "contains no text; remove it or add the text")
            text.body = body.strip()
        return StageResult(detail=f"{len(document.texts)} texts")
