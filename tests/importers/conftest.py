"""A local stand-in for data.rechtspraak.nl: a real HTTP server (in a thread) that speaks the
open-data protocol (``GET /uitspraken/content?id=<ECLI>``) over the real fixture XML files."""

from __future__ import annotations

import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rechtspraak"
PAIR = "ECLI:NL:RBDHA:2013:15631+ECLI:NL:RBDHA:2013:99001"


def _feed(query: dict[str, list[str]]) -> bytes:
    """The zoeken answer: an Atom feed with one entry per fixture decision of the court named
    by ``creator`` (the court's name after the last '/', as the open-data service's URIs end)."""
    court = query.get("creator", [""])[0].rpartition("/")[2].replace("_", " ")
    entries = []
    for path in sorted(FIXTURES.glob("ECLI.NL.*.xml")):
        text = path.read_text("utf-8")
        if "99001" in path.name or (court and f">{court}</dcterms:creator>" not in text):
            continue
        ecli = path.stem.replace(".", ":")
        entries.append(
            f"<entry><id>{ecli}</id><title>{ecli}</title>"
            f'<link rel="alternate" href="https://uitspraken.rechtspraak.nl/details?id={ecli}"/>'
            "<updated>2024-01-01T00:00:00Z</updated></entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Rechtspraak.nl - Uitspraken</title><id>https://data.rechtspraak.nl/uitspraken</id>"
        f"<updated>2024-01-01T00:00:00Z</updated>{''.join(entries)}</feed>"
    ).encode()


class _Handler(BaseHTTPRequestHandler):
    requests: list[str]

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        self.server.requests.append(self.path)  # type: ignore[attr-defined]
        ecli = urllib.parse.parse_qs(url.query).get("id", [""])[0]
        if url.path == "/uitspraken/zoeken":
            self._answer(200, _feed(urllib.parse.parse_qs(url.query)), "application/atom+xml")
        elif url.path != "/uitspraken/content":
            self._answer(404, b"not found")
        elif ecli == "ECLI:NL:RBDHA:2013:77777":  # a broken answer, for the error test
            self._answer(200, b"<html><body>maintenance</body></html>", "text/html")
        else:
            path = FIXTURES / f"{ecli.replace(':', '.')}.xml"
            if path.is_file():
                self._answer(200, path.read_bytes(), "application/xml")
            else:
                self._answer(404, b"ECLI not found")

    def _answer(self, code: int, body: bytes, kind: str = "text/plain") -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def rechtspraak_server(settings: Any) -> Iterator[ThreadingHTTPServer]:
    """The local open-data server; the importer's base URL setting points at it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.CICNET_IMPORT_RECHTSPRAAK_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.CICNET_IMPORT_TIMEOUT = 10
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
