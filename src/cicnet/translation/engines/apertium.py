"""Apertium, the embedded default: rule-based, from Debian packages (``apertium``,
``apertium-en-es``, ``apertium-fr-es``), run as a subprocess with a timeout. Pairs offered here:
Spanish→English, English→Spanish, French→English (through Spanish: fr→es then es→en), and
French↔Spanish. Gist quality only: drafts are labelled "rough machine draft"."""

from __future__ import annotations

import shutil
import subprocess

from .base import EngineError

# (source, target) → the Apertium modes to run in sequence.
PAIRS: dict[tuple[str, str], tuple[str, ...]] = {
    ("es", "en"): ("spa-eng",),
    ("en", "es"): ("eng-spa",),
    ("fr", "es"): ("fr-es",),
    ("es", "fr"): ("es-fr",),
    ("fr", "en"): ("fr-es", "spa-eng"),
}
# Paragraphs are sent in one call, separated by a line Apertium leaves alone.
_SEPARATOR = "\n\n[[¶]]\n\n"


class Apertium:
    name = "apertium"
    label = "Rough machine draft (Apertium)"
    asynchronous = False

    def __init__(self, *, timeout: float, binary: str = "apertium") -> None:
        self.timeout = timeout
        self.binary = binary

    def supports(self, source: str, target: str) -> bool:
        return (source, target) in PAIRS

    def translate(self, paragraphs: list[str], *, source: str, target: str) -> list[str]:
        modes = PAIRS.get((source, target))
        if modes is None:
            offered = ", ".join(f"{s}→{t}" for s, t in sorted(PAIRS))
            raise EngineError(
                f"Apertium offers no {source}→{target} draft here (offered: {offered}); "
                "translate this paragraph by hand or configure another engine."
            )
        if shutil.which(self.binary) is None:
            raise EngineError(
                "Apertium is not installed: run `make setup` (it installs the Debian packages "
                "apertium, apertium-en-es, apertium-fr-es) or set CICNET_MT_ENGINE."
            )
        text = _SEPARATOR.join(p.replace("[[¶]]", "") for p in paragraphs)
        for mode in modes:
            try:
                done = subprocess.run(  # noqa: S603 - fixed binary and mode names, no shell
                    [self.binary, "-u", mode],
                    input=text,
                    capture_output=True,
                    text=True,
                    timeout=self.timeout,
                    check=False,
                )
            except subprocess.TimeoutExpired as exc:
                raise EngineError(
                    f"Apertium ({mode}) took longer than {self.timeout:g} s "
                    "(CICNET_MT_TIMEOUT); try a shorter paragraph or later."
                ) from exc
            if done.returncode != 0:
                raise EngineError(
                    f"Apertium ({mode}) failed: {done.stderr.strip()[:200] or 'no message'}; "
                    "check that its Debian package is installed."
                )
            text = done.stdout
        parts = [p.strip() for p in text.split("[[¶]]")]
        if len(parts) != len(paragraphs):
            raise EngineError(
                "Apertium returned a different number of paragraphs than it was given; "
                "draft the paragraphs one at a time."
            )
        return parts

    def submit(self, text: str, *, source: str, target: str, reference: str) -> str:
        raise EngineError("Apertium answers at once; it takes no asynchronous requests.")
