"""OCR accuracy and speed on scanned-looking pages made from real text; prints JSON.

    .venv/bin/python bench/ocr.py                  # 3 languages x 200/300 dpi x 4 degradations
    .venv/bin/python bench/ocr.py --documents 2    # more text: pages from 2 documents per language

Text: the English, French and Spanish paragraphs of ../shared/data/parallel/echr_en_fr_es_40.jsonl
(real ECtHR judgments; NOTICE.md there), the first ``--documents`` documents' opening paragraphs,
one A4 page each (DejaVu Serif 11 pt, 1-inch margins). Each page is rendered to a bitmap at 200
and 300 dpi and degraded four ways: ``clean``; ``rotated`` (1.5 degrees, as a sheet put askew on
the scanner); ``blurred`` (Gaussian blur, 0.35 pt radius); ``noisy`` (Gaussian noise, sigma 40
grey levels, plus 0.5 % salt-and-pepper specks). The bitmap is wrapped as an image-only PDF and
read back through ``cicnet.pipeline.ocr.pdf_pages`` (OCRmyPDF + Tesseract, the code ingestion
runs, ``CICNET_OCR_JOBS`` as set). Nothing is tuned on this text.

Character accuracy = 1 - Levenshtein(OCR text, rendered text) / length of the rendered text,
after collapsing whitespace (every space, line break and paragraph break is one space). Seconds
per page: wall time of ``pdf_pages`` on that one page (the OCRmyPDF process start included).
Goal (issue 12): at least 98 % at 300 dpi.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cicnet.config.settings")
PARALLEL = ROOT.parent / "shared" / "data" / "parallel" / "echr_en_fr_es_40.jsonl"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
LANGUAGES = ("en", "fr", "es")
DEGRADATIONS = ("clean", "rotated", "blurred", "noisy")


def levenshtein(a: str, b: str) -> int:
    """Edit distance, one numpy row at a time (insertions by a running minimum)."""
    if not a:
        return len(b)
    bb = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    steps = np.arange(len(b) + 1)
    row = steps.copy()
    for i, ch in enumerate(a, start=1):
        cost = (bb != ord(ch)).astype(np.int64)
        new = np.empty_like(row)
        new[0] = i
        new[1:] = np.minimum(row[1:] + 1, row[:-1] + cost)
        row = np.minimum.accumulate(new - steps) + steps
    return int(row[-1])


def page_lines(paragraphs: list[str], dpi: int) -> list[str]:
    """The paragraphs wrapped to an A4 page's text width; as many lines as fit on one page."""
    from PIL import ImageFont

    font = ImageFont.truetype(FONT, round(11 * dpi / 72))
    width, height = 6.27 * dpi, 9.69 * dpi
    line_h = 15 * dpi / 72
    lines: list[str] = []
    for paragraph in paragraphs:
        current = ""
        for word in paragraph.split():
            trial = f"{current} {word}".strip()
            if font.getlength(trial) <= width:
                current = trial
            else:
                lines.append(current)
                current = word
        lines.append(current)
        lines.append("")
        if len(lines) * line_h > height:
            break
    fit = int(height // line_h)
    return lines[:fit]


def render(lines: list[str], dpi: int, degradation: str, rng: random.Random) -> bytes:
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    font = ImageFont.truetype(FONT, round(11 * dpi / 72))
    page = Image.new("L", (round(8.27 * dpi), round(11.69 * dpi)), 255)
    draw = ImageDraw.Draw(page)
    y = dpi
    for line in lines:
        draw.text((dpi, y), line, font=font, fill=0)
        y += round(15 * dpi / 72)
    if degradation == "rotated":
        page = page.rotate(1.5, resample=Image.BICUBIC, fillcolor=255)
    elif degradation == "blurred":
        page = page.filter(ImageFilter.GaussianBlur(radius=0.35 * dpi / 72))
    elif degradation == "noisy":
        pixels = np.asarray(page, dtype=np.float64)
        noise = np.random.default_rng(rng.randrange(2**32)).normal(0, 40, pixels.shape)
        pixels = np.clip(pixels + noise, 0, 255)
        specks = np.random.default_rng(rng.randrange(2**32)).random(pixels.shape)
        pixels[specks < 0.0025] = 0
        pixels[specks > 0.9975] = 255
        page = Image.fromarray(pixels.astype(np.uint8))
    out = io.BytesIO()
    page.save(out, format="PDF", resolution=dpi)
    return out.getvalue()


def texts(documents: int) -> dict[str, list[list[str]]]:
    rows = [json.loads(line) for line in PARALLEL.read_text("utf-8").splitlines()[:documents]]
    return {
        lang: [[p[lang] for p in row["paragraphs"] if p.get(lang)] for row in rows]
        for lang in LANGUAGES
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1)
    args = parser.parse_args()
    import django

    django.setup()
    from cicnet.pipeline.ocr import pdf_pages

    rng = random.Random(12)
    results = []
    for lang, docs in texts(args.documents).items():
        for d, paragraphs in enumerate(docs):
            for dpi in (300, 200):
                lines = page_lines(paragraphs, dpi)
                truth = " ".join(" ".join(lines).split())
                for degradation in DEGRADATIONS:
                    pdf = render(lines, dpi, degradation, rng)
                    started = time.perf_counter()
                    [page] = pdf_pages(pdf, path=f"bench-{lang}.pdf", language=lang)
                    seconds = time.perf_counter() - started
                    got = " ".join(page.text.split())
                    errors = levenshtein(got, truth)
                    results.append(
                        {
                            "language": lang,
                            "document": d,
                            "dpi": dpi,
                            "degradation": degradation,
                            "characters": len(truth),
                            "edit_distance": errors,
                            "accuracy": round(1 - errors / len(truth), 4),
                            "tesseract_confidence": page.confidence,
                            "seconds": round(seconds, 2),
                        }
                    )
                    print(json.dumps(results[-1]), file=sys.stderr)

    def summary(rows: list[dict[str, object]]) -> dict[str, object]:
        chars = sum(int(r["characters"]) for r in rows)  # type: ignore[call-overload]
        errors = sum(int(r["edit_distance"]) for r in rows)  # type: ignore[call-overload]
        return {
            "pages": len(rows),
            "characters": chars,
            "accuracy": round(1 - errors / chars, 4),
            "worst_page": min(float(r["accuracy"]) for r in rows),  # type: ignore[arg-type]
            "seconds_per_page": round(statistics.mean(float(r["seconds"]) for r in rows), 2),  # type: ignore[arg-type]
        }

    print(
        json.dumps(
            {
                "benchmark": "ocr",
                "text": str(PARALLEL.relative_to(ROOT.parent)),
                "ocr_jobs": int(os.environ.get("CICNET_OCR_JOBS", "2")),
                "by_dpi": {
                    str(dpi): summary([r for r in results if r["dpi"] == dpi]) for dpi in (300, 200)
                },
                "by_dpi_and_degradation": {
                    f"{dpi}/{g}": summary(
                        [r for r in results if r["dpi"] == dpi and r["degradation"] == g]
                    )
                    for dpi in (300, 200)
                    for g in DEGRADATIONS
                },
                "by_language_300dpi": {
                    lang: summary([r for r in results if r["language"] == lang and r["dpi"] == 300])
                    for lang in LANGUAGES
                },
                "goal": "accuracy >= 0.98 at 300 dpi",
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
