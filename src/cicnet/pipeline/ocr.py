"""OCR of scanned PDF pages: Tesseract through OCRmyPDF (docs/decisions/0122).

``pdf_pages(data, path=, language=)`` gives one ``PageText`` per page: a page with a text layer
is read with pypdf; the pages without one are OCR'd together in one OCRmyPDF run (``--pages``
restricted to them, ``--skip-text``), in the file's language plus English, with Tesseract's
per-page timeout (``CICNET_OCR_PAGE_TIMEOUT``). OCRmyPDF runs as a child process with its own
temporary folder so that its work files (one hOCR file per page) can be read back: each OCR'd
page's text comes from its hOCR sidecar text and its confidence is the mean of Tesseract's word
confidences (``x_wconf``, 0-100). Nothing is downloaded: the language packs are Debian packages
(``make setup``).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from cicnet.pipeline.base import InputError

# A page with fewer visible characters than this in its text layer is treated as a scan (a lone
# page number or a stamp printed over an image is not a text layer).
MIN_TEXT_LAYER_CHARS = 10
_WCONF = re.compile(r"x_wconf\s+(\d+)")
# ISO 639-1 -> Tesseract's traineddata name, for the languages whose packs make setup installs.
TESSERACT_LANGUAGES = {
    "en": "eng",
    "de": "deu",
    "fr": "fra",
    "nl": "nld",
    "sv": "swe",
    "fi": "fin",
    "es": "spa",
    "uk": "ukr",
    "ru": "rus",
    "ar": "ara",
}


@dataclass(frozen=True)
class PageText:
    """One page: its text, whether it came from OCR, and the mean word confidence (0-100)."""

    page: int  # 1-based
    text: str
    ocr: bool
    confidence: float | None = None

    def as_record(self) -> dict[str, object]:
        return {"page": self.page, "ocr": self.ocr, "confidence": self.confidence}


def ocr_enabled() -> bool:
    return bool(getattr(settings, "CICNET_OCR", True))


@cache
def installed_languages() -> frozenset[str]:
    """The traineddata Tesseract has (``tesseract --list-langs``); empty without Tesseract."""
    exe = shutil.which("tesseract")
    if exe is None:
        return frozenset()
    out = subprocess.run(  # noqa: S603 - a fixed command, no user input
        [exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
    )
    return frozenset(line.strip() for line in out.stdout.splitlines()[1:] if line.strip())


def tesseract_languages(path: Path | str, language: str) -> str:
    """``deu+eng`` for a German file; raises ``InputError`` when the pack is not installed."""
    have = installed_languages()
    if not have:
        raise InputError(
            path,
            "file",
            "has pages without a text layer and Tesseract is not installed; run make setup "
            "(Debian packages tesseract-ocr, ocrmypdf) or give the text as .txt",
        )
    code = TESSERACT_LANGUAGES.get(language)
    if code is None or code not in have:
        raise InputError(
            path,
            "file",
            f"has pages without a text layer and there is no Tesseract language pack for "
            f"'{language}'; install tesseract-ocr-{code or language} or give the text as .txt",
        )
    return code if code == "eng" or "eng" not in have else f"{code}+eng"


def _mean_confidence(hocr: str) -> float | None:
    values = [int(v) for v in _WCONF.findall(hocr)]
    return round(sum(values) / len(values), 1) if values else None


def _run_ocrmypdf(
    data: bytes, *, path: Path | str, pages: list[int], languages: str
) -> dict[int, PageText]:
    per_page = int(getattr(settings, "CICNET_OCR_PAGE_TIMEOUT", 120))
    jobs = int(getattr(settings, "CICNET_OCR_JOBS", 2))
    with tempfile.TemporaryDirectory(prefix="cicnet-ocr-") as tmp:
        work = Path(tmp)
        (work / "tmp").mkdir()
        source, target = work / "in.pdf", work / "out.pdf"
        source.write_bytes(data)
        command = [
            sys.executable,
            "-m",
            "ocrmypdf",
            "--skip-text",
            "--rotate-pages",
            "--keep-temporary-files",
            "--quiet",
            "--output-type",
            "pdf",
            "--optimize",
            "0",
            "--jobs",
            str(jobs),
            "--language",
            languages,
            "--pages",
            ",".join(str(p) for p in pages),
            "--tesseract-timeout",
            str(per_page),
            str(source),
            str(target),
        ]
        env = {**os.environ, "TMPDIR": str(work / "tmp")}
        try:
            done = subprocess.run(  # noqa: S603 - our own argument list, no shell
                command,
                capture_output=True,
                text=True,
                env=env,
                timeout=per_page * len(pages) + 60,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise InputError(
                path,
                "file",
                f"OCR of {len(pages)} scanned pages ran over {per_page} s a page; split the PDF "
                "or raise CICNET_OCR_PAGE_TIMEOUT",
            ) from exc
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise InputError(
                path,
                "file",
                f"OCR failed (OCRmyPDF exit {done.returncode}: {last}); check that the PDF "
                "opens, or give the text as .txt",
            )
        folders = list((work / "tmp").glob("ocrmypdf.io.*"))
        found: dict[int, PageText] = {}
        for page in pages:
            text, hocr = "", ""
            for folder in folders:
                txt = folder / f"{page:06d}_ocr_hocr.txt"
                if txt.exists():
                    text = txt.read_text("utf-8", errors="replace")
                    hocr_file = folder / f"{page:06d}_ocr_hocr.hocr"
                    hocr = (
                        hocr_file.read_text("utf-8", errors="replace") if hocr_file.exists() else ""
                    )
            found[page] = PageText(page, text.strip(), True, _mean_confidence(hocr))
        return found


def pdf_pages(data: bytes, *, path: Path | str, language: str) -> list[PageText]:
    """Every page's text, OCR'ing the pages without a text layer (see module docstring)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    texts = [page.extract_text() or "" for page in reader.pages]
    scanned = [i + 1 for i, t in enumerate(texts) if len("".join(t.split())) < MIN_TEXT_LAYER_CHARS]
    pages = [PageText(i + 1, t, False) for i, t in enumerate(texts)]
    if not scanned or not ocr_enabled():
        return pages
    recognised = _run_ocrmypdf(
        data, path=path, pages=scanned, languages=tesseract_languages(path, language)
    )
    return [recognised.get(p.page, p) for p in pages]
