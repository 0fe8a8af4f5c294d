"""HTTP engines an operator configures: LibreTranslate-compatible servers and the European
Commission's eTranslation. Requests go only to the URL the operator set, with the timeout of
``CICNET_MT_TIMEOUT``; no redirect is followed to another host.

- **LibreTranslate** (``POST {url}/translate``, JSON ``{"q": [...], "source", "target",
  "format": "text", "api_key"}`` → ``{"translatedText": [...]}``): synchronous.
- **eTranslation** (``POST`` JSON to the service URL with HTTP Digest authentication by
  application name and password: ``{"sourceLanguage", "targetLanguages": [...],
  "callerInformation": {"application", "username"}, "textToTranslate", "requesterCallback",
  "errorCallback", "externalReference"}`` → the request id, a positive integer, or a negative
  error code). The service later POSTs the result as a form to ``requesterCallback``
  (``request-id``, ``target-language``, ``translated-text``, ``external-reference``) or an
  error to ``errorCallback`` (``error-code``, ``error-message``): asynchronous, see
  ``translation/callbacks.py``.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from .base import EngineError, EngineNotConfigured

ETRANSLATION_LANGUAGES = frozenset(
    "bg cs da de el en es et fi fr ga hr hu is it lt lv mt nb nl pl pt ro sk sl sv uk ru ar".split()
)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Refuse redirects: a request goes to the configured URL and nowhere else."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _post(
    opener: urllib.request.OpenerDirector,
    url: str,
    body: bytes,
    *,
    content_type: str,
    timeout: float,
    engine: str,
) -> tuple[int, bytes]:
    request = urllib.request.Request(  # noqa: S310 - the operator's configured http(s) URL
        url, data=body, method="POST", headers={"Content-Type": content_type}
    )
    try:
        with opener.open(request, timeout=timeout) as response:
            return int(response.status), response.read(10 * 1024 * 1024)
    except urllib.error.HTTPError as exc:
        detail = exc.read(500).decode("utf-8", "replace").strip()
        raise EngineError(
            f"{engine} answered HTTP {exc.code}{': ' + detail if detail else ''}; "
            "check the engine's settings (docs/translation.md)."
        ) from exc
    except TimeoutError as exc:
        raise EngineError(
            f"{engine} did not answer within {timeout:g} s (CICNET_MT_TIMEOUT); try again later."
        ) from exc
    except urllib.error.URLError as exc:
        raise EngineError(
            f"{engine} cannot be reached at {url} ({exc.reason}); check the URL setting."
        ) from exc


def _check_url(url: str, setting: str) -> str:
    if not url.startswith(("http://", "https://")):
        raise EngineNotConfigured(
            f"{setting} must be the engine's http:// or https:// URL (it is {url!r})."
        )
    return url.rstrip("/")


class LibreTranslate:
    name = "libretranslate"
    label = "Rough machine draft (LibreTranslate)"
    asynchronous = False

    def __init__(self, *, url: str, api_key: str, timeout: float) -> None:
        self.url = _check_url(url, "CICNET_LIBRETRANSLATE_URL")
        self.api_key = api_key
        self.timeout = timeout
        self.opener = urllib.request.build_opener(_NoRedirect)

    def supports(self, source: str, target: str) -> bool:
        return source != target  # the server says otherwise with an error, shown as such

    def translate(self, paragraphs: list[str], *, source: str, target: str) -> list[str]:
        payload: dict[str, Any] = {
            "q": paragraphs,
            "source": source,
            "target": target,
            "format": "text",
        }
        if self.api_key:
            payload["api_key"] = self.api_key
        _, body = _post(
            self.opener,
            f"{self.url}/translate",
            json.dumps(payload).encode("utf-8"),
            content_type="application/json",
            timeout=self.timeout,
            engine="LibreTranslate",
        )
        try:
            answer = json.loads(body)
        except ValueError as exc:
            raise EngineError("LibreTranslate answered something that is not JSON.") from exc
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if isinstance(translated, str):
            translated = [translated]
        if not isinstance(translated, list) or len(translated) != len(paragraphs):
            raise EngineError(
                "LibreTranslate's answer has no translatedText for every paragraph sent."
            )
        return [str(t) for t in translated]

    def submit(self, text: str, *, source: str, target: str, reference: str) -> str:
        raise EngineError("LibreTranslate answers at once; it takes no asynchronous requests.")


class ETranslation:
    name = "etranslation"
    label = "Rough machine draft (eTranslation)"
    asynchronous = True

    def __init__(
        self,
        *,
        url: str,
        application: str,
        password: str,
        username: str,
        callback_base: str,
        timeout: float,
    ) -> None:
        self.url = _check_url(url, "CICNET_ETRANSLATION_URL")
        missing = [
            name
            for name, value in (
                ("CICNET_ETRANSLATION_APPLICATION", application),
                ("CICNET_ETRANSLATION_PASSWORD", password),
                ("CICNET_ETRANSLATION_USERNAME", username),
                ("CICNET_ETRANSLATION_CALLBACK_BASE", callback_base),
            )
            if not value
        ]
        if missing:
            raise EngineNotConfigured(
                f"CICNET_MT_ENGINE=etranslation needs {', '.join(missing)} (docs/translation.md)."
            )
        self.callback_base = _check_url(callback_base, "CICNET_ETRANSLATION_CALLBACK_BASE")
        self.application = application
        self.username = username
        self.timeout = timeout
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, self.url, application, password)
        self.opener = urllib.request.build_opener(
            _NoRedirect, urllib.request.HTTPDigestAuthHandler(passwords)
        )

    def supports(self, source: str, target: str) -> bool:
        return source != target and {source, target} <= ETRANSLATION_LANGUAGES

    def translate(self, paragraphs: list[str], *, source: str, target: str) -> list[str]:
        raise EngineError("eTranslation delivers drafts later; request them with submit().")

    def submit(self, text: str, *, source: str, target: str, reference: str) -> str:
        payload = {
            "sourceLanguage": source.upper(),
            "targetLanguages": [target.upper()],
            "callerInformation": {"application": self.application, "username": self.username},
            "textToTranslate": text,
            "requesterCallback": f"{self.callback_base}/translation/etranslation/done/",
            "errorCallback": f"{self.callback_base}/translation/etranslation/error/",
            "externalReference": reference,
        }
        _, body = _post(
            self.opener,
            self.url,
            json.dumps(payload).encode("utf-8"),
            content_type="application/json",
            timeout=self.timeout,
            engine="eTranslation",
        )
        answer = body.decode("utf-8", "replace").strip()
        try:
            request_id = int(answer)
        except ValueError as exc:
            raise EngineError(f"eTranslation answered {answer[:100]!r}, not a request id.") from exc
        if request_id <= 0:
            raise EngineError(
                f"eTranslation refused the request (error code {request_id}); see its "
                "documentation for the code, and check the application name and languages."
            )
        return str(request_id)
