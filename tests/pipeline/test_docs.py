"""docs/ingest.md stays true: every metadata key, stage and error field it must explain is there."""

from __future__ import annotations

from pathlib import Path

import yaml

from cicnet.pipeline.metadata import KEYS, clean_metadata
from cicnet.pipeline.runner import PIPELINE
from cicnet.pipeline.validate import MetadataLoader

DOC = Path(__file__).resolve().parents[2] / "docs" / "ingest.md"


def test_every_metadata_key_is_documented() -> None:
    text = DOC.read_text("utf-8")
    missing = [key for key in KEYS if f"| `{key}` |" not in text]
    assert missing == []


def test_every_stage_is_documented() -> None:
    text = DOC.read_text("utf-8")
    assert [s for s in PIPELINE if f"| `{s}` |" not in text] == []


def test_documented_example_is_valid_metadata() -> None:
    text = DOC.read_text("utf-8")
    example = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    raw = yaml.load(example, Loader=MetadataLoader)  # noqa: S506 - the pipeline's safe loader
    _clean, errors = clean_metadata(raw, stem="example")
    assert errors == []
    assert set(raw) == set(KEYS)  # the example shows every key
