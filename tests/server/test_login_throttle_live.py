"""The log-in throttle holds across processes (issue 10, item 7): two workers once allowed twice
the failures, each counting its own. Counts live in the shared cache. Two servers on one
database, the failures alternating between them, make the proof deterministic (a gunicorn master
gives no say over which worker takes a connection)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .live import LiveServer, cicnet, database_env, two_servers

LIMIT = 3
SETUP = """
from cicnet.accounts.services import user_create
user_create(username="victim", password="right-password-1", role="member")
user_create(username="colleague", password="right-password-2", role="member")
"""


@pytest.fixture
def servers(transactional_db: None, tmp_path: Path) -> Iterator[tuple[LiveServer, LiveServer]]:
    env = database_env(tmp_path, CICNET_LOGIN_MAX_FAILURES=str(LIMIT))
    cicnet(["createcachetable"], env=env, cwd=tmp_path)  # what migrate's post_migrate does
    cicnet(["collectstatic", "--noinput", "-v", "0"], env=env, cwd=tmp_path)
    cicnet(["shell", "-c", SETUP], env=env, cwd=tmp_path)
    with two_servers(env=env, cwd=tmp_path) as servers:
        yield servers


def test_failures_spread_over_processes_lock_the_account_after_exactly_the_limit(
    servers: tuple[LiveServer, LiveServer],
) -> None:
    one, two = servers
    for n in range(LIMIT):
        client = (one if n % 2 == 0 else two).client()
        assert client.log_in("victim", "wrong").status == 200  # the form again, with its error
    for live in servers:  # locked on both, with the right password too
        locked = live.client().log_in("victim", "right-password-1")
        assert locked.status == 429, locked.status
        assert "Too many failed log-ins" in locked.text
    # The admin logs in through the same page: no second door.
    admin = two.client().get("/django-admin/login/")
    assert admin.status == 302 and admin.headers["location"].startswith("/accounts/login/")
    # A colleague behind the same address is not shut out.
    assert one.client().log_in("colleague", "right-password-2").status == 302
