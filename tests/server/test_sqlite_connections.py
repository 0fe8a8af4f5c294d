"""SQLite connections are kept between requests like PostgreSQL's (``CICNET_DB_CONN_MAX_AGE``).

Opening a SQLite connection for each request and closing it afterwards cost 5-10 ms a request
(docs/performance.md, "Sixth pass"). That workers holding a connection still see what another
process writes is proved by the live tests (``test_sign_off_live``, ``test_cross_process_leaks``),
which run real gunicorn workers against one SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps(settings.DATABASES['default']['CONN_MAX_AGE']))"
)


def _conn_max_age(tmp_path: Path, **env: str) -> object:
    environ = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CICNET_DB_CONN_MAX_AGE"}
    }
    environ.update(
        DJANGO_SETTINGS_MODULE="cicnet.config.settings",
        CICNET_VAR_DIR=str(tmp_path / "var"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **env,
    )
    out = subprocess.run(  # noqa: S603  # this interpreter, fixed arguments
        [sys.executable, "-c", PROBE],
        env=environ,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


@pytest.mark.parametrize(("env", "expected"), [({}, 60), ({"CICNET_DB_CONN_MAX_AGE": "5"}, 5)])
def test_sqlite_keeps_its_connection_between_requests(
    tmp_path: Path, env: dict[str, str], expected: int
) -> None:
    assert _conn_max_age(tmp_path, **env) == expected
