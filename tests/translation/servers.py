"""Local HTTP servers that speak the engines' documented protocols, for the tests.

- ``LibreTranslateServer``: ``POST /translate`` with JSON ``{q, source, target, format,
  api_key}`` → ``{"translatedText": ...}`` (a list for a list), 400 ``{"error"}`` otherwise.
- ``ETranslationServer``: ``POST`` JSON with HTTP Digest authentication (RFC 7616, MD5,
  qop=auth) → the request id as text, a negative code for a bad request; it records each
  accepted request so the test can play the service's callback.

Their "translation" is deterministic and visible: ``[target] text`` upper-cased.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def fake_translation(text: str, target: str) -> str:
    return f"[{target}] {text.upper()}"


class _Base(BaseHTTPRequestHandler):
    server_version = "test-engine"
    delay = 0.0

    def log_message(self, *args: Any) -> None:  # quiet
        return

    def _send(
        self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)


class LibreTranslateHandler(_Base):
    api_key = ""

    def do_POST(self) -> None:
        time.sleep(self.delay)
        if self.path != "/translate":
            self._send(404, b'{"error": "not found"}', "application/json")
            return
        data = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.api_key and data.get("api_key") != self.api_key:
            self._send(403, b'{"error": "Invalid API key"}', "application/json")
            return
        q = data["q"]
        target = data["target"]
        translated: Any = (
            [fake_translation(t, target) for t in q]
            if isinstance(q, list)
            else fake_translation(q, target)
        )
        self._send(200, json.dumps({"translatedText": translated}).encode(), "application/json")


class ETranslationHandler(_Base):
    realm = "eTranslation"
    user = "cicnet-app"
    password = "s3cret"
    requests: list[dict[str, Any]] = []
    nonce = secrets.token_hex(8)

    def _challenge(self) -> None:
        header = f'Digest realm="{self.realm}", nonce="{self.nonce}", qop="auth", algorithm=MD5'
        self._send(401, b"unauthorised", "text/plain", {"WWW-Authenticate": header})

    def _authorised(self) -> bool:
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Digest "):
            return False
        fields = dict(re.findall(r'(\w+)="?([^",]+)"?', auth[7:]))
        md5 = lambda s: hashlib.md5(s.encode()).hexdigest()  # noqa: E731, S324 - RFC 7616 MD5
        ha1 = md5(f"{self.user}:{self.realm}:{self.password}")
        ha2 = md5(f"POST:{fields.get('uri', '')}")
        expected = md5(
            f"{ha1}:{fields.get('nonce')}:{fields.get('nc')}:{fields.get('cnonce')}:{fields.get('qop')}:{ha2}"
        )
        return fields.get("username") == self.user and fields.get("response") == expected

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if not self._authorised():
            self._challenge()
            return
        time.sleep(self.delay)
        data = json.loads(body)
        needed = {"sourceLanguage", "targetLanguages", "callerInformation", "textToTranslate"}
        if not needed <= set(data) or not data.get("requesterCallback"):
            self._send(200, b"-20000", "text/plain")
            return
        request_id = str(len(self.requests) + 1000)
        self.requests.append({**data, "request-id": request_id})
        self._send(200, request_id.encode(), "text/plain")


@contextmanager
def serve(handler: type[_Base], **attrs: Any) -> Iterator[str]:
    """Run ``handler`` (with ``attrs`` set on a subclass) on a free local port; yield its URL."""
    cls = type("Handler", (handler,), dict(attrs))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), cls)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
