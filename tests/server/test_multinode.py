"""The multi-node proof: one ``cicnet serve`` with two worker processes sharing one database.

A curator logs in and publishes a decision through the HTML pages (writes landing on whichever
worker accepts them); then many requests, answered by both workers (their pids come back from
/healthz), read the curator's session and the published decision from the shared database.
Static files come from whitenoise inside the same processes. On PostgreSQL this is the set-up
of docs/deploy.md; on SQLite the same test runs against a file database in WAL mode.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from .live import LiveServer, cicnet, database_env, start_server

UID = "live-multinode"
TITLE = "Fictional decision for the multi-node test"
SETUP = f"""
import datetime
from cicnet.accounts.services import user_create
from cicnet.jurisprudence.models import Decision
user_create(username="live-curator", password="live-curator-password", role="curator")
Decision.objects.create(
    uid="{UID}", title="{TITLE}", country="DE", court="Fictional Regional Court",
    decision_date=datetime.date(2024, 1, 1), instance="first_instance", access="public",
    state="review", is_demo=True,
)
"""


@pytest.fixture
def live_server_2_workers(transactional_db: None, tmp_path: Path) -> Iterator[LiveServer]:
    # transactional_db: the server commits to the test database, which is flushed afterwards
    # (after this fixture has stopped the server).
    env = database_env(tmp_path)
    cicnet(["collectstatic", "--noinput", "-v", "0"], env=env, cwd=tmp_path)
    cicnet(["shell", "-c", SETUP], env=env, cwd=tmp_path)
    server = start_server(env=env, cwd=tmp_path, workers=2)
    try:
        yield server
    finally:
        server.stop()


def _pids_until_both_workers_answered(
    server: LiveServer, client: Any, tries: int = 200
) -> set[int]:
    pids: set[int] = set()
    for _ in range(tries):
        health = client.get("/healthz")
        assert health.status == 200
        body = health.json()
        assert body["authenticated"] is True, body  # the session row was read from the shared DB
        pids.add(body["pid"])
        if len(pids) >= 2:
            break
    return pids


def test_two_workers_share_sessions_and_decisions_through_one_database(
    live_server_2_workers: LiveServer,
) -> None:
    server = live_server_2_workers
    anonymous = server.client()
    assert anonymous.get(f"/api/v1/decisions/{UID}").status == 404  # in review: hidden

    curator = server.client()
    login = curator.log_in("live-curator", "live-curator-password")
    assert login.status == 302, login.text[:500]
    assert "sessionid" in curator.cookies

    pids = _pids_until_both_workers_answered(server, curator)
    assert len(pids) == 2, f"only worker(s) {pids} answered:\n{server.output()}"

    published = curator.post_form(
        f"/decisions/{UID}/state/", {"to_state": "published", "confirm": "yes"}
    )
    assert published.status == 302, published.text[:500]

    seen_by: set[int] = set()
    for _ in range(200):
        reader = server.client()
        detail = reader.get(f"/api/v1/decisions/{UID}")
        assert detail.status == 200, detail.text[:500]
        assert detail.json()["title"] == TITLE
        seen_by.add(reader.get("/healthz").json()["pid"])
        if len(seen_by) >= 2:
            break
    assert seen_by == pids, "the published decision was not read through both workers"

    health = anonymous.get("/healthz").json()
    assert health["db"] == connection.vendor
    assert health["search_backend"] == settings.CICNET_SEARCH_BACKEND
    assert health["authenticated"] is False


def test_static_files_come_from_whitenoise_and_serve_reports_how_it_started(
    live_server_2_workers: LiveServer,
) -> None:
    server = live_server_2_workers
    client = server.client()
    htmx = client.request("GET", "/static/cicnet/htmx.min.js", headers={"Accept-Encoding": "gzip"})
    assert htmx.status == 200
    assert htmx.headers["content-type"].startswith("text/javascript")
    assert htmx.headers.get("content-encoding") == "gzip"  # compressed copy made by collectstatic
    assert client.get("/static/admin/css/base.css").status == 200
    assert client.get("/static/cicnet/no-such-file.js").status == 404

    output = server.output()
    assert f"http://127.0.0.1:{server.port}/" in output
    assert "2 workers" in output
    assert "Search index" in output  # the start-up staleness check ran
    assert "Booting worker" in output  # gunicorn workers, not runserver
