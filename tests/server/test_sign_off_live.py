"""The sign-off gate across processes: real ``cicnet serve`` with two workers, ingestion and the
bulk sign-off each in a process of its own. A published decision's text is withheld by every
worker until ``cicnet anonymisation sign-off`` runs elsewhere; then every worker serves the
anonymised text, in search and on the page (issue 16, item 4)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from cicnet.anonymisation.selectors import WITHHELD

from .live import LiveServer, cicnet, serving_after

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest" / "good"
UID = "de-olg-example-2022"
WORD = "Haftbedingungen"  # a word of the German text, not of the metadata
SETUP = """
from cicnet.accounts.services import user_create
user_create(username="live-signer", password="live-signer-password", role="curator")
"""


@pytest.fixture
def live(transactional_db: None, tmp_path: Path) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    # Many calls from one address, on purpose.
    with serving_after(SETUP, tmp_path, CICNET_ANON_API_RATE="100000") as started:
        yield started


def _answers(server: LiveServer, tries: int = 12) -> tuple[set[int], set[bool]]:
    """(search counts, whether the page withholds the text) over enough calls to reach both
    workers."""
    client = server.client()
    counts, withheld = set(), set()
    for _ in range(tries):
        counts.add(client.get(f"/api/v1/search?q={WORD}").json()["count"])
        page = client.get(f"/decisions/{UID}/").text
        withheld.add(WITHHELD in page)
        assert "Darwish" not in page and "Raslan" not in page
    return counts, withheld


def test_texts_stay_withheld_on_every_worker_until_signed_off_elsewhere(
    live: tuple[LiveServer, dict[str, str]], tmp_path: Path
) -> None:
    server, env = live
    folder = tmp_path / "incoming"
    folder.mkdir()
    for path in FIXTURES.glob(f"{UID}.*"):
        shutil.copy(path, folder / path.name)
    cicnet(["ingest", "--quiet", str(folder)], env=env, cwd=tmp_path, timeout=300)
    assert _answers(server) == ({0}, {True})  # published, but nobody signed the text off

    out = cicnet(
        [
            "anonymisation",
            "sign-off",
            "--batch",
            "live test",
            "--by",
            "live-signer",
            "--decision",
            UID,
        ],
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert "1 decision(s) signed off in bulk" in out
    assert _answers(server) == ({1}, {False})
