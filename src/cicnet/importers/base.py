"""The importer interface: one module per court database (docs/import.md).

An importer turns identifiers the operator names (ECLIs for rechtspraak.nl; later HUDOC item ids,
German ECLIs or file numbers) into ``Imported`` decisions: the metadata in the ingestion format
(docs/ingest.md) and one ``ImportedText`` per language version. The service
(``importers/services.py``) writes them as an ingestion folder and runs the ordinary pipeline
(validate → extract → split → detect_language → store → anonymise → index), so an imported
decision is validated, anonymised and held back by the sign-off gate like any other.

A source reaches only the base URL the operator configured for it (a setting per source), with a
timeout and a size limit, through ``fetch`` below; a source may also read a local folder of the
files the database publishes (a bulk download), so imports can be replayed offline.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings

from cicnet.errors import UserInputError


class ImportError_(UserInputError):
    """An identifier or an answer the import cannot use; the message names it and what to do."""


@dataclass(frozen=True)
class Request:
    """What to import: a decision's identifier and, optionally, the identifier under which the
    court published its own translation of it (``ECLI+ECLI``)."""

    identifier: str
    translations: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return "+".join((self.identifier, *self.translations))


@dataclass
class ImportedText:
    """One language version as the source published it."""

    language: str
    paragraphs: list[str]
    identifier: str  # the source's id of this version (its ECLI)
    url: str
    is_original: bool
    translator: str = ""  # for the court's own translation: the court


@dataclass
class Imported:
    """A decision ready to be written as ``NAME.yaml`` + ``NAME.<lang>.txt`` and ingested."""

    uid: str
    metadata: dict[str, Any]
    texts: list[ImportedText]
    warnings: list[str] = field(default_factory=list)


class Importer:
    """Base class of a source. Subclasses set ``name``, ``label``, ``base_url_setting`` and
    implement ``parse_request`` and ``load``."""

    name: ClassVar[str]
    label: ClassVar[str]
    identifier_help: ClassVar[str]
    base_url_setting: ClassVar[str]

    def __init__(self, *, folder: Path | None = None) -> None:
        self.folder = folder  # read files from here instead of the network

    def parse_request(self, raw: str) -> Request:  # pragma: no cover - interface
        raise NotImplementedError

    def load(self, request: Request) -> Imported:  # pragma: no cover - interface
        raise NotImplementedError

    @property
    def base_url(self) -> str:
        url = str(getattr(settings, self.base_url_setting, "") or "").rstrip("/")
        if not url:
            raise ImportError_(
                f"{self.base_url_setting} is not set; name the {self.label} server to import "
                "from (docs/import.md)",
                field="source",
            )
        return url

    def fetch(
        self, path: str, query: dict[str, str] | list[tuple[str, str]], *, what: str
    ) -> bytes:
        """GET ``base_url + path?query`` within the timeout and size limit; a clear
        ``ImportError_`` naming ``what`` for anything but a readable 200 answer."""
        url = f"{self.base_url}{path}?{urllib.parse.urlencode(query)}"
        timeout = float(getattr(settings, "CICNET_IMPORT_TIMEOUT", 30))
        limit = int(getattr(settings, "CICNET_IMPORT_MAX_BYTES", 20 * 1024**2))
        request = urllib.request.Request(  # noqa: S310 - the operator's configured http(s) URL
            url, headers={"Accept": "application/xml", "User-Agent": "cicnet-import"}
        )
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise ImportError_(f"{self.base_url_setting} must be an http(s) URL", field="source")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
                data: bytes = answer.read(limit + 1)
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                raise ImportError_(
                    f"{what}: not found at {self.label} ({url} answered 404); check the identifier",
                    field="identifiers",
                ) from exc
            raise ImportError_(
                f"{what}: {self.label} answered HTTP {exc.code} for {url}; try again later",
                field="identifiers",
            ) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ImportError_(
                f"{what}: cannot reach {self.label} at {self.base_url} ({reason}); check the "
                f"network or {self.base_url_setting}",
                field="source",
            ) from exc
        if len(data) > limit:
            raise ImportError_(
                f"{what}: the answer is larger than CICNET_IMPORT_MAX_BYTES ({limit} bytes)",
                field="identifiers",
            )
        return data
