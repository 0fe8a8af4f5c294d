"""Ingestion fixtures: copies of the committed fixture files in a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest"
GOOD = FIXTURES / "good"
BAD = FIXTURES / "bad"


@pytest.fixture
def good_dir(tmp_path: Path) -> Path:
    """A writable copy of the good fixtures (5 decisions, one in a subfolder)."""
    target = tmp_path / "good"
    shutil.copytree(GOOD, target)
    return target


def copy_bad(name: str, target: Path) -> Path:
    """Copy the bad fixture ``name`` (its YAML and any text files) into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for path in BAD.glob(f"{name}.*"):
        shutil.copy(path, target / path.name)
    return target / f"{name}.yaml"
