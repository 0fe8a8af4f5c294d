"""docs/anonymisation.md shows each policy on the same paragraphs of a real judgment (issue 16,
"Done when"): the paragraphs are those of a judgment shipped with the demo data, and each
policy's block is what the anonymiser gives today, so the documentation cannot drift."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cicnet.anonymisation.engine import anonymise
from cicnet.anonymisation.policies import policy_ids

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "anonymisation.md"
SOURCE = ROOT / "src" / "cicnet" / "demo" / "data" / "tab_dev.json"
SOURCE_ID = "001-101444"
ORIGINAL = "with the English model. The original:"


def _quote_after(markdown: str, marker: str) -> str:
    """The first block quote after ``marker``, as text (paragraphs separated by a blank line)."""
    assert marker in markdown, f"docs/anonymisation.md lacks {marker!r}"
    lines, started = [], False
    for line in markdown[markdown.index(marker) :].split("\n")[1:]:
        if line.startswith(">"):
            started = True
            lines.append(line[1:].strip())
        elif started:
            break
    return "\n".join(lines).strip()


@pytest.fixture(scope="module")
def original() -> str:
    return _quote_after(DOC.read_text("utf-8"), ORIGINAL)


def test_the_example_is_a_real_judgment_shipped_with_its_source(original: str) -> None:
    documents = {d["doc_id"]: d for d in json.loads(SOURCE.read_text("utf-8"))}
    judgment = documents[SOURCE_ID]["text"]
    paragraphs = original.split("\n\n")
    assert len(paragraphs) >= 2
    for paragraph in paragraphs:
        assert paragraph in judgment, paragraph[:60]
    assert SOURCE_ID in DOC.read_text("utf-8") and "TAB-NOTICE.md" in DOC.read_text("utf-8")


@pytest.mark.parametrize("policy_id", policy_ids())
def test_each_policy_is_shown_as_the_anonymiser_writes_it(original: str, policy_id: str) -> None:
    shown = _quote_after(DOC.read_text("utf-8"), f"### `{policy_id}`")
    assert shown == anonymise(original, policy=policy_id).anonymised_text()
