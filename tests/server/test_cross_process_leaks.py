"""What must stay hidden stays hidden across processes (issue 10, item 1).

A real ``cicnet serve`` with two gunicorn workers, and writes from elsewhere: a curator
unpublishing through the curation page (a write inside one worker), ``cicnet ingest`` in a second
process adding, re-tiering and hiding decisions. After every write, every channel is read as
every role, enough times that both workers answer, and each canary must be exactly where the
policy puts it: in every channel of the roles that may see it, in no channel of the others.

Canaries: one decision per access tier and publication state, each with a word of its own in the
title, the summary and its text, so that a search, a facet count, a snippet or an export row
that leaked would name it.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .live import Client, LiveServer, cicnet, database_env, start_server

ROLES = ("anonymous", "member", "curator")
TIERS_BY_ROLE = {
    "anonymous": {"public"},
    "member": {"public", "network"},
    "curator": {"public", "network", "secretariat"},
}
SEES_UNPUBLISHED = {"curator"}
# Every role asks each search channel this many times, so that both workers answer.
READS_PER_CHANNEL = 6
SOURCE_DOWNLOAD = "source file download"

SETUP = """
from cicnet.accounts.services import user_create
user_create(username="leak-member", password="leak-member-password", role="member")
user_create(username="leak-curator", password="leak-curator-password", role="curator")
"""


@dataclass(frozen=True)
class Canary:
    uid: str
    word: str
    access: str
    state: str

    def visible_to(self, role: str) -> bool:
        if self.access not in TIERS_BY_ROLE[role]:
            return False
        return self.state == "published" or role in SEES_UNPUBLISHED


def _write_decision(folder: Path, canary: Canary) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{canary.uid}.yaml").write_text(
        textwrap.dedent(
            f"""\
            uid: {canary.uid}
            title: Canary {canary.word} v. Fictionland
            country: DE
            court: Higher Regional Court of Koblenz
            decision_date: 2021-03-04
            instance: first_instance
            summary: The {canary.word} summary of a fictional decision.
            keywords: [canary]
            access: {canary.access}
            state: {canary.state}
            demo: true
            texts:
              en: {{original: true}}
            """
        ),
        "utf-8",
    )
    (folder / f"{canary.uid}.en.txt").write_text(
        f"Fictional decision\n\n1. The court heard the {canary.word} argument.\n", "utf-8"
    )


def _canaries() -> list[Canary]:
    out = []
    for access in ("public", "network", "secretariat"):
        for state in ("published", "review", "draft"):
            out.append(
                Canary(f"leak-{access}-{state}", f"zq{access[:3]}{state[:3]}x", access, state)
            )
    return out


@pytest.fixture
def leak_server(
    transactional_db: None, tmp_path: Path
) -> Iterator[tuple[LiveServer, dict[str, Any]]]:
    # CICNET_ANON_API_RATE: these scripted reads are not what the throttle is for.
    env = database_env(tmp_path, CICNET_ANON_API_RATE="0")
    cicnet(["collectstatic", "--noinput", "-v", "0"], env=env, cwd=tmp_path)
    cicnet(["shell", "-c", SETUP], env=env, cwd=tmp_path)
    corpus = tmp_path / "corpus"
    for canary in _canaries():
        _write_decision(corpus, canary)
    cicnet(["ingest", "--quiet", str(corpus)], env=env, cwd=tmp_path)
    server = start_server(env=env, cwd=tmp_path, workers=2)
    try:
        yield server, {"env": env, "cwd": tmp_path, "corpus": corpus}
    finally:
        server.stop()


def _clients(server: LiveServer) -> dict[str, Client]:
    clients = {"anonymous": server.client()}
    for role in ("member", "curator"):
        client = server.client()
        login = client.log_in(f"leak-{role}", f"leak-{role}-password")
        assert login.status == 302, login.text[:300]
        clients[role] = client
    return clients


def _names(html: str, canary: Canary) -> bool:
    """Whether a page shows the canary (its link, title or a highlighted word), not merely the
    query echoed in the search box."""
    return (
        f"/decisions/{canary.uid}/" in html
        or f"Canary {canary.word}" in html
        or (f"<mark>{canary.word}</mark>" in html)
    )


def _channels(client: Client, canary: Canary) -> Iterator[tuple[str, bool]]:
    """(channel, whether the canary showed there) for every channel that can show it."""
    w, uid = canary.word, canary.uid
    for _ in range(READS_PER_CHANNEL):
        page = client.get(f"/?q={w}")
        assert page.status == 200, page.status
        yield "search page", _names(page.text, canary)
        api = client.get(f"/api/v1/search?q={w}")
        assert api.status == 200, api.text[:300]
        body = api.json()
        yield "api search count", body["count"] > 0
        yield "api search hits", any(h["id"] == uid for h in body["results"])
        yield "api snippets", w in json.dumps([h.get("snippets") for h in body["results"]])
        yield (
            "api facet counts",
            any(f["count"] > 0 for values in body["facets"].values() for f in values),
        )
    csv = client.get(f"/api/v1/search/export.csv?q={w}")
    assert csv.status == 200, csv.text[:300]
    yield "export csv", uid in csv.text
    jsonl = client.get(f"/api/v1/search/export.jsonl?q={w}")
    assert jsonl.status == 200, jsonl.text[:300]
    yield "export jsonl", uid in jsonl.text
    yield "reader page", client.get(f"/decisions/{uid}/").status == 200
    yield "api detail", client.get(f"/api/v1/decisions/{uid}").status == 200
    yield "decision json", client.get(f"/decisions/{uid}.json").status == 200
    yield SOURCE_DOWNLOAD, client.get(f"/decisions/{uid}/files/en").status == 200
    listing = client.get("/api/v1/decisions?limit=100")
    assert listing.status == 200, listing.text[:300]
    yield "api list", any(d["id"] == uid for d in listing.json()["results"])
    yield "browse page", uid in client.get("/decisions/").text
    network_search = client.get(f"/network/search/?q={w}")
    assert network_search.status == 200, network_search.status
    yield "network search", _names(network_search.text, canary)


def _check_everything(
    server: LiveServer, canaries: list[Canary], step: str, totals: dict[str, int]
) -> None:
    wrong: list[str] = []
    for role, client in _clients(server).items():
        for canary in canaries:
            for channel, shown in _channels(client, canary):
                # The raw source file is the Secretariat's alone (everyone else reads the
                # anonymised text).
                expected = canary.visible_to(role) and (
                    channel != SOURCE_DOWNLOAD or role == "curator"
                )
                totals["checks"] += 1
                if shown != expected:
                    wrong.append(
                        f"{step}: {canary.uid} {'missing from' if expected else 'leaked in'} "
                        f"{channel} as {role}"
                    )
    assert not wrong, f"{len(wrong)} wrong reads:\n" + "\n".join(sorted(set(wrong)))


def test_every_write_from_any_process_reaches_every_channel_of_every_worker(
    leak_server: tuple[LiveServer, dict[str, Any]],
) -> None:
    server, ctx = leak_server
    server.assert_both_workers_answer()
    canaries = {c.uid: c for c in _canaries()}
    totals = {"checks": 0}
    _check_everything(server, list(canaries.values()), "start", totals)

    # 1. A curator unpublishes the public decision through the curation page (one worker).
    curator = _clients(server)["curator"]
    uid = "leak-public-published"
    done = curator.post_form(f"/decisions/{uid}/state/", {"to_state": "draft"})
    assert done.status == 302, done.text[:300]
    canaries[uid] = Canary(uid, canaries[uid].word, "public", "draft")
    _check_everything(server, list(canaries.values()), "after unpublishing", totals)

    # 2. A second process adds a public decision and moves a network one to the public tier.
    env, cwd, corpus = ctx["env"], ctx["cwd"], ctx["corpus"]
    added = Canary("leak-added-later", "zqaddedx", "public", "published")
    _write_decision(corpus, added)
    moved = canaries["leak-network-published"]
    moved = Canary(moved.uid, moved.word, "public", "published")
    _write_decision(corpus, moved)
    cicnet(["ingest", "--quiet", str(corpus)], env=env, cwd=cwd)
    canaries[added.uid] = added
    canaries[moved.uid] = moved
    _check_everything(server, list(canaries.values()), "after a second process ingested", totals)

    # 3. The second process hides them again: one to the Secretariat tier, one back to review.
    hidden = Canary(moved.uid, moved.word, "secretariat", "published")
    _write_decision(corpus, hidden)
    unpublished = Canary(added.uid, added.word, "public", "review")
    _write_decision(corpus, unpublished)
    cicnet(["ingest", "--quiet", str(corpus)], env=env, cwd=cwd)
    canaries[hidden.uid] = hidden
    canaries[unpublished.uid] = unpublished
    _check_everything(server, list(canaries.values()), "after a second process hid them", totals)

    channels = {ch for ch, _ in _channels(server.client(), hidden)}
    print(  # the figures the closing note reports
        f"\ncross-process leak test: {len(channels)} channels x {len(ROLES)} roles x "
        f"{len(canaries)} canaries x 4 steps: {totals['checks']} checks, 0 wrong"
    )
